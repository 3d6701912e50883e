"""Archive scale: shards by tokens, results streamed article by article, ``jobs`` worker
processes giving the very bytes of one process, and articles complete for a run left alone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline import translate_articles, write_results
from pipeline.memory.store import TmUnit, TranslationMemory
from pipeline.model.errors import InputError, OptionError
from pipeline.run.options import RunOptions
from pipeline.run.results import ArticleResult, Unchanged
from pipeline.run.runner import run
from pipeline.run.shards import SHARD_TOKENS, shards, tokens
from pipeline.testing.archive import write_archive
from pipeline.testing.fake_engine import FakeEngine

from ..conftest import ROOT, SAMPLE

GLOSSARY = ROOT / "glossary"
MARKDOWN = "# KI im Kino\n\nDer **Streik** ist [vorbei](https://example.org/streik).\n"
HTML = ("<html><body><h1>KI im Kino</h1><p>Laut <a href=\"https://x.de\">Bloomberg</a> "
        "ist der Streik vorbei. Die Studios geben nach.</p></body></html>\n")


def _outputs(out: Path) -> dict[str, bytes]:
    """Every file a person reads (not the SQLite files, whose bytes change anyway)."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and ".sqlite" not in p.name and p.name != ".pipeline.lock"}


def _stamps(out: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(out).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted(out.rglob("*"))
            if p.is_file() and ".sqlite" not in p.name and p.name != ".pipeline.lock"}


@pytest.fixture(scope="module")
def articles(tmp_path_factory) -> list[Path]:
    """The sample, a Markdown and an HTML article, and generated ones."""
    folder = tmp_path_factory.mktemp("articles")
    (folder / "kino.md").write_text(MARKDOWN, encoding="utf-8")
    (folder / "seite.html").write_text(HTML, encoding="utf-8")
    shutil.copy(SAMPLE, folder / SAMPLE.name)
    return [folder / SAMPLE.name, folder / "kino.md", folder / "seite.html",
            *write_archive(folder / "archive", 9)]


def _memory(path: Path) -> Path:
    """A memory with people's work the articles can use (exact and fuzzy)."""
    from pipeline.ingest.article import read_article
    from pipeline.ingest.segment import segment_document

    texts = [s.plain for s in segment_document(read_article(SAMPLE))][:6]
    with TranslationMemory.open(path) as memory:
        memory.add([TmUnit("de", "en", texts[0], "A person's English.", "human"),
                    TmUnit("de", "fr", texts[1] + " Heute.", "Le français d'une personne.",
                           "human")])
    return path


def _run(articles, out, engine="pseudo", **options):
    results = translate_articles(articles, targets=["en", "fr"], engine=engine,
                                 glossary=GLOSSARY, previous=out, memory=out / "memory.sqlite",
                                 **options)
    return write_results(results, out, memory=out / "memory.sqlite")


def test_shards_close_at_the_token_rule_or_the_article_cap():
    class Item:
        def __init__(self, size):
            self.tokens = size

    sizes = [5, 5, 5, 20, 1, 1]
    cut = [[i.tokens for i in shard] for shard in shards(map(Item, sizes), 10)]
    assert cut == [[5, 5], [5, 20], [1, 1]]
    assert [[i.tokens for i in s] for s in shards(map(Item, sizes), 100, 4)] == [
        [5, 5, 5, 20], [1, 1]]
    assert SHARD_TOKENS == 64 * 2048

    class Text:
        def __init__(self, text):
            self.text = text

    assert tokens([Text("abcd"), Text("abcde"), Text("")]) == 1 + 2 + 1


def test_an_archive_goes_through_the_engine_shard_by_shard(articles):
    engine = FakeEngine()
    stream = translate_articles(articles[3:], targets=["en"], engine=engine, batch_size=2)
    first = next(stream)
    assert first.slug == articles[3].stem and len(engine.requests) == 1
    rest = list(stream)
    assert [r.slug for r in rest] == [p.stem for p in articles[4:]]
    assert len(engine.requests) == 5  # two articles per engine call


def test_two_jobs_give_the_bytes_of_one(articles, tmp_path):
    outs = {}
    for jobs in (1, 2):
        out = tmp_path / f"jobs{jobs}"
        _memory(out / "memory.sqlite")
        _run(articles, out, jobs=jobs, batch_size=3)
        outs[jobs] = _outputs(out)
    assert outs[1] == outs[2]
    assert len(outs[1]) >= len(articles) * 9  # every file of every article and language
    english = outs[1]["en/LC_MESSAGES/sora-hollywood.po"].decode()
    assert "A person's English." in english  # the memory was read in both


def test_worker_errors_are_the_same_one_line(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="file is empty"):
        list(translate_articles([SAMPLE, empty], targets=["en"], engine="pseudo", jobs=2))
    with pytest.raises(OptionError, match="jobs must be at least 1"):
        translate_articles([SAMPLE], targets=["en"], engine="pseudo", jobs=0)


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_shards_before_an_unreadable_article_are_written(articles, tmp_path, jobs):
    written = written_before_failure(articles, tmp_path, jobs=jobs)
    assert written == [p.stem for p in articles[3:7]]  # two whole shards of two


def written_before_failure(articles, tmp_path, **options) -> list[str]:
    """The articles a run writes before it meets an unreadable one in its third shard."""
    from pipeline import write_each

    bad = tmp_path / "unreadable.txt"
    bad.write_bytes(b"")
    chosen = [*articles[3:7], bad, *articles[7:9]]
    out = tmp_path / "out"
    results = translate_articles(chosen, targets=["en"], engine="pseudo", batch_size=2,
                                 previous=out, **options)
    written = []
    with pytest.raises(InputError, match="empty"):
        for output in write_each(results, out):
            written.append(output.article)
    assert all((out / "en" / f"{slug}.md").is_file() for slug in written)
    return list(dict.fromkeys(written))


