"""A run over a stream of articles, shard by shard (shards.py): read and segment (ahead of
need, in worker processes with ``jobs``), plan what each segment reuses, translate what is
left in one engine call per shard, finish (restore, enforce terms, check); the writing half
lives in write.py. ``run`` is both halves, as the CLI's ``run`` does them.

Nothing is kept beyond the shard in hand (with ``jobs`` > 1, also the next one, which the
engine translates while this one is finished and written), so memory stays flat however
many articles there are. People's work is gathered per shard: a fix made in one article is
reused in the others of its shard and in every later one. The rest of a shard goes to the
engine in one request per target (and one more per target reached through English, for what
the reviewed English yields). An article that cannot be read fails the run when its shard
is reached: the articles before it are written and complete, so a rerun continues there.
"""

from __future__ import annotations

import contextlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.memory.store import TmUnit, TranslationMemory
from pipeline.memory.view import MemoryView
from pipeline.model.errors import GlossaryError, InputError, PipelineError
from pipeline.mt.engine import PIVOT, Engine
from pipeline.run import compute, pivot, reuse, select, terms
from pipeline.run.options import RunOptions
from pipeline.run.pool import Executor, Handle, Workers
from pipeline.run.results import ArticleResult, LanguageResult, Mark, Unchanged
from pipeline.run.resume import Resume, source_digest
from pipeline.run.shards import SHARD_BATCHES, SHARD_TOKENS, shards
from pipeline.run.stages import Finished, Prepared, Source
from pipeline.run.views import Ahead
from pipeline.run.write import OutputSet, write_results
from pipeline.store.previous import PreviousState

if TYPE_CHECKING:
    from pipeline.glossary.match import Glossary

__all__ = ["Source", "load_glossary", "open_memory", "run", "stream"]


def stream(sources: Iterable[Source], options: RunOptions, engine: Engine,
           state: PreviousState, memory: TranslationMemory | None,
           resume: Resume | None = None) -> Iterator[ArticleResult | Unchanged]:
    """Results per article, in order, shard by shard; with ``resume``, an article complete
    for this run comes as Unchanged, neither read nor translated."""
    glossary = load_glossary(options.glossary)
    chosen = select.asks(options.term_strategy, options.n_best) if glossary is not None else 1
    with _workers(options, glossary, engine) as workers:
        ahead = _Ahead(sources, options, workers, resume)
        shards_in = shards(ahead, options.shard_tokens, options.batch_size)
        run = _Shards(options, engine, state, memory, workers, resume, glossary is not None)
        # the engine translates up to ``depth`` shards while the one before is finished
        waiting: deque[tuple[_Planned, Callable[[], compute.Machine]]] = deque()
        try:
            for shard in shards_in:
                if workers.parallel > 1:
                    ahead.window = max(2 * workers.parallel, len(shard))
                planned = run.plan(shard)
                call = workers.translate(planned.jobs, options.source, engine, chosen)
                waiting.append((planned, call.result))
                while len(waiting) > workers.depth:
                    yield from run.finish(*waiting.popleft())
        except PipelineError:  # a shard that cannot be made: the ones before it still are
            while waiting:
                yield from run.finish(*waiting.popleft())
            raise
        while waiting:
            yield from run.finish(*waiting.popleft())


def _workers(options: RunOptions, glossary: Glossary | None, engine: Engine
             ) -> contextlib.closing[Executor]:
    """Where the CPU stages and the engine run: here and in local processes, or on Ray."""
    if options.executor == "ray":
        from pipeline.run.ray_executor import RayWorkers

        return contextlib.closing(RayWorkers(options, glossary, engine))
    return contextlib.closing(Workers(options, glossary))


@dataclass
class _Pending:
    """An article being read and segmented."""

    source: Source
    handle: Handle[Prepared]

    @property
    def tokens(self) -> int:
        return self.handle.result().tokens


