"""The translated article as Markdown, with the source's block structure.

Headings keep their level, list items stay items, quotes and tweets are ``>`` blockquotes;
a tweet ends with its attribution, whose date is written in the target locale. Text is
escaped wherever it would be Markdown (``*``, ``_``, brackets, a block opening with ``- ``
or ``# ``) and raw HTML never gets through: an article's own Markdown marks (its inline
codes) stay, an HTML article's links, emphasis and code become Markdown, other tags go.
A caption is set in italics; credits, bylines and teasers are plain paragraphs (never headings).
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Collection, Sequence

from pipeline.ingest.inline import attributes, codes_in
from pipeline.ingest.tweets import format_attribution
from pipeline.model.document import BlockKind, CodeKind, Document, InlineCode, Translation

#: Characters that are Markdown inside a line (``<`` and ``>``: raw HTML, autolinks; ``~``:
#: strikethrough and fences).
_SPECIAL = re.compile(r"([\\`*_\[\]<>~])")
#: A block opening that would make it a list item, heading, quote, fence, rule or table.
_OPENER = re.compile(r"^(\d{1,9}[.)](?=\s|$)|[-+*#>=~_|`])")
_MARKS = {"em": "*", "i": "*", "strong": "**", "b": "**", "code": "`"}


def block_targets(document: Document, translations: Sequence[Translation]) -> dict[int, str]:
    """Each block's translated text: its segments' targets joined in order."""
    parts: dict[int, list[str]] = defaultdict(list)
    for translation in translations:
        parts[translation.segment.block].append(translation.target)
    return {index: " ".join(p for p in texts if p) for index, texts in parts.items()}


def render_markdown(document: Document, translations: Sequence[Translation], lang: str) -> str:
    """Markdown for one target language."""
    allowed: dict[int, set[str]] = defaultdict(set)
    for translation in translations:
        allowed[translation.segment.block].update(c.data for c in translation.segment.codes)
    targets = {index: _opening(as_markdown(text, document.format, allowed[index]))
               for index, text in block_targets(document, translations).items()}
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
        elif block.kind is BlockKind.CAPTION and text and "\n" not in text:
            chunk = f"*{text}*"
        else:
            chunk = text
        chunks.append(chunk)
        previous_kind = block.kind
    return "\n\n".join(chunks) + "\n"


def as_markdown(text: str, markup: str, allowed: Collection[str] | None = None) -> str:
    """A block's text as one Markdown line: escaped; its codes kept (Markdown) or converted
    (HTML) when the source had them (``allowed``), else text; nothing escaped inside code."""
    text = " ".join(text.split())  # a line break a person typed would start a new block
    codes = [c for c in codes_in(text, markup) if allowed is None or c.data in allowed]
    pieces: list[tuple[str, CodeKind | None]] = []
    position, in_code = 0, False

    def plain(piece: str) -> str:
        piece = html.unescape(piece) if markup == "html" else piece
        return piece if in_code else escape(piece)

    for code in codes:
        pieces.append((plain(text[position:code.start]), None))
        mark = code.data if markup == "markdown" else _converted(code, codes)
        if code.data == "`" or code.data.lower().startswith(("<code", "</code")):
            in_code = code.kind is CodeKind.OPEN
        pieces.append((mark, code.kind))
        position = code.end
    pieces.append((plain(text[position:]), None))
    return "".join(_flanked(pieces))


def _flanked(pieces: list[tuple[str, CodeKind | None]]) -> list[str]:
    """White space moved outside the marks next to it: ``**Berlin: **Der`` is no emphasis
    in Markdown, ``**Berlin:** Der`` is."""
    out = [piece for piece, _ in pieces]
    for index, (piece, kind) in enumerate(pieces):
        if not piece or kind is None:
            continue
        if kind is CodeKind.CLOSE and index and out[index - 1] != out[index - 1].rstrip():
            space = out[index - 1][len(out[index - 1].rstrip()):]
            out[index - 1], out[index] = out[index - 1].rstrip(), out[index] + space
        elif kind is CodeKind.OPEN and index + 1 < len(out) \
                and out[index + 1] != out[index + 1].lstrip():
            space = out[index + 1][:len(out[index + 1]) - len(out[index + 1].lstrip())]
            out[index], out[index + 1] = space + out[index], out[index + 1].lstrip()
    return out


def escape(text: str) -> str:
    """Text that stays text in Markdown."""
    return _SPECIAL.sub(r"\\\1", text)


def _opening(text: str) -> str:
    """A block that would open as a list item, heading, quote, fence or rule keeps its first
    mark as text."""
    text = text.lstrip()

    def escaped(mark: re.Match[str]) -> str:
        found = mark.group(1)
        return f"{found[:-1]}\\{found[-1]}" if found[0].isdigit() else "\\" + found

    return text if text.startswith("\\") else _OPENER.sub(escaped, text, count=1)


def _converted(code: InlineCode, codes: Sequence[InlineCode]) -> str:
    """An HTML tag as Markdown: links, images, emphasis and code; anything else goes."""
    name = code.data.strip("</>").split()[0].lower() if code.data.strip("</>") else ""
    partner = next((c for c in codes if c.id == code.id and c is not code), None)
    if name == "img":
        found = _attributes(code.data)
        return f"![{escape(found.get('alt', ''))}]({_url(found.get('src', ''))})"
    if name == "br":
        return " "
    if partner is None:  # its other half is in another sentence
        return ""
    if name == "a":
        opening = code if code.kind is CodeKind.OPEN else partner
        href = _attributes(opening.data).get("href")
        if href is None:
            return ""
        return "[" if code.kind is CodeKind.OPEN else f"]({_url(href)})"
    return _MARKS.get(name, "")


def _attributes(tag: str) -> dict[str, str]:
    return {name: html.unescape(value) for name, (value, _, _) in attributes(tag).items()}


def _url(url: str) -> str:
    """A link target Markdown reads whole (``<…>`` when it has spaces or brackets)."""
    if re.search(r"[\s()<>]", url):
        return "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"
    return url
