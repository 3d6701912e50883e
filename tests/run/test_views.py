"""The files are views of the review store: rendered again from the store alone (no source
file, no engine), they are the same bytes; a person's edit in one file shows in all."""

from __future__ import annotations

import shutil
import sqlite3

import polib
import pytest

from pipeline.mt.pseudo import PseudoEngine
from pipeline.run.options import RunOptions
from pipeline.run.runner import run
from pipeline.run.views import rerender

from ..conftest import ROOT, SAMPLE


@pytest.fixture
def written(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    article = tmp_path / "sora.txt"
    shutil.copyfile(SAMPLE, article)
    out = tmp_path / "out"
    run([article], RunOptions(targets=("en", "fr"), out_dir=out, quiet=True,
                              glossary=ROOT / "glossary"), PseudoEngine())
    article.unlink()  # the views need no source file
    return out


def _files(out):
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.suffix != ".sqlite" and p.name != ".pipeline.lock"}


def test_rendering_again_from_the_store_gives_the_same_bytes(written):
    before = _files(written)
    assert len(before) == 11  # 2 × (PO, XLIFF, Markdown, JSONL, terms) + the review page
    written_now = rerender(written, "sora")
    assert sorted(p.relative_to(written).as_posix() for p in written_now) == sorted(before)
    assert _files(written) == before
    for path in written_now:
        path.unlink()
    rerender(written, "sora")
    assert _files(written) == before


def test_the_render_command(written):
    from click.testing import CliRunner

    from pipeline.cli import cli

    (written / "fr" / "sora.md").unlink()
    result = CliRunner().invoke(cli, ["store", "render", "--out", str(written), "sora"])
    assert result.exit_code == 0, result.output
    assert str(written / "fr" / "sora.md") in result.output.splitlines()
    assert (written / "fr" / "sora.md").exists()


def test_an_edit_in_one_file_shows_in_every_view(written):
    po_path = written / "en" / "LC_MESSAGES" / "sora.po"
    catalog = polib.pofile(str(po_path))
    entry = catalog[1]
    entry.msgstr, entry.flags = "A reviewer's sentence.", []
    catalog.save(str(po_path))
    rerender(written, "sora")
    xliff = (written / "en" / "sora.xlf").read_text(encoding="utf-8")
    assert "A reviewer's sentence." in xliff and 'state="reviewed"' in xliff
    page = (written / "review" / "sora.html").read_text(encoding="utf-8")
    assert "A reviewer&#39;s sentence." in page or "A reviewer's sentence." in page
    markdown = (written / "en" / "sora.md").read_text(encoding="utf-8")
    assert "A reviewer's sentence." in markdown
    [again] = [e for e in polib.pofile(str(po_path)) if e.msgctxt == entry.msgctxt]
    assert (again.msgstr, again.fuzzy) == ("A reviewer's sentence.", False)
    assert "machine translation" not in again.comment.splitlines()
    with sqlite3.connect(written / "review.sqlite") as conn:
        assert conn.execute("SELECT status FROM segment WHERE sid = ? AND lang = 'en'",
                            (entry.msgctxt,)).fetchone() == ("reviewed",)