class _Ahead:
    """The articles in order: Unchanged for a complete one, else being prepared; ``window``
    more are prepared ahead of the one asked for (none with one job)."""

    def __init__(self, sources: Iterable[Source], options: RunOptions, workers: Executor,
                 resume: Resume | None) -> None:
        self._sources = iter(sources)
        self._options, self._workers, self._resume = options, workers, resume
        self._queue: deque[_Pending | _Skipped] = deque()
        self.window = 2 * workers.parallel if workers.parallel > 1 else 0

    def __iter__(self) -> _Ahead:
        return self

    def __next__(self) -> _Pending | _Skipped:
        for source in self._sources:
            done = self._resume.unchanged(
                source, source_digest(source, self._options.max_bytes)) if self._resume else None
            self._queue.append(_Skipped(done, source) if done is not None
                               else _Pending(source, self._workers.prepare(source)))
            if len(self._queue) > self.window:
                break
        if not self._queue:
            raise StopIteration
        return self._queue.popleft()


@dataclass
class _Skipped:
    """An article found complete: in its place in the order, nothing for the engine; it
    counts as one token batch, so a run of complete articles (a resumed archive) still
    goes by in shards of 64 and is reported as it goes."""

    unchanged: Unchanged
    source: Source
    tokens: int = SHARD_TOKENS // SHARD_BATCHES


@dataclass
class _Article:
    """One article of a planned shard."""

    prepared: Prepared
    jobs: list[compute.Job]
    #: people's sign-offs found in its files, for the memory
    harvested: dict[str, list[TmUnit]]


@dataclass
class _Planned:
    """A shard, planned: its articles in order and every job for the engine."""

    items: list[_Article | Unchanged]
    jobs: list[compute.Job]


