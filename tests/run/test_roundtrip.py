"""The review round trip: a person's fix survives every later run, in every format.

Runs go through the real Argos path (tiny CTranslate2 models); a counting wrapper around the
engine shows what was machine-translated and whether a model was loaded at all.
"""

from __future__ import annotations

import json

import polib
import pytest
from click.testing import CliRunner
from lxml import etree

from pipeline.cli import cli
from pipeline.formats.xliff import read_xliff
from pipeline.memory.store import TranslationMemory
from pipeline.mt.argos import ArgosEngine, DecodeOptions
from pipeline.run.runner import RunOptions, run
from pipeline.store.layout import paths

from ..conftest import MAX_LENGTH, SAMPLE
from ..formats.test_tmx import tmx_dtd
from ..formats.test_xliff import assert_valid


class CountingEngine(ArgosEngine):
    """The real engine, remembering every text it was asked to translate."""

    def __init__(self, models_dir):
        super().__init__(models_dir, DecodeOptions(max_decoding_length=MAX_LENGTH), quiet=True)
        self.asked: list[str] = []

    def translate(self, requests):
        self.asked.extend(text for request in requests for text in request.texts)
        return super().translate(requests)


def _entries(po_path):
    return [e for e in polib.pofile(str(po_path)) if not e.obsolete]


def _run(models_dir, article, out, targets=("en",)):
    engine = CountingEngine(models_dir)
    run([article], RunOptions(targets=targets, out_dir=out, quiet=True), engine)
    return engine


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "sora.txt"
    path.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def test_fix_survives_three_reruns_and_an_edit(models_dir, article, tmp_path):
    out = tmp_path / "locales"
    first = _run(models_dir, article, out)
    po_path = paths(out, "en", "sora").po
    catalog = polib.pofile(str(po_path))
    fixed = catalog[2]
    fixed.msgstr, fixed.flags = "Perry was amazed (a reviewer's words).", []
    catalog.save(str(po_path))
    assert len(first.asked) == 30

    second = _run(models_dir, article, out)
    assert second.asked == [] and second.decoded_pairs == [] and second._loaded == {}
    # the same settings as the runs before: no term base (what a glossary does to the
    # output is part of what earlier output is reused under)
    rerun = CliRunner().invoke(cli, ["run", str(article), "--to", "en", "--out", str(out),
                                     "--models-dir", str(models_dir), "--json",
                                     "--no-glossary"])
    assert rerun.exit_code == 0, rerun.output
    assert json.loads(rerun.stdout)[0]["translated_now"] == 0

    lines = article.read_text(encoding="utf-8").splitlines()
    old_sentence = "Diese Streiks haben auch gezeigt, dass die Regisseure vielleicht nicht die " \
                   "gleiche Meinung haben."
    new_sentence = old_sentence.replace("vielleicht nicht", "wohl nicht")
    lines[7] = lines[7].replace(old_sentence, new_sentence)
    article.write_text("\n".join(lines) + "\n", encoding="utf-8")
    third = _run(models_dir, article, out)
    assert third.asked == [new_sentence]

    fourth = _run(models_dir, article, out)
    assert fourth.asked == []

    entries = _entries(po_path)
    kept = [e for e in entries if e.msgctxt == fixed.msgctxt][0]
    assert (kept.msgstr, kept.flags) == ("Perry was amazed (a reviewer's words).", [])
    changed = [e for e in entries if e.msgid == new_sentence][0]
    assert "fuzzy" in changed.flags and changed.previous_msgid == old_sentence
    reviewed = [e for e in read_xliff(paths(out, "en", "sora").xliff) if e.reviewed]
    assert [(e.segment_id, e.target) for e in reviewed] == [(fixed.msgctxt, kept.msgstr)]


def test_fix_made_in_xliff_is_taken(models_dir, article, tmp_path):
    out = tmp_path / "locales"
    _run(models_dir, article, out, targets=("fr",))
    xliff = paths(out, "fr", "sora").xliff
    tree = etree.parse(str(xliff))
    ns = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
    segment = tree.find(".//x:segment", ns)
    segment.set("state", "final")
    segment.find("x:target", ns).text = "Une phrase relue."
    tree.write(str(xliff), xml_declaration=True, encoding="UTF-8")
    again = _run(models_dir, article, out, targets=("fr",))
    assert again.asked == []
    entry = [e for e in _entries(paths(out, "fr", "sora").po) if e.msgctxt == segment.get("id")][0]
    assert (entry.msgstr, entry.flags) == ("Une phrase relue.", [])


