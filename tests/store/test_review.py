"""The review store as a run's past (ReviewState): what a harvest reports and cleans up."""

from __future__ import annotations

import polib

from pipeline.store.db import NAME, ReviewStore

from .child import run_cli

SENTENCES = ["Der Streik ist vorbei.", "Die Studios haben nachgegeben."]


def _run(article, out, *more):
    result = run_cli("run", article, "--to", "en", "--engine", "pseudo", "--out", out,
                     "--no-glossary", "--quiet", *more)
    assert result.returncode == 0, result.stderr
    return result


def test_an_edit_that_fits_no_sentence_is_reported_and_kept(tmp_path):
    article, out = tmp_path / "a.txt", tmp_path / "out"
    article.write_text(" ".join(SENTENCES) + "\n", encoding="utf-8")
    _run(article, out)
    po = out / "en" / "LC_MESSAGES" / "a.po"
    catalog = polib.pofile(str(po))
    catalog.append(polib.POEntry(msgid="Ein Satz, den es nie gab.", msgstr="A stray review."))
    catalog.save(str(po))
    said = _run(article, out).stderr
    assert "a.po: kept in the review store's history, but no sentence of a matches it" in said
    with ReviewStore.open(out / NAME) as review:
        [event] = [e for e in review.history(review.article_id("a")) if e.kind == "unplaced"]
    assert (event.source, event.target, event.sid) == ("Ein Satz, den es nie gab.",
                                                       "A stray review.", None)
    assert "kept in the review store" not in _run(article, out).stderr  # taken once


def test_temp_files_of_a_killed_run_are_swept_under_the_lock(tmp_path):
    article, out = tmp_path / "a.txt", tmp_path / "out"
    article.write_text(" ".join(SENTENCES) + "\n", encoding="utf-8")
    _run(article, out)
    ours = out / "en" / "LC_MESSAGES" / ".a.po.k3j9_x2a.tmp"
    theirs = out / "en" / "LC_MESSAGES" / "notes.tmp"
    for path in (ours, theirs):
        path.write_text("left behind", encoding="utf-8")
    _run(article, out, "--retranslate")  # writes the article again (it was complete)
    assert not ours.exists() and theirs.exists()
