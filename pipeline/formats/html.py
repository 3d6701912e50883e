"""The translated article as HTML, made by splicing: each block's translation goes where its
text was in the source (the block's Origin) and every other byte stays as it was (scripts,
embeds, attributes, white space), as Okapi's skeletons do. The page says its new language
(``lang`` on ``<html>``, or on a fragment's first element).

A target's tags are the sentence's own codes; a tag the source sentence did not have (a
person typed ``<script>``) is written as text, so a review can never put markup into the
page that the article did not have (the ``markup`` check names it).
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Callable, Sequence

from pipeline.ingest.htmltree import parse_tree
from pipeline.ingest.inline import TAG, attributes, html_codes
from pipeline.model import languages
from pipeline.model.document import CodeKind, Document, Translation

_RTL = frozenset({"ar", "he", "fa", "ur", "yi", "ps", "dv"})
#: An ``&`` of the text itself (one the sentence wrote as ``&amp;`` stays as it is).
_BARE_AMP = re.compile(r"&(?!lt;|gt;|amp;)")
#: Where a fragment's language goes: its first element that is not head matter.
_HEAD_MATTER = frozenset({"meta", "link", "script", "style", "title", "base", "head",
                          "noscript", "template"})


def render_html(document: Document, translations: Sequence[Translation], lang: str) -> bytes:
    """The source HTML with the translations spliced in, in the source's encoding."""
    source = document.original
    if source is None:
        raise ValueError(f"{document.path}: not read from HTML, nothing to splice into")
    by_block: dict[int, list[Translation]] = defaultdict(list)
    for translation in translations:
        by_block[translation.segment.block].append(translation)
    edits = [_language(source, lang)]
    for block in document.blocks:
        found = by_block.get(block.index)
        if block.origin is None or not found:
            continue
        text = _joined(document, found, lambda t: t.target)
        if block.origin.attribute:
            quoted = source[block.origin.start - 1:block.origin.start] in ("'", '"')
            value = html.escape(_plain(text), quote=True)
            edits.append((block.origin.start, block.origin.end,
                          value if quoted else f'"{value}"'))
        else:
            allowed = {code.data for t in found for code in t.segment.codes}
            sources = _joined(document, found, lambda t: t.segment.text)
            edits.append((block.origin.start, block.origin.end,
                          _markup(text, allowed, dict(block.kept), sources)))
    pieces, position = [], 0
    for start, end, replacement in sorted(e for e in edits if e is not None):
        pieces += [source[position:start], replacement]
        position = end
    pieces.append(source[position:])
    out = "".join(pieces)
    encoding = "utf-8" if document.encoding.startswith("utf-8") else document.encoding
    data = out.encode(encoding, errors="xmlcharrefreplace")
    return (b"\xef\xbb\xbf" + data) if document.encoding == "utf-8-sig" else data


def _joined(document: Document, found: Sequence[Translation],
            text: Callable[[Translation], str]) -> str:
    """A block's texts joined with the white space that stood between its sentences."""
    parts: list[str] = []
    for index, translation in enumerate(found):
        if index:
            gap = document.text[found[index - 1].segment.end:translation.segment.start]
            parts.append(" " if gap and not gap.strip() else gap or " ")
        parts.append(text(translation))
    return "".join(parts)


def _markup(text: str, allowed: set[str], kept: dict[str, str], source: str) -> str:
    """A block's target as HTML: the source's own tags as written (``kept`` maps a token to
    the source's bytes), everything else text, escaped; an element the source closes in
    this block but the target left open is closed at its end, so a lost ``</a>`` never
    turns the rest of the page into a link (the ``markup`` check names the loss)."""
    pieces, position = [], 0
    for tag in TAG.finditer(text):
        pieces.append(_text(text[position:tag.start()]))
        pieces.append(kept.get(tag.group(), tag.group()) if tag.group() in allowed
                      else html.escape(tag.group()))
        position = tag.end()
    pieces.append(_text(text[position:]))
    left_open = _open_at_end(text, allowed)
    for name in _open_at_end(source, allowed):
        if name in left_open:
            left_open.remove(name)  # open in the source too: its end is in another block
    return "".join(pieces) + "".join(f"</{name}>" for name in reversed(left_open))


def _text(text: str) -> str:
    """Text of a target: every ``<`` and ``>`` written as a character reference."""
    return _BARE_AMP.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")


def _open_at_end(text: str, allowed: set[str]) -> list[str]:
    """Names of the elements ``text``'s allowed tags leave open, outermost first."""
    stack: list[str] = []
    for code in html_codes(text):
        name = code.data.strip("</>").split()[0].lower() if code.data.strip("</>") else ""
        if code.data not in allowed or code.kind is CodeKind.STANDALONE:
            continue
        if code.kind is CodeKind.OPEN:
            stack.append(name)
        elif name in stack:
            del stack[len(stack) - 1 - stack[::-1].index(name):]
    return stack


def _plain(text: str) -> str:
    """An attribute's text: no tags, ``&lt;``/``&gt;``/``&amp;`` as the characters."""
    return html.unescape(TAG.sub("", text))


def _language(source: str, lang: str) -> tuple[int, int, str] | None:
    """The edit that sets ``lang`` (and ``dir`` for a right-to-left language) on ``<html>``,
    else ``<body>``, else a fragment's first element (comments and quoted values are never
    taken for it: the page is parsed)."""
    elements = [e for e in parse_tree(source).iter() if e.tag != "#root"]
    target = next((e for e in elements if e.tag == "html"), None) \
        or next((e for e in elements if e.tag == "body"), None) \
        or next((e for e in elements if e.tag not in _HEAD_MATTER), None)
    if target is None:
        return None
    tag = target.raw
    wanted = {"lang": languages.bcp47(lang)}
    if lang.split("-")[0] in _RTL:
        wanted["dir"] = "rtl"
    present = attributes(tag)
    for name, value in wanted.items():
        if name in present:
            _, start, end = present[name]
            quoted = tag[start - 1:start] in ("'", '"')
            tag = tag[:start] + (value if quoted else f'"{value}"') + tag[end:]
            present = attributes(tag)
        else:
            end = len(tag) - (2 if tag.endswith("/>") else 1)
            tag = f'{tag[:end]} {name}="{value}"{tag[end:]}'
            present = attributes(tag)
    return target.start, target.inner_start, tag