def test_memory_carries_a_fix_to_another_article(models_dir, article, tmp_path):
    out = tmp_path / "locales"
    _run(models_dir, article, out)
    po_path = paths(out, "en", "sora").po
    catalog = polib.pofile(str(po_path))
    catalog[0].msgstr, catalog[0].flags = "OpenAI ventures to Hollywood.", []
    catalog.save(str(po_path))
    result = CliRunner().invoke(cli, ["import", str(po_path), "--memory",
                                      str(out / "memory.sqlite")])
    assert result.exit_code == 0 and "1 translations imported" in result.output
    other = tmp_path / "other.md"
    other.write_text(f"# Neu\n\n{catalog[0].msgid}\n", encoding="utf-8")
    engine = _run(models_dir, other, out)
    assert engine.asked == ["Neu"]
    entry = [e for e in _entries(paths(out, "en", "other").po) if e.msgid == catalog[0].msgid][0]
    assert (entry.msgstr, entry.flags) == ("OpenAI ventures to Hollywood.", [])
    assert "from the translation memory" in entry.comment


def test_machine_output_never_overwrites_review_in_memory(models_dir, article, tmp_path):
    out = tmp_path / "locales"
    _run(models_dir, article, out)
    po_path = paths(out, "en", "sora").po
    catalog = polib.pofile(str(po_path))
    catalog[1].msgstr, catalog[1].flags = "Reviewed.", []
    catalog.save(str(po_path))
    engine = CountingEngine(models_dir)
    run([article], RunOptions(targets=("en",), out_dir=out, quiet=True, retranslate=True), engine)
    assert len(engine.asked) == 29
    with TranslationMemory.open(out / "memory.sqlite") as memory:
        assert memory.exact(catalog[1].msgid, "de", "en").target == "Reviewed."


def test_every_xliff_and_tmx_is_valid(models_dir, article, tmp_path):
    out = tmp_path / "locales"
    _run(models_dir, article, out, targets=("en", "fr"))
    for lang in ("en", "fr"):
        assert_valid(paths(out, lang, "sora").xliff.read_bytes())
    tmx = tmp_path / "memory.tmx"
    result = CliRunner().invoke(cli, ["tm", "export", "--memory", str(out / "memory.sqlite"),
                                      "-o", str(tmx)])
    assert result.exit_code == 0, result.output
    root = etree.parse(str(tmx)).getroot()
    assert tmx_dtd().validate(root), tmx_dtd().error_log
    origins = {p.text for p in root.iter("prop") if p.get("type") == "x-origin"}
    assert origins == {"mt"}
    from translate.storage.tmx import tmxfile

    store = tmxfile.parsefile(str(tmx))
    assert len([u for u in store.units if u.source]) == 60


def test_tmx_import_round_trip(models_dir, article, tmp_path):
    out = tmp_path / "locales"
    _run(models_dir, article, out)
    tmx = tmp_path / "memory.tmx"
    runner = CliRunner()
    assert runner.invoke(cli, ["tm", "export", "--memory", str(out / "memory.sqlite"),
                               "-o", str(tmx)]).exit_code == 0
    fresh = tmp_path / "fresh.sqlite"
    result = runner.invoke(cli, ["import", str(tmx), "--memory", str(fresh)])
    assert result.exit_code == 0 and "30 translations imported" in result.output
    with TranslationMemory.open(fresh) as memory:
        assert memory.stats()["origin"] == {"mt": 30}


def test_import_rejects_broken_po_with_its_line(tmp_path):
    bad = tmp_path / "bad.po"
    bad.write_text('msgid ""\nmsgstr ""\n"Language: en\\n"\n\nmsgid "a"\nmsgstr "b\n',
                   encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", str(bad), "--memory", str(tmp_path / "m.db")])
    assert result.exit_code == 1
    assert result.output.strip().startswith(f"error: {bad}:6: PO syntax error")
    assert not (tmp_path / "m.db").exists()
