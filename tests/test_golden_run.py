"""Every text output of a run, pinned: the sample, a Markdown and an HTML article, pseudo engine,
the project's glossary, then a reviewer's fix and a second run.

This is the guard for refactoring: moving code must not change one byte a user sees.
``UPDATE_GOLDEN=1`` rewrites the files after an intended change (review the diff).
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from pipeline.cli import cli

from .conftest import ROOT, SAMPLE

GOLDEN = Path(__file__).resolve().parent / "golden" / "run"

MARKDOWN = """# KI-Filme im Kino

Der Regisseur sagt, dass **generative KI** die Filmbranche verändert.

- Erstens: Drehbücher werden schneller geschrieben.
- Zweitens: 204.000 Menschen arbeiten in der Branche.

> Ein Zitat über Sora von OpenAI.
"""

HTML = """<!DOCTYPE html><html lang="de"><head><title>Test</title></head><body>
<h1>Streik in Hollywood</h1>
<p>Die Schauspieler streiken gegen <a href="https://example.com/ki">KI</a> im Film.
Mehr unter https://example.com oder bei @sagaftra.</p>
<ul><li>Erster Punkt über Algorithmen.</li><li>Zweiter Punkt.</li></ul>
</body></html>
"""


def _invoke(*args: object) -> None:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output


_MEMORY_ROWS = ("SELECT source_lang, target_lang, source, target, origin, article, segment_id"
                " FROM unit ORDER BY source_lang, target_lang, source_key, origin")
#: the review store: its history and current state (wall-clock times left out)
_STORE_ROWS = ("SELECT 'history', seq, lang, sid, kind, target, status, engine, place "
               "FROM history UNION ALL SELECT 'segment', position, lang, sid, source, target, "
               "status, engine, place FROM segment ORDER BY 1, 3, 2, 4")


def _snapshot(out: Path) -> dict[str, str]:
    """Every file under ``out`` as text, the memory as its rows (times left out)."""
    files = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        name = path.relative_to(out).as_posix()
        if path.name == ".pipeline.lock":  # the pid of the last holder
            continue
        if path.suffix == ".sqlite":
            query = _STORE_ROWS if path.name == "review.sqlite" else _MEMORY_ROWS
            with sqlite3.connect(path) as conn:
                rows = conn.execute(query).fetchall()
            files[name] = "\n".join(json.dumps(row, ensure_ascii=False) for row in rows) + "\n"
        else:
            files[name] = path.read_text(encoding="utf-8")
    return files


def _compare(stage: str, files: dict[str, str]) -> None:
    folder = GOLDEN / stage
    if os.environ.get("UPDATE_GOLDEN"):
        for old in folder.rglob("*.golden"):
            old.unlink()
        for name, text in files.items():
            path = folder / (name + ".golden")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    expected = {p.relative_to(folder).as_posix()[: -len(".golden")]: p.read_text(encoding="utf-8")
                for p in folder.rglob("*.golden")}
    assert sorted(files) == sorted(expected)
    differing = [name for name, text in files.items() if text != expected[name]]
    assert not differing, f"{stage}: differ from their golden files: {differing}"


@pytest.fixture()
def articles(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "ki-filme.md").write_text(MARKDOWN, encoding="utf-8")
    (folder / "streik.html").write_text(HTML, encoding="utf-8")
    (folder / SAMPLE.name).write_bytes(SAMPLE.read_bytes())
    # relative, as a user types them: the review page shows the path given
    return [Path("articles") / name for name in (SAMPLE.name, "ki-filme.md", "streik.html")]


def test_every_output_of_a_run_and_a_rerun_after_review(tmp_path, articles, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "locales"
    run = ("run", *articles, "--to", "en,fr", "--out", "locales", "--engine", "pseudo",
           "--glossary", ROOT / "glossary", "--quiet")
    _invoke(*run)
    _compare("first", _snapshot(out))

    po_path = out / "en" / "LC_MESSAGES" / "sora-hollywood.po"
    catalog = polib.pofile(str(po_path), wrapwidth=0)
    entry = next(e for e in catalog if e.msgid and not e.obsolete)
    entry.msgstr = "A reviewer's own translation."
    entry.flags = [f for f in entry.flags if f != "fuzzy"]
    entry.tcomment = "checked against the press release"
    catalog.save(str(po_path))
    _invoke(*run)
    _compare("second", _snapshot(out))
