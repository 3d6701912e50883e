"""What each reader (plain text, Markdown, HTML) produces before blocks get their offsets."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.model.document import Attribution, BlockKind, Origin


@dataclass(frozen=True)
class RawBlock:
    """A block's text as read, its first line, and what kind of block it is."""

    text: str
    line: int
    kind: BlockKind = BlockKind.PARAGRAPH
    level: int = 0
    attribution: Attribution | None = None
    #: an attribution line still waiting for its tweet body
    pending: bool = False
    #: where the block's translation goes in an HTML source
    origin: Origin | None = None
    #: tokens of the text that stand for other bytes in the source (see ingest.html)
    kept: tuple[tuple[str, str], ...] = ()


def pending_attribution(line: str, number: int, attribution: Attribution) -> RawBlock:
    """A tweet's attribution line; the body before it is attached later (article.py)."""
    return RawBlock(line.strip(), number, BlockKind.TWEET, attribution=attribution, pending=True)