def test_a_complete_article_is_left_alone_until_something_it_is_made_from_changes(
        articles, tmp_path):
    out = tmp_path / "o"
    chosen = articles[:3]
    _run(chosen, out)
    stamps, engine = _stamps(out), FakeEngine()

    def again(**options):
        results = list(translate_articles(
            chosen, targets=["en", "fr"], engine=options.pop("engine", "pseudo"),
            glossary=GLOSSARY, previous=out, memory=out / "memory.sqlite",
            skip_complete=True, **options))
        write_results(results, out, memory=out / "memory.sqlite")
        return {r.slug: type(r) for r in results}

    results = list(translate_articles(chosen, targets=["en", "fr"], engine=engine,
                                      glossary=GLOSSARY, previous=out,
                                      memory=out / "memory.sqlite", skip_complete=True))
    assert [type(r) for r in results] == [ArticleResult] * 3  # a run without a record
    assert again() == {p.stem: ArticleResult for p in chosen}  # … this run makes it …
    stamps = _stamps(out)
    assert again() == {p.stem: Unchanged for p in chosen}  # … and the next leaves it
    assert _stamps(out) == stamps
    written = write_results(translate_articles(
        chosen, targets=["en", "fr"], engine="pseudo", glossary=GLOSSARY, previous=out,
        memory=out / "memory.sqlite", skip_complete=True), out)
    assert all(s.skipped and s.translated_now == 0 and s.segments for s in written)

    _edit(out / "fr" / "LC_MESSAGES" / "kino.po", "Un brouillon.", fuzzy=True)  # a draft
    assert again() == {"sora-hollywood": Unchanged, "kino": ArticleResult,
                       "seite": Unchanged}
    _edit(out / "fr" / "LC_MESSAGES" / "kino.po", "Signé.", fuzzy=False)  # a sign-off:
    assert set(again().values()) == {ArticleResult}  # it may serve any article of the run
    assert set(again().values()) == {ArticleResult}  # and it is in the memory now
    assert set(again().values()) == {Unchanged}
    (out / "en" / "seite.html").unlink()  # a file gone
    assert again()["seite"] is ArticleResult
    chosen[2].write_text(HTML.replace("nach.", "nach!"), encoding="utf-8")  # the source
    try:
        assert again()["seite"] is ArticleResult
    finally:
        chosen[2].write_text(HTML, encoding="utf-8")
    assert again(engine=FakeEngine()) == {p.stem: ArticleResult for p in chosen}  # engine
    assert again(engine=FakeEngine(), tweets="keep") == {p.stem: ArticleResult for p in chosen}
    with TranslationMemory.open(out / "memory.sqlite") as memory:  # people's memory
        memory.add([TmUnit("de", "en", "Ein neuer Satz.", "A new sentence.", "human")])
    assert set(again(engine=FakeEngine(), tweets="keep").values()) == {ArticleResult}
    assert set(again(engine=FakeEngine(), tweets="keep").values()) == {Unchanged}


def _edit(po: Path, text: str, *, fuzzy: bool) -> None:
    import polib

    catalog = polib.pofile(str(po))
    entry = catalog[0]
    entry.msgstr, entry.flags = text, (["fuzzy"] if fuzzy else [])
    catalog.save(str(po))


def test_the_cli_run_resumes_by_itself(articles, tmp_path):
    out = tmp_path / "o"
    options = RunOptions(targets=("en",), out_dir=out, glossary=GLOSSARY, batch_size=2)
    first = run(articles[3:7], options, FakeEngine())
    assert not any(s.skipped for s in first)
    engine = FakeEngine()
    again = run(articles[3:8], options, engine)
    assert [s.skipped for s in again] == [True] * 4 + [False]
    assert [s.segments for s in again[:4]] == [s.segments for s in first]
    # each generated sentence ends in a name of its own: none of a finished article is asked
    names = [{s.text.split()[-1] for s in _segments(p) if s.text.endswith(".")}
             for p in articles[3:8]]
    asked = {text.split()[-1] for _, _, text in engine.decoded if text.endswith(".")}
    assert asked == names[-1] and not asked & set().union(*names[:-1])


def _segments(path: Path):
    from pipeline.ingest.article import read_article
    from pipeline.ingest.segment import segment_document

    return segment_document(read_article(path))


def test_a_save_between_translating_and_writing_is_rendered_alike_by_two_jobs(
        articles, tmp_path):
    outs = {}
    for jobs in (1, 2):
        out = tmp_path / f"jobs{jobs}"
        _run(articles[:3], out)
        results = list(translate_articles(
            articles[:3], targets=["en", "fr"], engine="pseudo", glossary=GLOSSARY,
            previous=out, memory=out / "memory.sqlite", jobs=jobs, retranslate=True))
        _edit(out / "en" / "LC_MESSAGES" / "kino.po", "Saved meanwhile.", fuzzy=False)
        write_results(results, out, memory=out / "memory.sqlite")
        outs[jobs] = _outputs(out)
        assert "Saved meanwhile." in outs[jobs]["review/kino.html"].decode()
    assert outs[1] == outs[2]


def test_one_thread_budget_for_the_workers_and_the_engine(monkeypatch):
    from pipeline.run import pool

    monkeypatch.setattr(pool, "cores", lambda: 8)
    assert pool.engine_threads(1) == 0  # nothing runs beside it: CTranslate2 decides
    assert pool.engine_threads(2) == 6  # the cores the workers leave
    assert pool.engine_threads(8) == 1  # never none
    assert pool.engine_threads(2, threads=3) == 3  # --threads says so
