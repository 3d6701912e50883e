"""HTML articles via lxml.html: headings, paragraphs, list items, quotes and embedded tweets.

Scripts, styles and frames are dropped before any text is read. The walk is iterative, so
deeply nested markup cannot exhaust Python's recursion limit.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.ingest.raw import RawBlock
from pipeline.ingest.tweets import parse_attribution
from pipeline.model.document import BlockKind
from pipeline.model.errors import InputError

_DROP = ("script", "style", "noscript", "iframe", "template", "object", "embed", "svg", "head")
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_CONTAINER_BLOCKS = ("p", "li", "blockquote", "pre", "td", "th", "dd", "dt", "figcaption")
#: Elements a browser renders as a line or box break: inside a block their text must not glue
#: onto the neighbouring words (``text_content()`` would). ``wbr`` is only a break *opportunity*
#: inside one word, so it is deliberately absent.
_WORD_BREAKS = frozenset({
    "br", "hr", "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "table",
    "caption", "thead", "tbody", "tfoot", "tr", "td", "th", "figure", "figcaption", "section",
    "article", "aside", "header", "footer", "nav", "main", "address", "details", "summary",
    *_HEADINGS,
})


def html_units(text: str, path: Path) -> list[RawBlock]:
    """Block units of an HTML document, in reading order."""
    import lxml.etree
    import lxml.html

    parser = lxml.html.HTMLParser(
        remove_comments=True, remove_pis=True, no_network=True, recover=True, encoding="utf-8",
        huge_tree=True,
    )
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise InputError(f"cannot parse HTML: {exc}", path=path) from None
    for error in parser.error_log:
        if error.type_name == "ERR_RESOURCE_LIMIT":
            raise InputError(f"HTML too deeply nested ({error.message})", path=path,
                             line=error.line)
    for element in list(root.iter(*_DROP)):
        element.drop_tree()

    units: list[RawBlock] = []
    skip: set = set()

    def claim(element) -> None:
        skip.update(element.iterdescendants())

    for element in root.iter():
        if not isinstance(element.tag, str) or element in skip:
            continue
        tag = element.tag.lower()
        line = element.sourceline or 0
        if tag == "blockquote" and "twitter-tweet" in (element.get("class") or "").split():
            claim(element)
            units.extend(_tweet_units(element, line))
        elif tag in _HEADINGS:
            claim(element)
            _add(units, RawBlock(_text(element), line, BlockKind.HEADING, _HEADINGS[tag]))
        elif tag == "blockquote":
            if any(child.tag in _CONTAINER_BLOCKS for child in element.iterdescendants()):
                continue
            claim(element)
            _add(units, RawBlock(_text(element), line, BlockKind.QUOTE))
        elif tag in _CONTAINER_BLOCKS and not _has_block_child(element):
            claim(element)
            kind = BlockKind.LIST_ITEM if tag == "li" else BlockKind.PARAGRAPH
            if _in_quote(element):
                kind = BlockKind.QUOTE
            _add(units, RawBlock(_text(element), line, kind))
        elif tag in ("div", "body", "section", "article", "main"):
            loose = " ".join((element.text or "").split())
            if loose:
                _add(units, RawBlock(loose, line))
        parent_el = element.getparent()
        if tag not in _HEADINGS and element.tail and parent_el is not None:
            parent = parent_el.tag
            if parent in ("div", "body", "section", "article", "main") and element.tail.strip():
                _add(units, RawBlock(" ".join(element.tail.split()), line))
    return units


def _tweet_units(element, line: int) -> list[RawBlock]:
    """A twitter-tweet blockquote: its paragraphs are the body, the rest is the attribution."""
    paragraphs = [p for p in element.iter("p")]
    body = "\n".join(_text(p) for p in paragraphs if _text(p))
    rest = _text(element)
    for p in paragraphs:
        rest = rest.replace(_text(p), "", 1)
    attribution = parse_attribution(" ".join(rest.split()))
    if attribution is None:
        attribution = parse_attribution("- " + " ".join(rest.split()).lstrip("-—– "))
    if not body:
        return []
    if attribution is None:
        return [RawBlock(body, line, BlockKind.QUOTE)]
    return [RawBlock(body, line, BlockKind.TWEET, attribution=attribution)]


def _add(units: list[RawBlock], unit: RawBlock) -> None:
    if unit.text:
        units.append(unit)


def _text(element) -> str:
    """Whitespace-normalised text, with a space wherever a break element separates words.

    ``text_content()`` would glue ``Absatz<br>mit`` into ``Absatzmit``. The walk is
    ``iterwalk``, iterative like the rest of this module, so deep nesting stays safe.
    """
    import lxml.etree

    parts: list[str] = []
    for event, node in lxml.etree.iterwalk(element, events=("start", "end")):
        is_element = isinstance(node.tag, str)
        breaks = is_element and node is not element and node.tag.lower() in _WORD_BREAKS
        if breaks:
            parts.append(" ")
        if event == "start":
            if is_element:
                parts.append(node.text or "")
        elif node is not element:
            parts.append(node.tail or "")
    return " ".join("".join(parts).split())


def _has_block_child(element) -> bool:
    return any(
        isinstance(child.tag, str) and (child.tag in _CONTAINER_BLOCKS or child.tag in _HEADINGS)
        for child in element.iterdescendants()
    )


def _in_quote(element) -> bool:
    return any(ancestor.tag == "blockquote" for ancestor in element.iterancestors())
