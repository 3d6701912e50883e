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
from collections.abc import Sequence

from pipeline.ingest.inline import TAG
from pipeline.model import languages
from pipeline.model.document import Document, Translation

_RTL = frozenset({"ar", "he", "fa", "ur", "yi", "ps", "dv"})
_HTML_TAG = re.compile(r"<html\b[^>]*>", re.IGNORECASE)
_FIRST_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)\b[^>]*>")
_BARE_AMP = re.compile(r"&(?!lt;|gt;)")


def render_html(document: Document, translations: Sequence[Translation], lang: str) -> bytes:
    """The source HTML with the translations spliced in, in the source's encoding."""
    source = document.original
    if source is None:
        raise ValueError(f"{document.path}: not read from HTML, nothing to splice into")
    by_block: dict[int, list[Translation]] = defaultdict(list)
    for translation in translations:
        by_block[translation.segment.block].append(translation)
    edits = []
    for block in document.blocks:
        found = by_block.get(block.index)
        if block.origin is None or not found:
            continue
        text = _joined(document, found)
        allowed = {code.data for t in found for code in t.segment.codes}
        if block.origin.attribute:
            quoted = source[block.origin.start - 1:block.origin.start] in ("'", '"')
            value = html.escape(_plain(text), quote=True)
            edits.append((block.origin.start, block.origin.end,
                          value if quoted else f'"{value}"'))
        else:
            edits.append((block.origin.start, block.origin.end, _markup(text, allowed)))
    pieces, position = [], 0
    for start, end, replacement in sorted(edits):
        pieces += [source[position:start], replacement]
        position = end
    pieces.append(source[position:])
    out = _with_lang("".join(pieces), lang)
    encoding = "utf-8" if document.encoding.startswith("utf-8") else document.encoding
    data = out.encode(encoding, errors="xmlcharrefreplace")
    return (b"\xef\xbb\xbf" + data) if document.encoding == "utf-8-sig" else data


def _joined(document: Document, found: Sequence[Translation]) -> str:
    """A block's targets joined with the white space that stood between its sentences."""
    parts: list[str] = []
    for index, translation in enumerate(found):
        if index:
            gap = document.text[found[index - 1].segment.end:translation.segment.start]
            parts.append(" " if gap and not gap.strip() else gap or " ")
        parts.append(translation.target)
    return "".join(parts)


def _markup(text: str, allowed: set[str]) -> str:
    """A target as HTML: its own tags as written, text escaped (``<``/``>`` arrive as
    ``&lt;``/``&gt;``); a tag the source did not have becomes text."""
    pieces, position = [], 0
    for tag in TAG.finditer(text):
        pieces.append(_BARE_AMP.sub("&amp;", text[position:tag.start()]))
        pieces.append(tag.group() if tag.group() in allowed else html.escape(tag.group()))
        position = tag.end()
    pieces.append(_BARE_AMP.sub("&amp;", text[position:]))
    return "".join(pieces)


def _plain(text: str) -> str:
    """An attribute's text: no tags, ``&lt;``/``&gt;`` as the characters."""
    return TAG.sub("", text).replace("&lt;", "<").replace("&gt;", ">")


def _with_lang(page: str, lang: str) -> str:
    """``lang`` (and ``dir`` for a right-to-left language) on ``<html>``, else on the
    fragment's first element."""
    found = _HTML_TAG.search(page) or _FIRST_TAG.search(page)
    if found is None:
        return page
    tag = found.group()
    wanted = {"lang": languages.bcp47(lang)}
    if lang.split("-")[0] in _RTL:
        wanted["dir"] = "rtl"
    for name, value in wanted.items():
        pattern = re.compile(rf"""(\s){name}\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)
        if found_attr := pattern.search(tag):
            tag = f'{tag[:found_attr.start()]}{found_attr.group(1)}{name}="{value}"' \
                  f'{tag[found_attr.end():]}'
        else:
            end = len(tag) - (2 if tag.endswith("/>") else 1)
            tag = f'{tag[:end]} {name}="{value}"{tag[end:]}'
    return page[:found.start()] + tag + page[found.end():]

