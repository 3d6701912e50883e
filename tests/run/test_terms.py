"""The glossary inside a run: names protected, terms enforced or flagged, all accounted for."""

from __future__ import annotations

import re
from dataclasses import dataclass

import polib
import pytest

from pipeline.glossary import find_terms, load_glossary
from pipeline.ingest.article import read_article
from pipeline.ingest.segment import segment_document
from pipeline.mt.argos import ArgosEngine, DecodeOptions
from pipeline.mt.engine import Hypothesis, Result
from pipeline.mt.pseudo import PseudoEngine
from pipeline.run.runner import RunOptions, run
from pipeline.testing.fake_engine import FakeEngine

from ..conftest import MAX_LENGTH, ROOT, SAMPLE

GLOSSARY = ROOT / "glossary"


def _entries(po_path):
    return [e for e in polib.pofile(str(po_path)) if not e.obsolete]


def _glossary_lines(entry):
    return [line for line in entry.comment.splitlines() if line.startswith("glossary: ")]


@pytest.fixture(scope="module")
def hits_per_segment():
    glossary = load_glossary(GLOSSARY)
    segments = segment_document(read_article(SAMPLE))
    return {s.id: find_terms(glossary, s.text) for s in segments}


@pytest.mark.parametrize("engine_kind", ["argos", "pseudo"])
def test_every_occurrence_is_accounted_for(models_dir, tmp_path, hits_per_segment, engine_kind):
    engine = (ArgosEngine(models_dir, DecodeOptions(max_decoding_length=MAX_LENGTH), quiet=True)
              if engine_kind == "argos" else PseudoEngine(quiet=True))
    [en, fr] = run([SAMPLE], RunOptions(targets=("en", "fr"), out_dir=tmp_path, quiet=True,
                                        glossary=GLOSSARY), engine)
    total = sum(len(h) for h in hits_per_segment.values())
    assert total >= 40
    for result in (en, fr):
        entries = _entries(result.paths.po)
        for entry in entries:
            lines = _glossary_lines(entry)
            assert len(lines) == len(hits_per_segment[entry.msgctxt]), entry.msgid
            assert all(re.search(r"\((present|replaced|dnt|flagged)", line) for line in lines)
        assert result.terms["found"] == total
        assert result.terms["enforced"] + result.terms["flagged"] == total
        report = result.paths.terms.read_text("utf-8")
        assert "| ki |" in report and "| sora |" in report


def test_names_survive_even_the_pseudo_engine(tmp_path):
    [result] = run([SAMPLE], RunOptions(targets=("en",), out_dir=tmp_path, quiet=True,
                                        glossary=GLOSSARY), PseudoEngine(quiet=True))
    entries = _entries(result.paths.po)
    first = entries[0]
    assert "OpenAI" in first.msgstr and '"Sora"' in first.msgstr
    assert "glossary: OpenAI → OpenAI (dnt)" in first.comment


@dataclass
class WrongTermEngine(FakeEngine):
    """'Translates' by keeping German words (KI stays KI) and getting one wrong."""

    def translate(self, requests):
        return [Result(r, tuple((Hypothesis(text.replace("Regisseure", "regisseurs")),)
                                for text in r.texts)) for r in requests]


def test_known_wrong_rendering_is_replaced_and_recorded(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Die Regisseure wollen KI.\n", encoding="utf-8")
    [result] = run([article], RunOptions(targets=("en",), out_dir=tmp_path / "o", quiet=True,
                                         glossary=GLOSSARY), WrongTermEngine())
    [entry] = _entries(result.paths.po)
    assert entry.msgstr == "Die directors wollen AI."
    assert "glossary: KI → AI (replaced" in entry.comment
    assert "glossary: Regisseure → director (replaced" in entry.comment


def test_a_persons_translation_is_checked_never_changed(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Die Regisseure wollen KI.\n", encoding="utf-8")
    options = RunOptions(targets=("en",), out_dir=tmp_path / "o", quiet=True, glossary=GLOSSARY)
    [result] = run([article], options, WrongTermEngine())
    catalog = polib.pofile(str(result.paths.po))
    catalog[0].msgstr, catalog[0].flags = "The filmmakers want KI.", []
    catalog.save(str(result.paths.po))
    [result] = run([article], options, WrongTermEngine())
    [entry] = _entries(result.paths.po)
    assert entry.msgstr == "The filmmakers want KI."
    assert "qa: warning: glossary" in entry.comment
    assert result.terms == {"found": 2, "enforced": 0, "flagged": 2, "chosen": 0}


def test_placeholder_strategy_forces_the_target_term(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Die Regisseure wollen KI.\n", encoding="utf-8")
    [result] = run([article], RunOptions(targets=("fr",), out_dir=tmp_path / "o", quiet=True,
                                         glossary=GLOSSARY, term_strategy="placeholder"),
                   PseudoEngine(quiet=True))
    [entry] = _entries(result.paths.po)
    assert "réalisateur" in entry.msgstr and "IA" in entry.msgstr
