"""The dictionary layer: Ding and FreeDict readers, the cached index, German-aware lookups.

Unit tests read small fixtures written by hand in each format (tests/data/dictionaries);
the last tests use the real Debian packages when they are installed (find-or-skip).
"""

from __future__ import annotations

import gzip
import os
import shutil
import time

import pytest

from pipeline.glossary.dictindex import cache_folder
from pipeline.glossary.dictionaries import agrees, open_dictionaries
from pipeline.glossary.dictsources import (
    ENV,
    HINT,
    clean,
    dictd_entry,
    ding_line,
    discover,
    read_entries,
)
from pipeline.model.errors import GlossaryError

from ..conftest import ROOT
from ..tools import require_dictionaries

FIXTURES = ROOT / "tests" / "data" / "dictionaries"


@pytest.fixture
def folder(tmp_path):
    """The fixtures, with the FreeDict data packed as dictzip (gzip) the way Debian has it."""
    copy = tmp_path / "dicts"
    shutil.copytree(FIXTURES, copy)
    plain = copy / "freedict-deu-fra.dict"
    (copy / "freedict-deu-fra.dict.dz").write_bytes(gzip.compress(plain.read_bytes()))
    plain.unlink()
    return copy


@pytest.fixture
def dicts(folder, tmp_path):
    opened = open_dictionaries(folder, cache=tmp_path / "cache" / "d.sqlite")
    yield opened
    opened.close()


def test_ding_line_columns_plurals_labels_and_abbreviations():
    line = ("Intelligenz {f} [psych.] | künstliche Intelligenz {f} /KI/ | Modelle {pl} :: "
            "intelligence | artificial intelligence /AI/ | models")
    entries = {e.headword: e for e in ding_line(line)}
    assert entries["Intelligenz"].translations == (("intelligence", ("psych.",)),)
    assert entries["KI"].translations[:2] == (("AI", ()), ("artificial intelligence", ()))
    assert entries["künstliche Intelligenz"].noun
    assert "Modelle" in entries and entries["Modelle"].lemma == ""  # not the plural of KI
    plural = {e.headword: e for e in ding_line("Drehbuch {n} | Drehbücher {pl} :: a | b")}
    assert plural["Drehbücher"].lemma == "Drehbuch"
    assert ding_line("no separator here") == []


def test_clean_drops_grammar_comments_and_hints_and_keeps_labels():
    assert clean("Regisseur {m} (Theater; Film) <Regiseur> [art]") == ("Regisseur", ("art",))
    assert clean("theatre director [Br.]") == ("theatre director", ("Br.",))


@pytest.mark.parametrize(("text", "headword", "first"), [
    ("Streik /ʃtɾˈaɪk/ <masc, n, sg>\nstrike <n>, stoppage <n>\n   Note: x\n", "Streik",
     ("strike", ())),
    ("Film /fɪlm/ <n, masc>\n1. film 2.\ndünne Schicht\n 3.\nBilder\n2. film, pellicule\nx\n",
     "Film", ("film", ())),
    ("strike /straik/\n1. battre, frapper\n2. grève\n", "strike", ("battre", ())),
    ("Film /fˈɪlm/ <masc, n, sg>\n [photo.] roll of film <n>, film <n> [mass noun]\n",
     "Film", ("roll of film", ("photo.",))),
])
def test_dictd_entry_shapes(text, headword, first):
    entry = dictd_entry(text)
    assert entry is not None and entry.headword == headword
    assert entry.translations[0] == first


def test_discover_reads_every_format_and_the_environment(folder, monkeypatch):
    names = {s.name: s for s in discover(folder)}
    assert set(names) == {"ding-de-en", "freedict-deu-eng", "freedict-deu-fra",
                          "freedict-eng-fra"}
    assert names["freedict-deu-fra"].data.name == "freedict-deu-fra.dict.dz"
    assert read_entries(names["freedict-deu-eng"])[0] == "ding"  # Ding converted: one family
    monkeypatch.setenv(ENV, str(folder))
    assert {s.name for s in discover()} == set(names)
    with pytest.raises(GlossaryError, match="no such dictionary folder"):
        discover(folder / "missing")


