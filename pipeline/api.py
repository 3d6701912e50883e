"""The public Python API: translate articles (a stream of typed results, no files touched),
then write them. The CLI's ``run`` is exactly these two calls.

    from pipeline import translate_articles, write_results

    results = list(translate_articles(["articles/de/sora-hollywood.txt"],
                                      targets=["en", "fr"], engine="pseudo", previous="locales"))
    for article in results:
        for t in article["en"].translations:
            print(t.segment.id, t.status, t.target, [f.check for f in t.findings])
    write_results(results, "locales")
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Literal, overload

from pipeline.ingest.article import MAX_ARTICLE_BYTES
from pipeline.mt.engine import Engine, load_engine
from pipeline.run.options import RunOptions
from pipeline.run.results import ArticleResult, Unchanged
from pipeline.run.resume import Resume
from pipeline.run.runner import Source, open_memory, stream
from pipeline.run.select import DEFAULT_N, STRATEGY
from pipeline.run.write import OutputSet
from pipeline.run.write import write_each as _write
from pipeline.store.previous import NoPrevious, PreviousState
from pipeline.store.review import ReviewState


@overload
def translate_articles(
    articles: Iterable[Source], *, targets: Iterable[str] | str, source: str = ...,
    engine: Engine | str = ..., glossary: Path | str | None = ...,
    memory: Path | str | None = ..., previous: Path | str | PreviousState | None = ...,
    tweets: str = ..., retranslate: bool = ..., fuzzy_threshold: float = ...,
    term_strategy: str = ..., n_best: int = ..., max_bytes: int | None = ...,
    batch_size: int | None = ...,
    quiet: bool = ..., models_dir: Path | str | None = ..., jobs: int = ...,
    executor: str = ..., ray_address: str | None = ..., ray_actors: int = ...,
    skip_complete: Literal[False] = ...,
) -> Iterator[ArticleResult]: ...


@overload
def translate_articles(
    articles: Iterable[Source], *, targets: Iterable[str] | str, source: str = ...,
    engine: Engine | str = ..., glossary: Path | str | None = ...,
    memory: Path | str | None = ..., previous: Path | str | PreviousState | None = ...,
    tweets: str = ..., retranslate: bool = ..., fuzzy_threshold: float = ...,
    term_strategy: str = ..., n_best: int = ..., max_bytes: int | None = ...,
    batch_size: int | None = ...,
    quiet: bool = ..., models_dir: Path | str | None = ..., jobs: int = ...,
    executor: str = ..., ray_address: str | None = ..., ray_actors: int = ...,
    skip_complete: bool,
) -> Iterator[ArticleResult | Unchanged]: ...


def translate_articles(
    articles: Iterable[Source], *, targets: Iterable[str] | str, source: str = "de",
    engine: Engine | str = "argos", glossary: Path | str | None = None,
    memory: Path | str | None = None, previous: Path | str | PreviousState | None = None,
    tweets: str = "translate", retranslate: bool = False, fuzzy_threshold: float = 75.0,
    term_strategy: str = STRATEGY, n_best: int = DEFAULT_N, max_bytes: int | None = None,
    batch_size: int | None = None, quiet: bool = True, models_dir: Path | str | None = None,
    jobs: int = 1, executor: str = "local", ray_address: str | None = None,
    ray_actors: int = 1, skip_complete: bool = False,
) -> Iterator[ArticleResult | Unchanged]:
    """Translate ``articles`` (paths, or Documents) into every target; yield one
    :class:`~pipeline.run.results.ArticleResult` per article, in order.

    ``engine``: an Engine, or a registry name (``argos``, ``pseudo``). ``glossary``: a term
    base folder. ``memory``: a memory file to reuse people's translations from (read, never
    written here). ``previous``: the output folder of earlier runs (or a PreviousState such
    as a ReviewState), so people's work is kept and unchanged output reused; its review
    store learns the edits found in its files now. ``batch_size``: at most this many
    articles per shard (None: shards by size, see pipeline.run.shards). ``jobs``: worker
    processes for reading, segmenting and finishing (1: none). ``executor="ray"``: the
    stages as Ray tasks and the engine in ``ray_actors`` Ray actors, on the cluster at
    ``ray_address`` (None: a local instance; see pipeline.run.ray_executor); the same
    output. ``skip_complete``: an article
    ``previous`` holds complete for this run (see pipeline.run.resume) comes as an
    :class:`~pipeline.run.results.Unchanged`, neither read nor translated, and
    ``write_results`` leaves its files alone. ``term_strategy``/``n_best``: what the
    glossary does around MT (by default: names masked, the best of 4 hypotheses by terms).
    Options are checked now: a bad value raises a PipelineError (LanguageError,
    OptionError) before anything is read.
    """
    options = RunOptions(
        targets=(targets,) if isinstance(targets, str) else tuple(targets), source=source,
        tweets=tweets, quiet=quiet, retranslate=retranslate, fuzzy_threshold=fuzzy_threshold,
        term_strategy=term_strategy, n_best=n_best, batch_size=batch_size, jobs=jobs,
        executor=executor, ray_address=ray_address, ray_actors=ray_actors,
        glossary=Path(glossary) if glossary is not None else None,
        max_bytes=max_bytes if max_bytes is not None else MAX_ARTICLE_BYTES,
    )
    chosen = _engine(engine, quiet=quiet, models_dir=models_dir)
    state = _state(previous, options.max_bytes)
    memory_path = Path(memory) if memory is not None else None

    def results() -> Iterator[ArticleResult | Unchanged]:
        with open_memory(memory_path) as snapshot:
            resume = Resume(state, options, chosen, snapshot) \
                if skip_complete and isinstance(state, ReviewState) else None
            try:
                yield from stream(articles, options, chosen, state, snapshot, resume)
            finally:
                if resume is not None:
                    resume.close()

    return results()


def write_results(results: Iterable[ArticleResult | Unchanged], out_dir: Path | str, *,
                  memory: Path | str | None = None, langs: Iterable[str] | None = None,
                  state: ReviewState | None = None, xliff: str | None = None
                  ) -> list[OutputSet]:
    """Commit the results to the review store ``out_dir/review.sqlite`` and render PO, XLIFF,
    JSONL, Markdown, term reports and review pages from it under ``out_dir``; add people's
    new sign-offs and new machine output to the memory (``out_dir/memory.sqlite`` unless
    given; never inside an output folder). A segment a person changed while the results were
    computed keeps the person's text. ``langs``, when known, lets a bad memory path fail
    before anything is computed; ``state`` (a ReviewState) sets the lock's waiting and the
    articles' root; ``xliff`` (``2.1``, ``1.2``, ``both``) the XLIFF versions, remembered
    for the folder (None: its last choice, 2.1 for a new one). An Unchanged article is
    not written: its OutputSets come from its record (``skipped``)."""
    return list(write_each(results, out_dir, memory=memory, langs=langs, state=state,
                           xliff=xliff))


def write_each(results: Iterable[ArticleResult | Unchanged], out_dir: Path | str, *,
               memory: Path | str | None = None, langs: Iterable[str] | None = None,
               state: ReviewState | None = None, xliff: str | None = None
               ) -> Iterator[OutputSet]:
    """As write_results, yielding each article's OutputSets once its files are written, so
    nothing of an archive is held (the CLI's ``run`` reports as it goes)."""
    if xliff is not None:
        state = replace(state, xliff=xliff) if state is not None \
            else ReviewState(Path(out_dir), xliff=xliff)
    return _write(results, Path(out_dir), memory=Path(memory) if memory is not None else None,
                  langs=list(langs) if langs is not None else None, state=state)


def _engine(engine: Engine | str, *, quiet: bool, models_dir: Path | str | None) -> Engine:
    if not isinstance(engine, str):
        return engine
    if engine == "argos":
        from pipeline.mt.packages import default_models_dir

        return load_engine("argos", models_dir=Path(models_dir or default_models_dir()),
                           quiet=quiet)
    return load_engine(engine, quiet=quiet)


def _state(previous: Path | str | PreviousState | None, max_bytes: int) -> PreviousState:
    if previous is None:
        return NoPrevious()
    if isinstance(previous, str | Path):
        from pipeline.store.review import ReviewState

        return ReviewState.for_articles(Path(previous), max_bytes)
    return previous
