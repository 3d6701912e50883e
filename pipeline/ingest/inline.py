"""Inline markup inside a sentence, found as codes (model.InlineCode), so ids and memory keys
see the words only: the same sentence in a text, Markdown or HTML article is one sentence.

Markdown: ``**strong**``/``__strong__``, ``*em*``/``_em_``, ```code```, and links
``[text](url)``: each opening and closing mark is a paired code; the text between is
translatable. HTML: the sentence holds its inline tags as written (``<a href="…">``,
``<em>``, ``<br>``) and text with ``<``/``>`` as ``&lt;``/``&gt;`` (see ingest.html), so every
``<…>`` is a tag: start and end tags pair by name into paired codes, void elements and tags
whose partner is in another sentence are codes of their own.
"""

from __future__ import annotations

import re

from pipeline.ingest.htmltree import VOID
from pipeline.model.document import CodeKind, InlineCode

#: One pass over the marks; a stack pairs them, so any input takes linear time.
_MARK = re.compile(r"\*\*|__|\*|_|`|\[|\]\([^()\s]{0,2000}\)")


def markdown_codes(text: str) -> tuple[InlineCode, ...]:
    """The inline codes of a Markdown sentence, paired, in order; unpaired marks stay text."""
    stack: list[re.Match[str]] = []
    brackets: list[int] = []  # where the open "[" marks sit in the stack
    pairs: list[tuple[re.Match[str], re.Match[str]]] = []
    for mark in _MARK.finditer(text):
        token = mark.group()
        in_code = bool(stack) and stack[-1].group() == "`"
        if in_code and token != "`":
            continue
        if token.startswith("]("):
            if brackets:
                opener = brackets.pop()
                pairs.append((stack[opener], mark))
                del stack[opener:]  # marks opened inside the link text and never closed
        elif token == "[":
            brackets.append(len(stack))
            stack.append(mark)
        elif stack and stack[-1].group() == token and token != "[" \
                and not _before_space(text, mark):
            pairs.append((stack.pop(), mark))
        elif _can_open(text, mark):
            stack.append(mark)
    codes = []
    for number, (open_, close) in enumerate(sorted(pairs, key=lambda p: p[0].start()), 1):
        codes.append(InlineCode(number, CodeKind.OPEN, open_.group(), *open_.span()))
        codes.append(InlineCode(number, CodeKind.CLOSE, close.group(), *close.span()))
    return tuple(sorted(codes, key=lambda c: c.start))


def _can_open(text: str, mark: re.Match[str]) -> bool:
    """An opening mark is followed by a non-space; ``_`` inside a word (snake_case) is text."""
    after = text[mark.end():mark.end() + 1]
    if not after or after.isspace():
        return False
    if mark.group() in ("_", "__", "*"):
        return not (mark.start() > 0 and text[mark.start() - 1].isalnum())
    return True


def _before_space(text: str, mark: re.Match[str]) -> bool:
    """A closing mark follows a non-space (``* x *`` is no emphasis)."""
    return mark.start() == 0 or text[mark.start() - 1].isspace()


#: A tag inside an HTML sentence (neither its text nor its tags' attribute values hold a
#: ``<`` or ``>``: ingest.html writes them as ``&lt;``/``&gt;``).
TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)\b[^<>]*>")
#: One attribute after a tag's name (or the previous attribute): name, optional value.
_ATTRIBUTE = re.compile(
    r"""[\s/]*([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_NAME = re.compile(r"</?[A-Za-z][^\s/>]*")


def attributes(tag: str) -> dict[str, tuple[str, int, int]]:
    """A start tag's attributes, read left to right as a browser does (a value is never
    taken for an attribute): lower-case name → (value as written, its start and end in
    ``tag``); the first of a repeated name counts."""
    found: dict[str, tuple[str, int, int]] = {}
    name = _NAME.match(tag)
    position = name.end() if name else len(tag)
    while position < len(tag):
        match = _ATTRIBUTE.match(tag, position)
        if match is None or match.end() == position:
            break
        group = next((g for g in (2, 3, 4) if match.group(g) is not None), None)
        value, span = (match.group(group), match.span(group)) if group else ("", (0, 0))
        found.setdefault(match.group(1).lower(), (value, *span))
        position = match.end()
    return found


def html_codes(text: str) -> tuple[InlineCode, ...]:
    """The inline codes of an HTML sentence, in order: a start and end tag of one element
    pair; a void element, or a tag whose partner lies in another sentence, stands alone as
    an opening or closing code of its own."""
    codes: list[InlineCode] = []
    open_: list[tuple[str, int, re.Match[str]]] = []
    number = 0
    for tag in TAG.finditer(text):
        name = tag.group(2).lower()
        if tag.group(1):  # an end tag: closes the innermost open element of its name
            found = next((i for i in range(len(open_) - 1, -1, -1) if open_[i][0] == name),
                         None)
            if found is None:
                number += 1
                codes.append(InlineCode(number, CodeKind.CLOSE, tag.group(), *tag.span()))
                continue
            _, ident, _ = open_[found]
            del open_[found:]
            codes.append(InlineCode(ident, CodeKind.CLOSE, tag.group(), *tag.span()))
        elif name in VOID or tag.group().endswith("/>"):  # <x-keep-1/>: what stays as it was
            number += 1
            codes.append(InlineCode(number, CodeKind.STANDALONE, tag.group(), *tag.span()))
        else:
            number += 1
            open_.append((name, number, tag))
            codes.append(InlineCode(number, CodeKind.OPEN, tag.group(), *tag.span()))
    return tuple(codes)


def codes_in(text: str, markup: str | None) -> tuple[InlineCode, ...]:
    """The inline codes of ``text`` in an article of format ``markup`` (``markdown``,
    ``html``; any other has none)."""
    if markup == "markdown":
        return markdown_codes(text)
    if markup == "html":
        return html_codes(text)
    return ()


def markup_of(codes: tuple[InlineCode, ...]) -> str | None:
    """Which markup a segment's codes are (tags are HTML), None without codes."""
    if not codes:
        return None
    return "html" if any(code.data.startswith("<") for code in codes) else "markdown"
