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
from collections import defaultdict
from collections.abc import Iterable, Iterator
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
#: Deeper than this, a page is an attack or a broken generator, not an article.
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
class Raw:
    """Bytes no reader translates but a splice must keep where they are: a comment, a
    declaration or CDATA section, an end tag that closes nothing. ``breaks``: it separates
    words as a line break does (``</br>``, which browsers read as ``<br>``)."""

    start: int
    end: int
    raw: str
    breaks: bool = False


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
    children: list[Element | Text | Raw] = field(default_factory=list)
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


#: Stands in for a ``<`` after the source's last ``>`` while parsing: html.parser rescans
#: such an unterminated tag to the end for every one of them (quadratic time); they are
#: text anyway, and the stand-in has the same length, so offsets stay.
_STAND_IN = "\ue000"


def parse_tree(source: str) -> Element:
    """The document under a synthetic root (tag ``#root``) spanning the whole source."""
    last = source.rfind(">")
    parsed = source[:last + 1] + source[last + 1:].replace("<", _STAND_IN)
    builder = _Builder(source)
    builder.feed(parsed)
    builder.close()
    return builder.finish()


class _Builder(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.lines = _line_starts(source)
        self.root = Element("#root", {}, "", 0, 0)
        self.stack = [self.root]
        #: per tag name, where its open elements sit in the stack: every implied or
        #: explicit end finds its element without walking the stack
        self.at: dict[str, list[int]] = defaultdict(list)

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.lines[line - 1] + column

    def _nearest(self, names: Iterable[str]) -> int:
        """The stack index of the innermost open element named in ``names``, or -1."""
        return max((self.at[name][-1] for name in names if self.at[name]), default=-1)

    def _close(self, index: int, at: int, end: int, closed: bool) -> None:
        """Pop the element at stack ``index`` and all inside it (they end where it ends)."""
        while len(self.stack) > index:
            node = self.stack.pop()
            self.at[node.tag].pop()
            mine = len(self.stack) == index
            node.inner_end, node.end = (at, end) if mine else (at, at)
            node.closed = closed and mine
            node.raw_end = self.source[at:end] if node.closed else ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start, raw = self._offset(), self.get_starttag_text() or ""
        self._implied(tag, start)
        parent = self.stack[-1]
        element = Element(tag, dict(attrs), raw, start, start + len(raw), parent=parent)
        parent.children.append(element)
        if tag in VOID:
            element.inner_end = element.end = element.inner_start
            element.closed = True
            return
        self.at[tag].append(len(self.stack))
        self.stack.append(element)
        if len(self.stack) > MAX_DEPTH:
            raise TooDeep(f"HTML too deeply nested (over {MAX_DEPTH} open elements)",
                          self.getpos()[0])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start, raw = self._offset(), self.get_starttag_text() or ""
        if tag not in VOID:  # <b/> is a start tag in HTML: what follows is inside it
            self.handle_starttag(tag, attrs)
            return
        self._implied(tag, start)
        parent = self.stack[-1]
        parent.children.append(Element(tag, dict(attrs), raw, start, start + len(raw),
                                       start + len(raw), start + len(raw), True,
                                       parent=parent))

    def _implied(self, tag: str, at: int) -> None:
        """End what a new ``tag`` ends implicitly (an open ``p``, the previous item), unless
        a list, table or quote lies between (their items are their own)."""
        if tag in _CLOSES_P:
            found = self._nearest(("p",))
            if found > self._nearest(_SCOPE | {"li", "td", "th", "dd", "dt"}):
                self._close(found, at, at, False)
        if tag in _SIBLINGS:
            found = self._nearest(_SIBLINGS[tag])
            if found > self._nearest(_SCOPE):
                self._close(found, at, at, False)

    def handle_endtag(self, tag: str) -> None:
        start = self._offset()
        match = _END_TAG.match(self.source, start)
        end = match.end() if match else start
        if self.at[tag]:
            self._close(self.at[tag][-1], start, end, True)
        else:  # closes nothing: browsers ignore it (</br> they read as <br>); bytes stay
            self.stack[-1].children.append(Raw(start, end, self.source[start:end],
                                               breaks=tag == "br"))

    def handle_data(self, data: str) -> None:
        start = self._offset()
        self.stack[-1].children.append(Text(start, start + len(data),
                                            data.replace(_STAND_IN, "<")))

    def handle_entityref(self, name: str) -> None:
        self._reference(f"&{name}")

    def handle_charref(self, name: str) -> None:
        self._reference(f"&#{name}")

    def _reference(self, written: str) -> None:
        start = self._offset()
        end = start + len(written)
        if self.source.startswith(";", end):
            end += 1
        self.stack[-1].children.append(Text(start, end, html.unescape(self.source[start:end])))

    def handle_comment(self, data: str) -> None:
        self._raw("-->" if self.source.startswith("<!--", self._offset()) else ">")

    def handle_decl(self, decl: str) -> None:
        self._raw(">")

    def handle_pi(self, data: str) -> None:
        self._raw(">")

    def unknown_decl(self, data: str) -> None:
        self._raw("]]>" if data.startswith("CDATA[") else ">")

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        """``<![…`` that is no CDATA section: a bogus comment to browsers, not an error."""
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:  # (it may have moved the position past "<![")
            end = self.rawdata.find(">", i)
            if end < 0:
                return -1
            self._raw(">", self.source.rfind("<![", 0, self._offset() + 1))
            return end + 1

    def _raw(self, closing: str, start: int = -1) -> None:
        start = self._offset() if start < 0 else start
        found = self.source.find(closing, start + 2)
        end = len(self.source) if found < 0 else found + len(closing)
        self.stack[-1].children.append(Raw(start, end, self.source[start:end]))

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


@functools.lru_cache(maxsize=1)
def _line_starts(source: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer("\n", source)]
