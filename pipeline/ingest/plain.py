"""Plain-text articles into raw blocks: paragraphs (one per line, or separated by blank
lines), headings, list items, credits, bylines, captions and teasers.

Lines are looked at one by one first, so a list or a credit line inside a paragraph still
becomes a block of its own; a tweet's attribution line wins over a ``-`` list item.
"""

from __future__ import annotations

import re

from pipeline.ingest import credits
from pipeline.ingest.raw import RawBlock, pending_attribution
from pipeline.ingest.tweets import TWEET_LINK_RE, parse_attribution
from pipeline.model.document import BlockKind

_HEADING_MAX_CHARS = 90
_FINAL_PUNCT = ".!?:;…\"“”»«)]'’"
#: A list item: a bullet or dash, or a number with a full stop or bracket, then a space.
_ITEM = re.compile(r"\s*(?:(?P<bullet>[•–*-])|\d{1,3}[.)])\s+(?P<text>.*\w.*)")
#: A caption below a picture is one short line.
_CAPTION_MAX_CHARS = 300


def is_heading(text: str) -> bool:
    """A short line without final punctuation or links, e.g. 'KI fordert Kreativität heraus'."""
    text = text.strip()
    return (
        0 < len(text) <= _HEADING_MAX_CHARS
        and text[-1] not in _FINAL_PUNCT
        and "\n" not in text
        and not TWEET_LINK_RE.search(text)
        and "://" not in text
        and len(text.split()) <= 12
    )


def blank_separated(text: str) -> bool:
    """Paragraphs separated by blank lines (else: one paragraph per line)."""
    lines = text.split("\n")
    return any(
        not lines[i].strip() and lines[i - 1].strip() and lines[i + 1].strip()
        for i in range(1, len(lines) - 1)
    )


def classify(body: str) -> BlockKind | None:
    """The kind a paragraph's text gives it when it is not a plain paragraph: a credit, a
    byline, a teaser or caption by its opening label, a caption by its picture credit."""
    if (whole := credits.standalone(body)) is not None:
        return whole
    if (opening := credits.opening_label(body)) is not None:
        return opening[0]
    credit = credits.trailing_credit(body)
    return BlockKind.CAPTION if credit is not None and credit[1] else None


def text_units(text: str) -> list[RawBlock]:
    """The raw blocks of a plain-text article, in order."""
    lines = text.split("\n")
    joined = blank_separated(text)
    numbered = _numbered_items(lines)
    units: list[RawBlock] = []
    chunk: list[tuple[int, str]] = []  # the open paragraph, or the open list item
    in_item = below_picture = False

    def flush() -> None:
        nonlocal in_item
        if chunk:
            body = "\n".join(line.strip() for _, line in chunk)
            kind = BlockKind.LIST_ITEM if in_item else classify(body) or (
                BlockKind.HEADING if is_heading(body) else BlockKind.PARAGRAPH)
            units.append(RawBlock(body, chunk[0][0], kind,
                                  level=2 if kind is BlockKind.HEADING else 0))
            chunk.clear()
        in_item = False

    for index, line in enumerate(lines):
        number, stripped = index + 1, line.strip()
        if not stripped:
            flush()
            continue
        picture, below_picture = below_picture, False
        if (attribution := parse_attribution(line)) is not None:
            flush()
            units.append(pending_attribution(line, number, attribution))
        elif (item := _ITEM.fullmatch(line)) and (item["bullet"] or index in numbered):
            flush()
            chunk.append((number, item["text"]))
            in_item = True
        elif in_item and line[:1].isspace():  # indented under the item: it goes on
            chunk.append((number, line))
        elif (whole := credits.standalone(stripped)) is not None:
            flush()
            units.append(RawBlock(stripped, number, whole))
        elif picture and len(stripped) <= _CAPTION_MAX_CHARS and _alone(lines, index, joined):
            flush()
            units.append(RawBlock(stripped, number, classify(stripped) or BlockKind.CAPTION))
        elif credits.is_image_reference(stripped):
            flush()
            units.append(RawBlock(stripped, number))  # a paragraph: an alt text is translated
            below_picture = True
        else:
            if in_item or credits.opening_label(stripped) is not None:
                flush()  # an opening label starts a block of its own
            chunk.append((number, line))
            if not joined:
                flush()
    flush()
    return units


def _alone(lines: list[str], index: int, joined: bool) -> bool:
    """The line is a paragraph of its own (not the first line of a wrapped one)."""
    return not joined or index + 1 == len(lines) or not lines[index + 1].strip()


def _numbered_items(lines: list[str]) -> set[int]:
    """Numbered lines that are list items: those next to another item, so a lone
    ``1. FC Köln gewinnt …`` or ``3. Oktober …`` stays a sentence. Blank lines and lines
    indented under an item are looked past."""
    markers = {i for i, line in enumerate(lines) if _ITEM.fullmatch(line)}
    seen = [i for i, line in enumerate(lines)
            if line.strip() and (i in markers or not line[:1].isspace())]
    found = set()
    for position, i in enumerate(seen):
        neighbours = seen[max(0, position - 1):position] + seen[position + 1:position + 2]
        if i in markers and any(j in markers for j in neighbours):
            found.add(i)
    return found
