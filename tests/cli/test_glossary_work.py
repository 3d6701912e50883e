"""Keeping the term base up to date: ``glossary lint --dictionaries``, ``suggest`` and
``drift`` through click, against hand-written dictionaries (and the real ones when there)."""

from __future__ import annotations

import shutil
import time

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.glossary import load_glossary
from pipeline.glossary.dictsources import ENV, HINT
from pipeline.glossary.termbase import FIXED_COLUMNS, TAIL_COLUMNS

from ..conftest import ROOT
from ..tools import require_dictionaries

FIXTURES = ROOT / "tests" / "data" / "dictionaries"
HEADER = "\t".join([*FIXED_COLUMNS, "en", "fr", "es", *TAIL_COLUMNS])


def invoke(base, *args, dicts=FIXTURES):
    extra = ["--dict-dir", str(dicts)] if dicts is not None else []
    return CliRunner().invoke(cli, ["glossary", "--dir", str(base), *extra, *map(str, args)])


@pytest.fixture
def small(tmp_path):
    """Three concepts: one the dictionaries agree with, one they do not, one they lack."""
    folder = tmp_path / "glossary"
    folder.mkdir()
    rows = ["drehbuch\tDrehbuch\t\tnoun\tany\tno\tscreenplay\tscénario\tguion\t\t",
            "streik\tStreik\tAusstand\tnoun\tany\tno\twalkout\tdébrayage\thuelga\t\t",
            "zeitlupe\tZeitlupe\t\tnoun\tany\tno\tslow motion\tralenti\tcámara lenta\t\t"]
    (folder / "film.tsv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(autouse=True)
def _own_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv(ENV, raising=False)


def test_lint_with_dictionaries_warns_and_passes(small):
    result = invoke(small, "lint", "--dictionaries")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines == [f"{small / 'film.tsv'}:3: warning: streik: fr target 'débrayage' is not "
                     "among the dictionaries' translations ('grève', 'battre', 'frapper')"]
    assert "0 error(s), 1 warning(s) (with 4 dictionaries" in result.stderr
    # "walkout" is one of Ding's senses of Streik; es has no dictionary here, so no warning
    assert invoke(small, "lint").stdout == ""


def test_lint_without_dictionaries_says_once_how_to_add_them(small, tmp_path):
    empty = tmp_path / "none"
    empty.mkdir()
    result = invoke(small, "lint", "--dictionaries", dicts=empty)
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr.count(HINT) == 1
    missing = invoke(small, "lint", "--dictionaries", dicts=tmp_path / "absent")
    assert missing.exit_code == 1 and "no such dictionary folder" in missing.stderr


def test_lint_with_the_real_dictionaries_is_fast_once_indexed(monkeypatch, tmp_path):
    """The whole project term base against Debian's dictionaries, in the session's cache."""
    require_dictionaries()
    monkeypatch.undo()  # the session's cache (tests/conftest.py): indexed once per session
    monkeypatch.delenv(ENV, raising=False)
    first = invoke(ROOT / "glossary", "lint", "--dictionaries", dicts=None)
    assert first.exit_code == 0, first.output
    started = time.monotonic()
    again = invoke(ROOT / "glossary", "lint", "--dictionaries", dicts=None)
    elapsed = time.monotonic() - started
    assert again.exit_code == 0 and again.stdout == first.stdout
    assert "indexing" not in again.stderr and elapsed < 5, elapsed
    assert " error" not in again.stdout


ARTICLE = ROOT / "tests" / "data" / "suggest" / "ki-filmfestival.txt"
#: The term base as it was when the article was written (the project's grows to cover it).
SUGGEST_BASE = ROOT / "tests" / "data" / "suggest" / "glossary"


def rows_of(text: str) -> dict[str, dict[str, str]]:
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    header = lines[0].split("\t")
    return {cells[1]: dict(zip(header, cells, strict=True))
            for cells in (line.split("\t") for line in lines[1:])}


def test_suggest_proposes_compounds_names_with_targets_and_coverage(tmp_path):
    result = invoke(SUGGEST_BASE, "suggest", ARTICLE)
    assert result.exit_code == 0, result.output
    rows = rows_of(result.stdout)
    for compound in ("Filmstreik", "KI-Schauspieler", "KI-Doubles", "Open-Source-KI"):
        assert rows[compound]["kind"] == "compound" and rows[compound]["take"] == "no"
    # the tiny dictionaries split no closed term of the term base (Film|branche), so Film-
    # and -modell are no parts here: Filmfestival is a noun of the beat (its [art] label),
    # Videomodell an unknown compound (the dictionaries know its head)
    assert rows["Filmfestival"]["kind"] == rows["Videomodell"]["kind"] == "noun"
    for name in ("Screen Actors Guild", "Sam Altman", "Christopher Nolan",
                 "Academy of Motion Picture Arts and Sciences"):
        assert rows[name]["kind"] == "name" and rows[name]["dnt"] == "yes"
        assert rows[name]["en"] == rows[name]["fr"] == name
    festival = rows["Filmfestival"]
    assert (festival["en"], festival["count"]) == ("film festival", "2")
    assert festival["en candidates"].startswith(
        "film festival (ding-de-en+freedict-deu-eng; [art])")
    strike = rows["Filmstreik"]
    assert "head Streik" in strike["en candidates"] and strike["fr"] == "grève de film"
    assert "composed; composed Film (freedict-deu-fra) + Streik (term base)" in \
        strike["fr candidates"]
    assert rows["Open-Source-KI"]["en"] == "open source AI"  # composed from the term base
    assert "Filmbranche" not in rows and "KI-Modell" not in rows  # in the term base already
    assert "ki-filmfestival: " in festival["contexts"]
    assert "coverage en: " in result.stderr and "coverage es: 0 whole term" in result.stderr


def test_suggest_without_dictionaries_still_proposes(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = invoke(SUGGEST_BASE, "suggest", ARTICLE, "--min-count", "2", dicts=empty)
    assert result.exit_code == 0, result.output
    rows = rows_of(result.stdout)
    assert {"KI-Schauspieler", "Filmstreik"} <= set(rows)
    assert all(int(row["count"]) >= 2 for row in rows.values())
    assert result.stderr.count(HINT) == 1
    assert "coverage en: 0 whole term, 0 from its parts" in result.stderr


def test_suggestions_are_imported_after_a_person_takes_them(tmp_path):
    base = tmp_path / "glossary"
    shutil.copytree(SUGGEST_BASE, base)
    out = tmp_path / "suggestions.tsv"
    assert invoke(base, "suggest", ARTICLE, "-o", out).exit_code == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    header = lines[1].split("\t")
    edited = []
    for line in lines:
        cells = line.split("\t")
        if cells[0] in ("filmfestival", "sam-altman"):
            cells[header.index("take")] = "yes"
        if cells[0] == "filmfestival":  # the person fills in what the dictionaries lack
            cells[header.index("es")] = "festival de cine"
            cells[header.index("domain")] = "film"
        edited.append("\t".join(cells))
    out.write_text("\n".join(edited) + "\n", encoding="utf-8")
    result = invoke(base, "import", out)
    assert result.exit_code == 0, result.output
    assert "2 added, 0 updated, 0 unchanged" in result.stdout
    glossary = load_glossary(base)
    assert glossary.get("filmfestival").targets["en"] == "film festival"
    assert glossary.get("filmfestival").domain == "film"
    assert glossary.get("filmfestival").targets["es"] == "festival de cine"
    assert glossary.get("sam-altman").dnt and glossary.get("sam-altman").domain == "names"
    assert invoke(base, "lint").exit_code == 0
    bad = [line.split("\t") for line in edited]
    bad[2][header.index("take")] = "maybe"
    out.write_text("\n".join("\t".join(cells) for cells in bad) + "\n", encoding="utf-8")
    result = invoke(base, "import", out)
    assert result.exit_code == 1 and "take 'maybe' is not yes or no" in result.stderr


def test_suggest_with_the_real_dictionaries(monkeypatch):
    """The compound-rich fixture article against Debian's dictionaries (find-or-skip)."""
    require_dictionaries()
    monkeypatch.undo()
    monkeypatch.delenv(ENV, raising=False)
    result = invoke(SUGGEST_BASE, "suggest", ARTICLE, dicts=None)
    assert result.exit_code == 0, result.output
    rows = rows_of(result.stdout)
    compounds = [r for r in rows.values() if r["kind"] == "compound"]
    assert {"Filmfestival", "Filmstreik", "KI-Schauspieler", "Filmcrew", "KI-Double",
            "Videomodell", "Streamingbranche", "Fernsehbranche", "Open-Source-KI"} <= {
        r["de"] for r in compounds}
    assert {"Screen Actors Guild", "Sam Altman", "Christopher Nolan"} <= set(rows)
    assert all(r["en candidates"] for r in compounds)
    assert rows["Filmfestival"]["en"] == "film festival"
    assert rows["Filmstreik"]["en"] == "film strike"
    for lang in ("en", "fr", "es"):
        assert f"coverage {lang}: " in result.stderr
