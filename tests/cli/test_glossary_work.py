"""Keeping the term base up to date: ``glossary lint --dictionaries``, ``suggest`` and
``drift`` through click, against hand-written dictionaries (and the real ones when there)."""

from __future__ import annotations

import time

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
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
