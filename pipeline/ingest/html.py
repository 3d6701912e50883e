"""HTML articles: headings, paragraphs, list items, quotes, embedded tweets and image texts,
each with its inline markup and the place in the source its translation goes.

A block's text keeps its inline tags as written (``<a href="…">``, ``<em>``, ``<br>``), white
space normalised, with ``<``/``>`` of the text itself written ``&lt;``/``&gt;`` so that every
``<…>`` in a sentence is a tag (ingest.inline turns them into codes; the PO file shows them
so). ``&`` and every other character are the text's own. Scripts, styles and frames are
never read; ``alt`` and ``title`` of an image outside the text are blocks of their own.
The source's offsets (ingest.htmltree) let formats.html splice translations back in.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

from pipeline.ingest.htmltree import VOID, Element, Text, TooDeep, line_of, parse_tree
from pipeline.ingest.raw import RawBlock
from pipeline.ingest.tweets import parse_attribution
from pipeline.model.document import BlockKind, Origin
from pipeline.model.errors import InputError

_DROP = frozenset({"script", "style", "noscript", "iframe", "template", "object", "embed",
                   "svg", "head", "title", "textarea", "select", "button", "math"})
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_CONTAINER_BLOCKS = frozenset({"p", "li", "blockquote", "pre", "td", "th", "dd", "dt",
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


def html_units(source: str, path: Path) -> list[RawBlock]:
    """Block units of an HTML document, in reading order, each with its ``Origin``."""
    try:
        root = parse_tree(source)
    except TooDeep as exc:
        raise InputError(str(exc), path=path, line=exc.line) from None
    except (AssertionError, ValueError) as exc:  # html.parser's own complaints
        raise InputError(f"cannot parse HTML: {exc}", path=path) from None
    found: list[tuple[int, RawBlock]] = []
    images: list[tuple[int, RawBlock]] = []
    claimed: set[int] = set()
    order = list(root.iter())
    quoted = {id(root): False}  # inside a blockquote
    for element in order[1:]:
        parent = element.parent
        assert parent is not None
        quoted[id(element)] = parent.tag == "blockquote" or quoted[id(parent)]
    blocks_below: dict[int, bool] = {}  # a text block somewhere inside
    for element in reversed(order):
        blocks_below[id(element)] = any(
            isinstance(child, Element) and (child.tag in _CONTAINER_BLOCKS
                                            or child.tag in _HEADINGS or blocks_below[id(child)])
            for child in element.children)
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
            units = _tweet_units(element, line)
        elif tag in _HEADINGS:
            claimed.add(id(element))
            units = _unit(element, line, BlockKind.HEADING, _HEADINGS[tag])
        elif tag == "blockquote" and not blocks_below[id(element)]:
            claimed.add(id(element))
            units = _unit(element, line, BlockKind.QUOTE)
        elif tag in _CONTAINER_BLOCKS and tag != "blockquote" and not blocks_below[id(element)]:
            claimed.add(id(element))
            kind = BlockKind.LIST_ITEM if tag == "li" else BlockKind.PARAGRAPH
            if quoted[id(element)]:
                kind = BlockKind.QUOTE
            units = _unit(element, line, kind)
        elif tag == "img":
            images += [(element.start, unit) for unit in _attribute_units(element, line)]
        if tag in _LOOSE:
            units += _loose_runs(source, element)
        found += [(unit.origin.start if unit.origin else element.start, unit) for unit in units]
    # an image inside a text block is one of its codes: its alt goes along with the text
    spans = [(u.origin.start, u.origin.end) for _, u in found if u.origin]
    found += [(at, unit) for at, unit in images
              if not any(start <= at < end for start, end in spans)]
    return [unit for _, unit in sorted(found, key=lambda item: item[0])]


def _unit(element: Element, line: int, kind: BlockKind, level: int = 0) -> list[RawBlock]:
    """The element's text as blocks of ``kind``: one, or one per run between scripts and
    the like inside it (those stay in the page where they are)."""
    return [RawBlock(text, line, kind, level, origin=Origin(start, end))
            for text, start, end in _runs(element.children, lambda e: e.tag in _DROP)]


def _runs(nodes: list[Element | Text], split: Callable[[Element], bool]
          ) -> list[tuple[str, int, int]]:
    """``inline_text`` of each run of nodes between elements ``split`` is true for."""
    found: list[tuple[str, int, int]] = []
    run: list[Element | Text] = []
    for node in [*nodes, None]:
        if node is None or isinstance(node, Element) and split(node):
            text, start, end = inline_text(run)
            if text:
                found.append((text, start, end))
            run = []
        else:
            run.append(node)
    return found


def inline_text(nodes: list[Element | Text]) -> tuple[str, int, int]:
    """The nodes' text with their inline tags, normalised, and the source span it covers
    (without surrounding white space): (text, start, end)."""
    parts: list[str] = []
    first, last = -1, -1
    stack: list[tuple[Element | Text, bool]] = [(n, False) for n in reversed(nodes)]
    while stack:
        node, leaving = stack.pop()
        if isinstance(node, Text):
            if node.value.strip():
                first = node.start + _lead(node.value) if first < 0 else first
                last = node.end - _trail(node.value)
            parts.append(_escape(node.value))
            continue
        if node.tag in _DROP:
            continue
        breaks = " " if node.tag in _WORD_BREAKS else ""  # no words glued across it
        if leaving:
            if node.closed:
                parts.append(breaks + _tag(node.raw_end) + breaks)
                last = max(last, node.end) if first >= 0 else last
            continue
        if node.tag in VOID:  # a line break belongs to the words before it
            parts.append(_tag(node.raw) + breaks)
            first = node.start if first < 0 else first
            last = max(last, node.end)
            continue
        parts.append(breaks + _tag(node.raw) + breaks)
        if first < 0:
            first = node.start
        last = max(last, node.inner_start)
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node.children))
    text = " ".join("".join(parts).split())
    if not _TEXT_LEFT.sub("", text).strip():
        return "", 0, 0  # only tags: nothing to translate
    return text, first, last


_TEXT_LEFT = re.compile(r"<[^<>]*>")


def _lead(value: str) -> int:
    return len(value) - len(value.lstrip())


def _trail(value: str) -> int:
    return len(value) - len(value.rstrip())


def _escape(text: str) -> str:
    return text.replace("<", "&lt;").replace(">", "&gt;")


def _tag(raw: str) -> str:
    return " ".join(raw.split())


def _loose_runs(source: str, element: Element) -> list[RawBlock]:
    """Text directly inside a container, between its blocks: one paragraph per run."""
    return [RawBlock(text, line_of(source, start), origin=Origin(start, end))
            for text, start, end in _runs(element.children, _ends_run)]


def _ends_run(element: Element) -> bool:
    return element.tag in _WORD_BREAKS and element.tag != "br" or element.tag in _DROP \
        or element.tag in _LOOSE


def _attribute_units(element: Element, line: int) -> list[RawBlock]:
    """An image's ``alt`` and ``title``, each a block whose origin is the value's span."""
    units = []
    for name in _ATTRIBUTES:
        found = re.search(rf"""\s{name}\s*=\s*("([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""",
                          element.raw, re.IGNORECASE)
        if found is None:
            continue
        group = next(g for g in (2, 3, 4) if found.group(g) is not None)
        value = " ".join(html.unescape(found.group(group)).split())
        if value:
            start = element.start + found.start(group)
            units.append(RawBlock(_escape(value), line, BlockKind.PARAGRAPH,
                                  origin=Origin(start, start + len(found.group(group)), name)))
    return units


def _tweet_units(element: Element, line: int) -> list[RawBlock]:
    """A twitter-tweet blockquote: its paragraphs are the body, the rest the attribution.
    The body goes back into the source when it is one paragraph (the standard embed)."""
    paragraphs = [e for e in element.iter() if e.tag == "p"]
    bodies = [inline_text(p.children) for p in paragraphs]
    body = "\n".join(text for text, _, _ in bodies if text)
    rest = [n for n in element.children if not (isinstance(n, Element) and n.tag == "p")]
    plain = _TEXT_LEFT.sub("", inline_text(rest)[0])
    plain = html.unescape(plain)
    attribution = parse_attribution(plain) or parse_attribution("- " + plain.lstrip("-—– "))
    if not body:
        return []
    texts = [b for b in bodies if b[0]]
    origin = Origin(texts[0][1], texts[0][2]) if len(texts) == 1 else None
    if attribution is None:
        return [RawBlock(body, line, BlockKind.QUOTE, origin=origin)]
    return [RawBlock(body, line, BlockKind.TWEET, attribution=attribution, origin=origin)]