class _Shards:
    """Planning and finishing shards, the run's state between them."""

    def __init__(self, options: RunOptions, engine: Engine, state: PreviousState,
                 memory: TranslationMemory | None, workers: Executor, resume: Resume | None,
                 termed: bool = False) -> None:
        self.options, self.engine, self.state, self.memory = options, engine, state, memory
        #: a glossary steers the run: machine output is reused only under its signature
        self.termed = termed
        self.workers, self.resume = workers, resume
        self.seen: dict[str, Path] = {}
        #: people's work was found in this run (nothing found complete before is, then)
        self.learnt = False
        self.routed = {lang for lang in options.targets
                       if engine.via(options.source, lang) == PIVOT}

    def plan(self, shard: Sequence[_Pending | _Skipped]) -> _Planned:
        """Place each article, read its past, gather people's work (into the memory first:
        a fix in one article serves the others), then plan every segment. An article found
        complete is read after all when this run has found people's work: it may serve it."""
        options = self.options
        read = {index: self._read(item.handle.result()) for index, item in enumerate(shard)
                if isinstance(item, _Pending)}
        self.learnt = self.learnt or any(units for article in read.values()
                                         for units in article.harvested.values())
        items: list[_Article | Unchanged] = []
        for index, item in enumerate(shard):
            if isinstance(item, _Skipped) and self.learnt:
                read[index] = self._read(self.workers.prepare(item.source).result())
            found = read.get(index)
            if found is None:
                assert isinstance(item, _Skipped)  # every other item was read
                _check_unique_slug(item.unchanged.slug, item.unchanged.path, self.seen)
                items.append(item.unchanged)
            else:
                _check_unique_slug(found.prepared.document.slug, found.prepared.document.path,
                                   self.seen)
                items.append(found)
        if self.memory is not None:  # a fix in one article serves the others of this run
            self.memory.add(unit for article in read.values()
                            for units in article.harvested.values() for unit in units)
        jobs = [job for article in read.values() for job in article.jobs]
        for job in jobs:
            pivoted = self.engine.signature(PIVOT, job.lang) if job.english is not None \
                else None
            job.plan = compute.plan(job, self.memory, options,
                                    self._signed(self.engine.signature(options.source,
                                                                       job.lang)),
                                    self._signed(pivoted))
        return _Planned(items, [job for item in items if isinstance(item, _Article)
                                for job in item.jobs])

    def _signed(self, signature: str | None) -> str | None:
        """The signature machine output is reused under: with a term base, the glossary's
        part."""
        if not self.termed:
            return signature
        return terms.signed(signature, self.options.term_strategy, self.options.n_best)

    def _read(self, prepared: Prepared) -> _Article:
        """An article placed, its past read (people's edits harvested), its jobs made."""
        options = self.options
        document = self.state.place(prepared.document)
        pasts, english = pivot.pasts(self.state, document, options.targets, self.routed)
        jobs = [compute.Job(document, prepared.segments, lang, pasts[lang], prepared.hits,
                            english=english if lang in self.routed else None)
                for lang in options.targets]
        harvested = {job.lang: reuse.human_units(job.previous, job.segments, document.slug,
                                                 options.source, job.lang) for job in jobs}
        return _Article(replace(prepared, document=document), jobs, harvested)

    def finish(self, planned: _Planned, machine: Callable[[], compute.Machine]
               ) -> Iterator[ArticleResult | Unchanged]:
        """The shard's results in order, once the engine has answered (``machine``: its
        answer, when it is there)."""
        source = self.options.source
        answer = machine()
        handles = deque(self.workers.finish(item.jobs, answer, source, self.engine.memorable)
                        if isinstance(item, _Article) else None for item in planned.items)
        items = deque(planned.items)
        planned.items.clear()  # each article is let go once it is yielded
        run = self.resume.run if self.resume is not None else None
        while items:
            item, handle = items.popleft(), handles.popleft()
            if isinstance(item, Unchanged):
                yield item
            else:
                assert handle is not None  # every article has its handle
                yield self._result(item, handle.result(), run)

    def _result(self, article: _Article, done: tuple[list[Finished], Ahead | None],
                run: str | None) -> ArticleResult:
        finished, ahead = done
        languages, units = [], []
        for job, language in zip(article.jobs, finished, strict=True):
            languages.append(LanguageResult(job.lang, language.translations, job.previous))
            units += [*article.harvested[job.lang], *language.units]
        prepared = article.prepared
        mark = Mark(prepared.source, run) if run is not None else None
        return ArticleResult(prepared.document, tuple(languages), prepared.hits, tuple(units),
                             mark=mark, ahead=ahead)


def run(paths_in: Sequence[Path], options: RunOptions, engine: Engine) -> list[OutputSet]:
    """Translate every article into every target and write the outputs (the CLI's ``run``),
    leaving alone the articles the output folder holds complete for this run."""
    from pipeline.store.review import ReviewState

    with open_memory(options.memory_path) as memory:
        state = ReviewState.for_articles(options.out_dir, options.max_bytes, xliff=options.xliff)
        with contextlib.closing(Resume(state, options, engine, memory)) as resume:
            results = stream(paths_in, options, engine, state, memory, resume)
            return write_results(results, options.out_dir, memory=options.memory_path,
                                 langs=options.targets, state=state)


def open_memory(path: Path | None) -> TranslationMemory:
    """The memory as a run reads it: people's units of the file, and the people's work the
    run adds on top (see memory.view); the file changes only when results are written."""
    return MemoryView.over(path)


def load_glossary(folder: Path | None):
    """The term base, checked: a conflicting one would steer MT two ways at once."""
    if folder is None:
        return None
    from pipeline.glossary.lint import raise_errors
    from pipeline.glossary.match import load_glossary as load

    if not Path(folder).is_dir():
        raise GlossaryError("no such glossary folder", path=folder)
    glossary = load(Path(folder))
    raise_errors(glossary.concepts)
    return glossary


def _check_unique_slug(slug: str, path: Path, seen: dict[str, Path]) -> None:
    if slug in seen:
        raise InputError(f"same output name {slug!r} as {seen[slug]}; rename one", path=path)
    seen[slug] = path
