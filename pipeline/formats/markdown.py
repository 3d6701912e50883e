"""The translated article as Markdown, with the source's block structure.

Headings keep their level, list items stay items, quotes and tweets are ``>`` blockquotes;
a tweet ends with its attribution, whose date is written in the target locale. A caption is
set in italics; credits, bylines and teasers are plain paragraphs (never headings).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from pipeline.ingest.tweets import format_attribution
from pipeline.model.document import BlockKind, Document, Translation

#: A caption holding these is written plain: ``*`` around it would pair with its own marks.
_EMPHASIS_BREAKERS = frozenset("*_\n")


def block_targets(document: Document, translations: Sequence[Translation]) -> dict[int, str]:
    """Each block's translated text: its segments' targets joined in order."""
    parts: dict[int, list[str]] = defaultdict(list)
    for translation in translations:
        parts[translation.segment.block].append(translation.target)
    return {index: " ".join(p for p in texts if p) for index, texts in parts.items()}


def render_markdown(document: Document, translations: Sequence[Translation], lang: str) -> str:
    """Markdown for one target language."""
    targets = block_targets(document, translations)
    chunks: list[str] = []
    previous_kind = None
    for block in document.blocks:
        text = targets.get(block.index, "")
        if block.kind is BlockKind.HEADING:
            chunk = f"{'#' * max(1, block.level)} {text}"
        elif block.kind is BlockKind.LIST_ITEM:
            chunk = f"- {text}"
            if previous_kind is BlockKind.LIST_ITEM:
                chunks[-1] += "\n" + chunk
                previous_kind = block.kind
                continue
        elif block.kind is BlockKind.TWEET and block.attribution is not None:
            chunk = f"> {text}\n>\n> {format_attribution(block.attribution, lang)}"
        elif block.kind in (BlockKind.QUOTE, BlockKind.TWEET):
            chunk = f"> {text}"
        elif block.kind is BlockKind.CAPTION and text and not _EMPHASIS_BREAKERS & set(text):
            chunk = f"*{text}*"
        else:
            chunk = text
        chunks.append(chunk)
        previous_kind = block.kind
    return "\n\n".join(chunks) + "\n"
