"""Resume per article: a run leaves alone every article the output folder holds complete
for it, so a killed archive run, started again, continues where it stopped, and a rerun
over unchanged articles translates and writes nothing.

An article is *complete* for a run when the review store's record of it (store.complete,
written after its files) names

- the same source: a digest of the article's bytes as read;
- the same run: a digest of every setting that decides its files (languages, options but
  for speed and size limits, the engine and its packages per pair, the term base's files,
  the memory file and the state of people's units in it, the XLIFF versions, the program's
  version);

and nothing changed since: the store holds no later change of the article (a person's edit,
comment or save in the workspace), every file written then is still there with the same
bytes, and every PO or XLIFF file of any of its languages is as last rendered or read (no
edit waiting to be harvested). Anything else, and the article is translated and written
again (reusing the store's machine output: no engine work where nothing changed).
"""

from __future__ import annotations

import hashlib
from dataclasses import fields
from pathlib import Path

from pipeline import __version__
from pipeline.infra.files import read_input
from pipeline.memory.store import TranslationMemory
from pipeline.memory.view import MemoryView
from pipeline.model.document import Document
from pipeline.model.errors import PipelineError
from pipeline.mt.engine import PIVOT, Engine
from pipeline.run.options import RunOptions
from pipeline.run.results import Unchanged
from pipeline.run.stages import Source, document_digest
from pipeline.store.db import NAME, ReviewStore
from pipeline.store.harvest import fingerprint
from pipeline.store.layout import paths
from pipeline.store.review import ReviewState

#: RunOptions fields that never change an article's files (speed, limits, where they go)
_NOT_OUTPUT = frozenset({"quiet", "max_bytes", "batch_size", "shard_tokens", "jobs", "out_dir",
                         "memory", "glossary", "executor", "ray_address", "ray_actors"})


def source_digest(source: Source, max_bytes: int) -> str | None:
    """A digest of the article as a run reads it (see stages.prepare), to look for its
    record before reading it; None for what is not a regular file (a pipe is read once,
    by the run) or cannot be read (reading it for the run then says why)."""
    if isinstance(source, Document):
        return document_digest(source)
    try:
        if not Path(source).is_file():
            return None
        return hashlib.sha256(read_input(Path(source), "an article", max_bytes)).hexdigest()
    except (OSError, PipelineError):
        return None


def glossary_digest(folder: Path | None) -> str:
    """A digest of the term base files a run reads (every ``*.tsv`` of the folder)."""
    if folder is None:
        return "none"
    digest = hashlib.sha256()
    for path in sorted(Path(folder).glob("*.tsv")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


class Resume:
    """The complete articles of ``state``'s output folder for this run's settings."""

    def __init__(self, state: ReviewState, options: RunOptions, engine: Engine,
                 memory: TranslationMemory | None) -> None:
        self.state = state
        self._store: ReviewStore | None = None
        self.run = self._digest(options, engine, memory)

    def _digest(self, options: RunOptions, engine: Engine, memory: TranslationMemory | None
                ) -> str | None:
        """The run's digest (see the module's docstring); None when a part of it cannot be
        known (a memory too old to say what people changed): nothing is complete then."""
        people = memory.people if isinstance(memory, MemoryView) else (0, 0)
        if people is None:
            return None
        routed = [lang for lang in options.targets
                  if engine.via(options.source, lang) == PIVOT]
        store = self._open()
        xliff = self.state.xliff or (store.setting("xliff") if store else None) or "2.1"
        file = memory.file if isinstance(memory, MemoryView) else None
        parts = (
            ("pipeline", __version__),
            ("options", tuple((f.name, repr(getattr(options, f.name))) for f in fields(options)
                              if f.name not in _NOT_OUTPUT)),
            ("engine", engine.name, tuple(engine.signature(options.source, lang)
                                          for lang in options.targets),
             tuple(engine.signature(PIVOT, lang) for lang in routed)),
            ("glossary", glossary_digest(options.glossary)),
            ("memory", str(file.resolve()) if file is not None else None, people),
            ("xliff", xliff),
        )
        return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]

    def _open(self) -> ReviewStore | None:
        """The store, once it exists (a first run makes it with its first article)."""
        if self._store is None and (self.state.out_dir / NAME).exists():
            self._store = ReviewStore.open(self.state.out_dir / NAME)
        return self._store

    def unchanged(self, source: Source, digest: str | None) -> Unchanged | None:
        """The article, when it is complete for this run (see the module's docstring)."""
        store = self._open() if self.run is not None and digest is not None else None
        if store is None:
            return None
        path = source.path if isinstance(source, Document) else Path(source)
        done = store.complete(self.state.key(store, path))
        if done is None or (done.source, done.run) != (digest, self.run) \
                or store.last_change(done.article) != done.seq:
            return None
        out = self.state.out_dir
        for name, expected in done.files.items():
            if _digest_of(out / name) != expected:
                return None
        for lang in store.stored_languages(done.article):
            where = paths(out, lang, done.slug)
            for file in (where.po, where.xliff, where.xliff12):
                name = self.state.relative(file)
                if name not in done.files and file.exists() \
                        and _digest_of(file) != store.newest_hash(name):
                    return None
        return Unchanged(path, done.slug, tuple(done.report))

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


def _digest_of(path: Path) -> str | None:
    try:
        return fingerprint(path.read_bytes())
    except OSError:
        return None
