"""The CPU stages of a run, per article, as functions of plain picklable data, so the driver
(``--jobs 1``) and worker processes (``--jobs N``, see pool.py) give the same results:
``prepare`` reads, segments and finds the terms of an article; ``finish`` restores, enforces
terms and checks its translations once the engine has answered."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.ingest.article import parse_raw, read_raw, read_source
from pipeline.ingest.segment import segment_document
from pipeline.memory.store import TmUnit
from pipeline.model.document import Document, Segment, Translation
from pipeline.run import compute, terms, views
from pipeline.run.options import RunOptions
from pipeline.run.shards import tokens
from pipeline.run.views import Ahead
from pipeline.store.previous import Previous

if TYPE_CHECKING:
    from pipeline.glossary.match import Glossary, TermHit

#: an article to translate: a path, or a Document already read
Source = Path | str | Document


@dataclass(frozen=True)
class Shipped:
    """An article's bytes, read by the driver for a worker on another machine (which may
    not see the driver's files); ``path`` names it."""

    path: Path
    raw: bytes


def ship(source: Source, max_bytes: int) -> Shipped | Document:
    """What a remote worker needs of ``source``: a Document as it is, a file's bytes."""
    if isinstance(source, Document):
        return source
    return Shipped(Path(source), read_raw(Path(source), max_bytes))


@dataclass(frozen=True)
class Prepared:
    """An article read and segmented, its term hits found; ``source`` the digest of what
    was read (of a file, its bytes), ``tokens`` its size for the shard rule."""

    document: Document
    segments: list[Segment]
    hits: dict[str, tuple[TermHit, ...]]
    source: str
    tokens: int


def prepare(source: Source | Shipped, options: RunOptions, glossary: Glossary | None
            ) -> Prepared:
    """Read (a path), segment and find the terms of one article."""
    if isinstance(source, Document):  # the run's source language is the one truth
        document = replace(source, language=options.source)
        digest = document_digest(source)
    elif isinstance(source, Shipped):
        document = parse_raw(source.raw, source.path, language=options.source)
        digest = hashlib.sha256(source.raw).hexdigest()
    else:
        document, raw = read_source(Path(source), max_bytes=options.max_bytes,
                                    language=options.source)
        digest = hashlib.sha256(raw).hexdigest()
    segments = segment_document(document)
    return Prepared(document, segments, terms.find_all(glossary, segments), digest,
                    tokens(segments))


def document_digest(document: Document) -> str:
    """A digest of an article given as a Document (as a file's is of its bytes)."""
    data = repr((document.format, document.encoding, document.text, document.original))
    return hashlib.sha256(data.encode()).hexdigest()


@dataclass(frozen=True)
class Finished:
    """One article in one language, finished; ``units`` the engine's new output for the
    memory (none from an engine whose output is no translation)."""

    lang: str
    translations: tuple[Translation, ...]
    units: tuple[TmUnit, ...] = field(default=())


def finish(jobs: Sequence[compute.Job], machine: compute.Machine, source: str,
           memorable: bool, render: bool = False) -> tuple[list[Finished], Ahead | None]:
    """Every language of one article, finished from the engine's output; with ``render``,
    the files that need nothing more rendered too (in a worker: see views.Ahead)."""
    done = []
    for job in jobs:
        translations = compute.finish(job, machine, source)
        units = compute.machine_units(job, translations, source) if memorable else []
        done.append(Finished(job.lang, tuple(translations), tuple(units)))
    if not render or not jobs:
        return done, None
    return done, views.ahead(jobs[0].document, {f.lang: f.translations for f in done},
                             jobs[0].hits)


def portable(jobs: Sequence[compute.Job], machine: compute.Machine, source: str
             ) -> tuple[list[compute.Job], compute.Machine]:
    """What ``finish`` needs of an article, to send to another process: its jobs without
    the PO files read (finishing never looks at them) and only its part of the engine's
    output."""
    light = [replace(job, previous=Previous(job.previous.segments),
                     english=Previous(job.english.segments) if job.english is not None
                     else None) for job in jobs]
    part = {}
    for pair, chunks in compute.pending(jobs, source).items():
        table = machine.get(pair, {})
        part[pair] = {text: table[text] for text in chunks}  # the engine answered each
    return light, part
