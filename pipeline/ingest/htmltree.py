"""An HTML document as a light tree that knows where each piece sits in the source text, so a
translation can be spliced into the original and every byte outside translated text stays.

lxml's trees forget offsets, so this one is built from the standard library's tokenizer
(``html.parser``, which never fetches anything), with the end-tag rules of HTML that news
pages need: void elements, ``<p>`` closed by the next block, ``<li>`` by the next item, an
end tag closing what it encloses, anything left open closed at the end. No recursion:
deep nesting cannot exhaust the stack.
"""

from __future__ import annotations

import bisect
import functools
import html
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                  "param", "source", "track", "wbr"})
#: Start tags that end an open ``<p>`` (HTML's "close a p element" rule).
_CLOSES_P = frozenset({
    "address", "article", "aside", "blockquote", "details", "div", "dl", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "main", "menu", "nav", "ol", "p", "pre", "section", "table", "ul", "li", "dd", "dt"})
#: An item ends the previous open item of its kind (up to its list).
_SIBLINGS = {"li": ("li",), "dt": ("dt", "dd"), "dd": ("dt", "dd"), "tr": ("tr", "td", "th"),
             "td": ("td", "th"), "th": ("td", "th"), "option": ("option",)}
_SCOPE = frozenset({"ul", "ol", "dl", "table", "tbody", "thead", "tfoot", "select",
                    "blockquote", "div", "body", "html"})
_END_TAG = re.compile(r"</[^>]*>?")
#: Deeper than this, a page is an attack or a broken generator, not an article (and every
#: end tag looks through the open elements).
MAX_DEPTH = 2048


class TooDeep(ValueError):
    """More open elements than MAX_DEPTH; ``line`` is where."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


@dataclass
class Text:
    """Character data (``value`` decoded) at ``start:end`` of the source."""

    start: int
    end: int
    value: str


@dataclass
class Element:
    """An element: its start tag at ``start:inner_start`` (``raw``, as written), its content at
    ``inner_start:inner_end``, its end tag (if written) up to ``end``."""

    tag: str
    attrs: dict[str, str | None]
    raw: str
    start: int
    inner_start: int
    inner_end: int = -1
    end: int = -1
    closed: bool = False  # an end tag was written
    raw_end: str = ""  # the end tag as written
    children: list[Element | Text] = field(default_factory=list)
    parent: Element | None = None

    def iter(self) -> Iterator[Element]:
        """This element and every element below it, in document order (iteratively)."""
        stack: list[Element] = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed([c for c in node.children if isinstance(c, Element)]))

    def ancestors(self) -> Iterator[Element]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


def parse_tree(source: str) -> Element:
    """The document under a synthetic root (tag ``#root``) spanning the whole source."""
    builder = _Builder(source)
    builder.feed(source)
    builder.close()
    return builder.finish()


class _Builder(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.lines = _line_starts(source)
        self.root = Element("#root", {}, "", 0, 0)
        self.stack = [self.root]
        self.open_names: Counter[str] = Counter()  # a stray end tag is dismissed at once

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.lines[line - 1] + column

    def _close(self, element: Element, at: int, end: int, closed: bool) -> None:
        """Pop up to and including ``element``; ones inside it end where it ends."""
        while self.stack:
            node = self.stack.pop()
            self.open_names[node.tag] -= 1
            node.inner_end, node.end = (at, end) if node is element else (at, at)
            node.closed = closed and node is element
            node.raw_end = self.source[at:end] if node.closed else ""
            if node is element:
                return

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start, raw = self._offset(), self.get_starttag_text() or ""
        self._implied(tag, start)
        parent = self.stack[-1]
        element = Element(tag, dict(attrs), raw, start, start + len(raw), parent=parent)
        parent.children.append(element)
        if tag in VOID:
            element.inner_end = element.end = element.inner_start
            element.closed = True
        else:
            self.stack.append(element)
            self.open_names[tag] += 1
            if len(self.stack) > MAX_DEPTH:
                raise TooDeep(f"HTML too deeply nested (over {MAX_DEPTH} open elements)",
                              self.getpos()[0])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start, raw = self._offset(), self.get_starttag_text() or ""
        self._implied(tag, start)
        parent = self.stack[-1]
        element = Element(tag, dict(attrs), raw, start, start + len(raw), start + len(raw),
                          start + len(raw), True, parent=parent)
        parent.children.append(element)

    def _implied(self, tag: str, at: int) -> None:
        """End what a new ``tag`` ends implicitly (an open ``p``, the previous item)."""
        if tag in _CLOSES_P and self.open_names["p"] > 0:
            for node in reversed(self.stack):
                if node.tag == "p":
                    self._close(node, at, at, False)
                    break
                if node.tag in _SCOPE or node.tag in ("li", "td", "th", "dd", "dt"):
                    break
        if tag in _SIBLINGS and any(self.open_names[name] > 0 for name in _SIBLINGS[tag]):
            for node in reversed(self.stack):
                if node.tag in _SIBLINGS[tag]:
                    self._close(node, at, at, False)
                    break
                if node.tag in _SCOPE:
                    break

    def handle_endtag(self, tag: str) -> None:
        start = self._offset()
        match = _END_TAG.match(self.source, start)
        end = match.end() if match else start
        if self.open_names[tag] <= 0:
            return  # a stray end tag: ignored, as browsers do (its bytes stay where they are)
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                self._close(self.stack[index], start, end, True)
                return
        # a stray end tag: ignored, as browsers do (its bytes stay where they are)

    def handle_data(self, data: str) -> None:
        start = self._offset()
        self.stack[-1].children.append(Text(start, start + len(data), data))

    def handle_entityref(self, name: str) -> None:
        self._reference(f"&{name}")

    def handle_charref(self, name: str) -> None:
        self._reference(f"&#{name}")

    def _reference(self, written: str) -> None:
        start = self._offset()
        end = start + len(written)
        if self.source.startswith(";", end):
            end += 1
        raw = self.source[start:end]
        value = html.unescape(raw)
        self.stack[-1].children.append(Text(start, end, value))

    def finish(self) -> Element:
        end = len(self.source)
        while len(self.stack) > 1:
            node = self.stack.pop()
            node.inner_end = node.end = end
        self.root.inner_end = self.root.end = end
        return self.root


def line_of(source: str, offset: int) -> int:
    """The 1-based line ``offset`` is on."""
    return bisect.bisect_right(_line_starts(source), offset)


@functools.lru_cache(maxsize=4)
def _line_starts(source: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer("\n", source)]
