"""The data that flows between stages: Document → Block → Segment → Translation.

All are frozen, so a stage can only hand on new values, never change what an earlier stage saw.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from pipeline.model.annotations import (
    Conflict,
    Finding,
    Repair,
    Reuse,
    Suggestion,
    TermDecision,
)
from pipeline.model.status import Status
from pipeline.model.text import normalize_space


class BlockKind(StrEnum):
    """What a block (or a segment) is; writers use it to rebuild the article's structure.

    ``dateline`` and ``label`` are kinds of segments only: the ``BERLIN (dpa) –`` opening a
    paragraph, the ``Lesen Sie auch:`` opening a teaser or ``Bildunterschrift:`` a caption.
    """

    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    QUOTE = "quote"
    TWEET = "tweet"
    CREDIT = "credit"  # Foto: dpa, © Getty Images, dpa/AFP; also a caption's trailing credit
    BYLINE = "byline"  # Von Anna Schmidt und Max Weber
    CAPTION = "caption"  # a photo's caption, often ending with its credit
    TEASER = "teaser"  # Lesen Sie auch: …, Mehr zum Thema: …
    DATELINE = "dateline"
    LABEL = "label"

    @property
    def by_rule(self) -> bool:
        """Never sent to the engine: names and agencies stay as written and only a label is
        localised (see ingest.credits), so a model cannot garble a photographer's name."""
        return self in _BY_RULE


_BY_RULE = frozenset({BlockKind.CREDIT, BlockKind.BYLINE, BlockKind.DATELINE, BlockKind.LABEL})


@dataclass(frozen=True)
class Attribution:
    """Who wrote an embedded tweet and when; never translated, the date is localized."""

    author: str
    handle: str
    date: dt.date | None
    date_text: str
    dash: str = "-"


@dataclass(frozen=True)
class Origin:
    """Where a block's text sits in the article's source (HTML): ``start:end`` of
    ``Document.original`` is the content its translation replaces, or with ``attribute``
    (``alt``, ``title``) that attribute's value."""

    start: int
    end: int
    attribute: str | None = None


@dataclass(frozen=True)
class Block:
    """A structural unit of an article.

    ``start``/``end`` delimit the block's text in ``Document.text``; ``text`` is that span as
    written (it may hold line breaks), so offsets of segments stay exact.
    """

    index: int
    kind: BlockKind
    text: str
    start: int
    end: int
    line: int
    level: int = 0
    attribution: Attribution | None = None
    #: where the block's translation goes in the source (HTML), None: nowhere
    origin: Origin | None = None
    #: tokens of ``text`` that stand for other bytes of the source (a comment, a script, a
    #: tag as written with its own white space), which a splice writes back
    kept: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Document:
    """One article: its decoded text, its format and its blocks in reading order.

    ``text`` is the decoded file for plain text and Markdown; for HTML it is the extracted
    text (blocks separated by blank lines), which is what offsets point into.
    """

    path: Path
    slug: str
    format: str
    text: str
    blocks: tuple[Block, ...]
    encoding: str = "utf-8"
    language: str = "de"
    #: the source as read (HTML), which translations are spliced into
    original: str | None = None


class CodeKind(StrEnum):
    """XLIFF's three kinds of inline code: ``<sc>``/``<ec>`` (or ``<pc>``) and ``<ph>``."""

    OPEN = "open"
    CLOSE = "close"
    STANDALONE = "standalone"


@dataclass(frozen=True)
class InlineCode:
    """Markup inside a sentence (``**``, a link's ``[``/``](url)``, ``<b>``): ``data`` is the
    original markup, found at ``start:end`` of ``Segment.text``; paired codes share ``id``."""

    id: int
    kind: CodeKind
    data: str
    start: int
    end: int


@dataclass(frozen=True)
class Segment:
    """A sentence, the unit of translation and review.

    ``text`` has its whitespace normalised; ``document.text[start:end]`` is the sentence as
    written. ``codes`` are the inline codes inside ``text``. ``id`` depends only on
    :attr:`plain` (the text with every code abstracted away) and how often the same sentence
    occurred before it in the article: it survives edits elsewhere, and the same sentence in
    a text, Markdown or HTML article shares its id and its memory entries.
    """

    id: str
    block: int
    kind: BlockKind
    text: str
    start: int
    end: int
    line: int
    codes: tuple[InlineCode, ...] = ()

    @property
    def plain(self) -> str:
        """The text without its inline codes: what ids and memory keys are made from."""
        return plain_text(self.text, self.codes)


def plain_text(text: str, codes: Sequence[InlineCode]) -> str:
    """``text`` with every code span cut out, white space normalised."""
    if not codes:
        return text
    pieces, position = [], 0
    for code in sorted(codes, key=lambda c: c.start):
        pieces.append(text[position:code.start])
        position = max(position, code.end)
    pieces.append(text[position:])
    return normalize_space("".join(pieces))


@dataclass(frozen=True)
class Translation:
    """The target text of a segment, its status and everything the run learnt about it.

    ``reuse`` says why it was not made by the engine in this run (None: it was), ``where``
    which file a person's draft came from; ``previous_source`` is the old sentence when this
    one is its edited version; ``engine`` names the engine and models of machine output;
    ``pivot`` is the reviewed English a machine translation was made from (None: from the
    source), so a reviewer sees what it followed.
    """

    segment: Segment
    lang: str
    target: str
    status: Status = Status.MACHINE
    reuse: Reuse | None = None
    where: str | None = None
    previous_source: str | None = None
    engine: str | None = None
    suggestions: tuple[Suggestion, ...] = field(default=())
    repairs: tuple[Repair, ...] = field(default=())
    terms: tuple[TermDecision, ...] = field(default=())
    findings: tuple[Finding, ...] = field(default=())
    conflicts: tuple[Conflict, ...] = field(default=())
    pivot: str | None = None

    @property
    def origin(self) -> str:
        """Who made the text: ``mt``, ``human``, ``verbatim`` or ``tm`` (see model.status)."""
        return self.status.form.origin

    @property
    def fuzzy(self) -> bool:
        """Not vouched for: the PO fuzzy flag."""
        return self.status.form.fuzzy

    @property
    def made_now(self) -> bool:
        """The engine made this target in this run."""
        return self.status is Status.MACHINE and self.reuse is None
