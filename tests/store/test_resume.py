"""A killed archive run, started again, continues where it stopped: articles finished before
the SIGKILL are neither translated nor written again, and every output is what one clean run
writes. The kill is a real signal from this process, at an exact point (tests/store/hook)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from pipeline.ingest.article import read_article
from pipeline.ingest.segment import segment_document
from pipeline.testing.archive import write_archive

from .child import Child, run_cli
from .outputs import ok

#: articles finished when the run is killed
FINISHED = 3


def _args(articles, out, jobs):
    return ["run", *articles, "--to", "en,fr", "--engine", "pseudo", "--out", out,
            "--quiet", "--jobs", jobs]


def _outputs(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and ".sqlite" not in p.name and p.name != ".pipeline.lock"}


def _stamps(out: Path, slug: str) -> dict[str, tuple[int, int]]:
    """Each file of an article: a file written again is a new inode (atomic rename)."""
    return {p.relative_to(out).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted(out.rglob(f"{slug}.*")) if p.is_file()}


def _history(out: Path) -> dict[str, int]:
    with sqlite3.connect(out / "review.sqlite") as conn:
        return dict(conn.execute("SELECT a.slug, count(h.seq) FROM article a LEFT JOIN history "
                                 "h ON h.article = a.id GROUP BY a.slug"))


def _names(article: Path) -> set[str]:
    """The made-up name each generated sentence ends in (no two sentences share one)."""
    return {s.text.split()[-1] for s in segment_document(read_article(article))
            if s.text.endswith(".")}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_killed_archive_run_resumes_without_redoing_finished_articles(tmp_path, jobs):
    articles = write_archive(tmp_path / "articles", 7, start=1000)
    out, clean = tmp_path / "out", tmp_path / "clean"
    ok(run_cli(*_args(articles, clean, jobs)))

    child = Child(*_args(articles, out, jobs), scratch=tmp_path, out=out,
                  STOP_COMPLETE=str(FINISHED))
    try:
        assert child.stopped() == f"complete {FINISHED}"
        assert child.kill() != 0
    finally:
        child.close()
    finished = [p.stem for p in articles[:FINISHED]]
    stamps = {slug: _stamps(out, slug) for slug in finished}
    history = _history(out)
    assert set(history) >= set(finished)

    asked = tmp_path / "asked.jsonl"
    again = ok(run_cli(*_args(articles, out, jobs), PIPELINE_TEST_ASKED=str(asked)))
    assert again.stderr == ""

    for slug in finished:  # not written again, nothing new in the store
        assert _stamps(out, slug) == stamps[slug]
        assert _history(out)[slug] == history[slug]
    requested = {json.loads(line)[2].split()[-1] for line in asked.read_text().splitlines()}
    for article in articles[:FINISHED]:  # not translated again
        assert not requested & _names(article)
    for article in articles[FINISHED:]:  # the rest was
        assert _names(article) <= requested
    assert _outputs(out) == _outputs(clean)


@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_a_kill_inside_an_articles_write_phase_leaves_it_to_be_written_again(tmp_path, where):
    """SIGKILL before the first, a middle and the last rename of the fourth article's files
    (its store commit made, its completion record not yet): the rerun writes it again, and
    only it; every output is what one clean run writes."""
    articles = write_archive(tmp_path / "articles", 6, start=2000)
    out, clean = tmp_path / "out", tmp_path / "clean"
    ok(run_cli(*_args(articles, clean, "1")))
    per_article = len(_stamps(clean, articles[0].stem))  # files one article has
    assert per_article >= 8
    before = FINISHED * per_article  # renames of the articles written before it
    step = {"first": 1, "middle": per_article // 2, "last": per_article}[where]

    child = Child(*_args(articles, out, "1"), scratch=tmp_path, out=out,
                  STOP_REPLACE=str(before + step))
    try:
        line = child.stopped()
        assert line.startswith(f"replace {before + step} ")
        assert articles[FINISHED].stem in line  # inside the fourth article's files
        assert child.kill() != 0
    finally:
        child.close()
    finished = [p.stem for p in articles[:FINISHED]]
    stamps = {slug: _stamps(out, slug) for slug in finished}
    cut = articles[FINISHED].stem
    left = _stamps(out, cut)

    asked = tmp_path / "asked.jsonl"
    again = ok(run_cli(*_args(articles, out, "1"), PIPELINE_TEST_ASKED=str(asked)))
    assert again.stderr == ""
    for slug in finished:  # complete: left alone
        assert _stamps(out, slug) == stamps[slug]
    redone = _stamps(out, cut)  # every file of the cut article written again
    assert set(redone) == set(_stamps(clean, cut))
    assert all(redone[name] != left.get(name) for name in redone)
    requested = {json.loads(line)[2].split()[-1] for line in asked.read_text().splitlines()}
    assert not requested & _names(articles[FINISHED])  # from the store: no engine work
    assert _outputs(out) == _outputs(clean)