def test_lookup_headword_inflection_and_compound_head(dicts):
    streik = dicts.lookup("Streik", "en")
    assert streik[0].text == "strike" and streik[0].match == "headword"
    assert streik[-1].text == "stoppage"  # [ugs.] ranks last
    festivals = dicts.lookup("Filmfestivals", "en")[0]
    assert (festivals.text, festivals.match) == ("film festival", "inflected")
    head = dicts.lookup("Filmstreik", "en")[0]
    assert (head.text, head.match) == ("strike", "head")
    assert "head Streik" in head.provenance()
    assert dicts.lookup("KI-Modelle", "en")[0].match == "head"
    assert dicts.lookup("Filmstreik", "en", heads=False) == []
    assert dicts.lemma("Drehbücher") == "Drehbuch" and dicts.knows("Gewerkschaften")
    assert not dicts.knows("Perry")


def test_ranking_domain_labels_and_agreeing_dictionaries(dicts):
    union = dicts.lookup("Gewerkschaft", "en")
    assert union[0].text == "union" and union[0].agreeing == 1  # Ding and its FreeDict copy
    assert [c.text for c in dicts.lookup("Wettbewerb", "en")] == ["competition", "contest"]
    premiere = dicts.lookup("Premiere", "en")[0]
    assert "[art]" in premiere.provenance()


def test_french_directly_and_through_english(dicts):
    greve = dicts.lookup("Streik", "fr")
    assert greve[0].text == "grève" and greve[0].agreeing == 2 and greve[0].direct
    syndicat = {c.text: c for c in dicts.lookup("Gewerkschaft", "fr")}
    assert not syndicat["syndicat"].direct and "via union" in syndicat["syndicat"].provenance()
    assert dicts.lookup("Streik", "es") == [] and dicts.languages() == {"en", "fr"}


def test_index_is_built_once_and_again_when_a_file_changes(folder, tmp_path):
    cache = tmp_path / "c.sqlite"
    said: list[str] = []
    open_dictionaries(folder, cache=cache, say=said.append).close()
    assert sum(line.startswith("indexing") for line in said) == 4
    said.clear()
    started = time.monotonic()
    again = open_dictionaries(folder, cache=cache, say=said.append)
    assert said == [] and time.monotonic() - started < 1
    again.close()
    ding = folder / "de-en"
    ding.write_text(ding.read_text(encoding="utf-8") + "Jobabbau {m} :: job cuts\n",
                    encoding="utf-8")
    os.utime(ding, ns=(time.time_ns(), time.time_ns() + 10**9))
    changed = open_dictionaries(folder, cache=cache, say=said.append)
    assert [line for line in said if line.startswith("indexing")] == [f"indexing {ding} (once; "
                                                                       f"kept in {cache}) …"]
    assert changed.lookup("Jobabbau", "en")[0].text == "job cuts"
    changed.close()


def test_no_dictionaries_says_how_to_add_them(tmp_path):
    said: list[str] = []
    empty = open_dictionaries(tmp_path, say=said.append)
    assert not empty.available and empty.lookup("Streik", "en") == [] and said == [HINT]
    assert "apt-get install trans-de-en" in HINT


def test_cache_is_in_xdg_cache_home_else_dot_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_folder() == tmp_path / "xdg" / "news-l10n-pipeline"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_folder() == tmp_path / "home" / ".cache" / "news-l10n-pipeline"


@pytest.mark.parametrize(("target", "offered", "same"), [
    ("strike", "Strike", True), ("job cuts", "job cut", True), ("go on strike", "to go on strike",
                                                                 True),
    ("post-production", "post production", True), ("strike", "stroke", False),
])
def test_agrees(target, offered, same):
    assert agrees(target, offered) is same


@pytest.fixture(scope="module")
def debian():
    """Debian's dictionaries, indexed in the session's cache (tests/conftest.py points
    XDG_CACHE_HOME into the sandbox), so every test that needs them shares one index."""
    require_dictionaries()
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(ENV, raising=False)
        opened = open_dictionaries()
    yield opened
    opened.close()


def test_real_dictionaries(debian):
    assert debian.languages() >= {"en", "fr", "es"}
    assert debian.lookup("Filmfestivals", "en")[0].text == "film festival"
    assert debian.lookup("Streik", "fr")[0].text == "grève"
    assert debian.lookup("Streik", "es")[0].text == "huelga"
    assert debian.lookup("Filmstreik", "en")[0].match == "head"
