"""The data that flows between stages: Document → Block → Segment → Translation.

All are frozen, so a stage can only hand on new values, never change what an earlier stage saw.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class BlockKind(StrEnum):
    """What a block is; writers use it to rebuild the article's structure."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    QUOTE = "quote"
    TWEET = "tweet"


@dataclass(frozen=True)
class Attribution:
    """Who wrote an embedded tweet and when; never translated, the date is localized."""

    author: str
    handle: str
    date: dt.date | None
    date_text: str
    dash: str = "-"


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


@dataclass(frozen=True)
class Segment:
    """A sentence, the unit of translation and review.

    ``id`` depends only on the sentence and how often the same sentence occurred before it in
    the article, so it survives edits elsewhere in the article. ``text`` has its whitespace
    normalised; ``document.text[start:end]`` is the sentence as written.
    """

    id: str
    block: int
    kind: BlockKind
    text: str
    start: int
    end: int
    line: int


@dataclass(frozen=True)
class Translation:
    """The target text of a segment and where it came from.

    ``origin`` is ``mt`` (machine), ``human`` (a reviewed entry kept from an earlier run),
    ``verbatim`` (kept as written, e.g. a tweet already in the target language).
    ``previous_source`` is the old sentence when this one is its edited version;
    ``matches`` are translation-memory suggestions (source, target, similarity, origin);
    ``engine`` names the engine and models that made a machine translation. Origins also
    include ``tm`` (a person's translation of the same sentence, from the memory).
    """

    segment: Segment
    lang: str
    target: str
    origin: str = "mt"
    fuzzy: bool = True
    notes: tuple[str, ...] = field(default=())
    previous_source: str | None = None
    matches: tuple[tuple[str, str, float, str], ...] = field(default=())
    engine: str | None = None
