"""HTML articles: headings, paragraphs, list items, quotes, embedded tweets and image texts,
each with its inline markup and the place in the source its translation goes.

A block's text keeps its inline tags (``<a href="…">``, ``<em>``, ``<br>``), white space
normalised, and escapes in its own text what would read as markup (``<`` → ``&lt;``, ``>`` →
``&gt;``, an ``&`` that would read as one of those → ``&amp;``), so every ``<…>`` in a
sentence is a tag (ingest.inline turns them into codes; the PO file shows them so). What a
block holds that no one translates — a comment, a script, an end tag that closes nothing —
is a placeholder tag ``<x-keep-N/>``; it and every tag whose bytes the normalised text does
not hold verbatim are listed in ``RawBlock.kept``, so the splice (formats.html) writes the
source's own bytes back. Scripts, styles, frames and ``<pre>`` are never read; ``alt`` and
``title`` of an image outside the text are blocks of their own.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline.ingest.htmltree import VOID, Element, Raw, Text, TooDeep, line_of, parse_tree
from pipeline.ingest.inline import TAG, attributes
from pipeline.ingest.raw import RawBlock
from pipeline.ingest.tweets import parse_attribution
from pipeline.model.document import BlockKind, Origin
from pipeline.model.errors import InputError

_DROP = frozenset({"script", "style", "noscript", "iframe", "template", "object", "embed",
                   "svg", "head", "title", "textarea", "select", "button", "math", "pre"})
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_CONTAINER_BLOCKS = frozenset({"p", "li", "blockquote", "td", "th", "dd", "dt",
                               "figcaption"})
#: Elements a browser renders as a line or box break: inside a block their text must not glue
#: onto the neighbouring words. ``wbr`` is only a break *opportunity* inside one word.
_WORD_BREAKS = frozenset({
    "br", "hr", "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "table",
    "caption", "thead", "tbody", "tfoot", "tr", "td", "th", "figure", "figcaption", "section",
    "article", "aside", "header", "footer", "nav", "main", "address", "details", "summary",
    "form", "fieldset", *_HEADINGS,
})
#: Text directly inside these (between their blocks) is a paragraph of its own.
_LOOSE = frozenset({"#root", "html", "body", "div", "section", "article", "main", "header",
                    "footer", "aside", "figure", "nav", "address", "details", "summary",
                    "form", "fieldset"})
#: Attributes of an image read for translation.
_ATTRIBUTES = ("alt", "title")
#: Inside a tag, what the sentence's text may not hold (see TAG): ``<`` and ``>`` in a value.
_ANGLES = str.maketrans({"<": "&lt;", ">": "&gt;"})
#: An ``&`` that would read as an escape the sentence uses itself.
_AMBIGUOUS_AMP = re.compile(r"&(?=(?:lt|gt|amp);)")


@dataclass(frozen=True)
class Inline:
    """A run of nodes as a sentence text: ``start:end`` is its span in the source (without
    the white space around it), ``kept`` maps tokens in ``text`` to the source's bytes."""

    text: str
    start: int
    end: int
    kept: tuple[tuple[str, str], ...] = ()


def html_units(source: str, path: Path) -> list[RawBlock]:
    """Block units of an HTML document, in reading order, each with its ``Origin``."""
    try:
        root = parse_tree(source)
    except TooDeep as exc:
        raise InputError(str(exc), path=path, line=exc.line) from None
    except (AssertionError, ValueError) as exc:  # html.parser's own complaints
        raise InputError(f"cannot parse HTML: {exc}", path=path) from None
    order = list(root.iter())
    quoted = {id(root): False}  # inside a blockquote
    for element in order[1:]:
        parent = element.parent
        assert parent is not None
        quoted[id(element)] = parent.tag == "blockquote" or quoted[id(parent)]
    below: dict[int, bool] = {}  # a text block somewhere inside
    for element in reversed(order):
        below[id(element)] = any(
            isinstance(child, Element) and child.tag not in _DROP
            and (child.tag in _CONTAINER_BLOCKS or child.tag in _HEADINGS or below[id(child)])
            for child in element.children)

    def ends_run(element: Element) -> bool:
        """An element a paragraph of loose text does not reach across."""
        return (element.tag in _WORD_BREAKS and element.tag != "br" or element.tag in _DROP
                or element.tag in _LOOSE or below[id(element)])

    found: list[tuple[int, RawBlock]] = []
    images: list[tuple[int, RawBlock]] = []
    claimed: set[int] = set()
    for element in order:
        if id(element) in claimed or element.parent is not None and id(element.parent) in claimed:
            claimed.add(id(element))
            continue
        tag, line = element.tag, line_of(source, element.start)
        units: list[RawBlock] = []
        if tag in _DROP:
            claimed.add(id(element))
        elif tag == "blockquote" and "twitter-tweet" in (element.attrs.get("class") or "").split():
            claimed.add(id(element))
            units = _tweet_units(source, element, line)
        elif below[id(element)]:  # its text blocks are read on their own, the rest here
            units = _units(source, element.children, ends_run, BlockKind.PARAGRAPH)
        elif tag in _HEADINGS:
            claimed.add(id(element))
            units = _units(source, element.children, _dropped, BlockKind.HEADING,
                           _HEADINGS[tag])
        elif tag in _CONTAINER_BLOCKS:
            claimed.add(id(element))
            kind = {"li": BlockKind.LIST_ITEM, "blockquote": BlockKind.QUOTE}.get(
                tag, BlockKind.QUOTE if quoted[id(element)] else BlockKind.PARAGRAPH)
            units = _units(source, element.children, _dropped, kind)
        elif tag == "img":
            images += [(element.start, unit) for unit in _attribute_units(element, line)]
        elif tag in _LOOSE:
            units = _units(source, element.children, ends_run, BlockKind.PARAGRAPH)
        found += [(unit.origin.start if unit.origin else element.start, unit) for unit in units]
    # an image inside a text block is one of its codes: its alt goes along with the text
    spans = sorted((u.origin.start, u.origin.end) for _, u in found if u.origin)
    starts = [start for start, _ in spans]
    found += [(at, unit) for at, unit in images if not _inside(at, spans, starts)]
    return [unit for _, unit in sorted(found, key=lambda item: item[0])]


def _inside(at: int, spans: list[tuple[int, int]], starts: list[int]) -> bool:
    index = bisect.bisect_right(starts, at) - 1
    return index >= 0 and spans[index][0] <= at < spans[index][1]


def _dropped(element: Element) -> bool:
    return element.tag in _DROP


def _units(source: str, nodes: list[Element | Text | Raw], split: Callable[[Element], bool],
           kind: BlockKind, level: int = 0) -> list[RawBlock]:
    """One block of ``kind`` per run of ``nodes`` between elements ``split`` is true for
    (a script between two sentences stays where it is, outside both)."""
    units: list[RawBlock] = []
    run: list[Element | Text | Raw] = []
    for node in [*nodes, None]:
        if node is None or isinstance(node, Element) and split(node):
            found = inline_text(source, run)
            if found.text:
                units.append(RawBlock(found.text, line_of(source, found.start), kind, level,
                                      origin=Origin(found.start, found.end), kept=found.kept))
            run = []
        else:
            run.append(node)
    return units


def inline_text(source: str, nodes: list[Element | Text | Raw]) -> Inline:
    """The nodes as a sentence text (see the module's docstring) and the span it covers."""
    parts: list[str] = []
    kept: dict[str, str] = {}
    first, last = -1, -1

    def token(raw: str, start: int, end: int, breaks: bool = False) -> None:
        nonlocal first, last
        parts.append(raw + (" " if breaks else ""))
        first = start if first < 0 else first
        last = max(last, end)

    def tag(raw: str) -> str:
        written = " ".join(raw.split()).translate(_ANGLES)
        written = "<" + written[4:-4] + ">" if written.startswith("&lt;") else written
        if written != raw:
            kept[written] = raw
        return written

    stack: list[tuple[Element | Text | Raw, bool]] = [(n, False) for n in reversed(nodes)]
    words: list[str] = []  # text between tags, escaped as one (``&amp;`` + ``lt;``)
    while stack:
        node, leaving = stack.pop()
        if isinstance(node, Text):
            if node.value.strip():
                first = node.start + _lead(node.value) if first < 0 else first
                last = node.end - _trail(node.value)
            words.append(node.value)
            continue
        if words:
            parts.append(_escape("".join(words)))
            words = []
        if isinstance(node, Raw) or node.tag in _DROP:
            placeholder = f"<x-keep-{len(kept)}/>"
            kept[placeholder] = source[node.start:node.end]
            token(placeholder, node.start, node.end, isinstance(node, Raw) and node.breaks)
        elif leaving:
            if node.closed:
                parts.append(_pad(node) + tag(node.raw_end) + _pad(node))
                last = max(last, node.end) if first >= 0 else last
        elif node.tag in VOID:  # a line break belongs to the words before it
            token(tag(node.raw), node.start, node.end, node.tag in _WORD_BREAKS)
        else:
            token(_pad(node) + tag(node.raw) + _pad(node), node.start, node.inner_start)
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(node.children))
    parts.append(_escape("".join(words)))
    text = " ".join("".join(parts).split())
    if not TAG.sub("", text).strip():
        return Inline("", 0, 0)  # only tags: nothing to translate
    return Inline(text, first, last, tuple(kept.items()))


def _pad(element: Element) -> str:
    """A space around a block-level tag inside a sentence: no words glued across it."""
    return " " if element.tag in _WORD_BREAKS else ""


def _escape(text: str) -> str:
    return _AMBIGUOUS_AMP.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")


def _lead(value: str) -> int:
    return len(value) - len(value.lstrip())


def _trail(value: str) -> int:
    return len(value) - len(value.rstrip())


def _attribute_units(element: Element, line: int) -> list[RawBlock]:
    """An image's ``alt`` and ``title``, each a block whose origin is the value's span."""
    units = []
    for name, (value, start, end) in attributes(element.raw).items():
        text = " ".join(html.unescape(value).split())
        if name in _ATTRIBUTES and text:
            units.append(RawBlock(_escape(text), line, BlockKind.PARAGRAPH,
                                  origin=Origin(element.start + start, element.start + end,
                                                name)))
    return units


def _tweet_units(source: str, element: Element, line: int) -> list[RawBlock]:
    """A twitter-tweet blockquote: its paragraphs are the body, the rest the attribution.
    The body goes back into the source when it is one paragraph (the standard embed)."""
    paragraphs = [e for e in element.iter() if e.tag == "p"]
    bodies = [found for p in paragraphs if (found := inline_text(source, p.children)).text]
    if not bodies:
        return []
    rest = [n for n in element.children if not (isinstance(n, Element) and n.tag == "p")]
    plain = html.unescape(TAG.sub("", inline_text(source, rest).text))
    attribution = parse_attribution(plain) or parse_attribution("- " + plain.lstrip("-—– "))
    body = "\n".join(found.text for found in bodies)
    one = bodies[0] if len(bodies) == 1 else None
    origin = Origin(one.start, one.end) if one else None
    kept = one.kept if one else ()
    if attribution is None:
        return [RawBlock(body, line, BlockKind.QUOTE, origin=origin, kept=kept)]
    return [RawBlock(body, line, BlockKind.TWEET, attribution=attribution, origin=origin,
                     kept=kept)]
