"""Inline codes in XLIFF 2.1: a unit's markup in ``<originalData>``, the sentences' codes as
``<pc>``, ``<ph>``, ``<sc>``/``<ec>`` pointing at it (layout: pipeline.formats.inline_layout),
and the way back, so a segment read from the file is the text the PO holds.

A CAT tool protects and moves the codes; the markup itself never passes through a
translator's hands. Reading turns every code back into its ``<data>``; a code without data
(a tool's own ``<pc>``, ``<ph>`` or a marker) gives its content only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from lxml import etree

from pipeline.formats.inline_layout import Form, Laid
from pipeline.formats.xliff_markup import append_text, inline, x
from pipeline.model.errors import InputError

#: Elements that stand for a code or a marker, not text: their ``dataRef`` (if any) is read.
_EMPTY = frozenset(x(name) for name in ("ph", "sc", "ec"))
_MARKERS = frozenset(x(name) for name in ("sm", "em"))


def original_data(unit: etree._Element, laid: Sequence[tuple[Laid, Laid]]) -> dict[str, str]:
    """``<originalData>`` with one ``<data id="d<k>">`` per distinct markup in the unit (none
    without codes); markup → data id."""
    ids: dict[str, str] = {}
    for pair in laid:
        for side in pair:
            for placed in side.codes:
                ids.setdefault(placed.code.data, f"d{len(ids) + 1}")
    if ids:
        container = etree.SubElement(unit, x("originalData"))
        for data, ident in ids.items():
            inline(etree.SubElement(container, x("data"), id=ident), data)
    return ids


def write_inline(element: etree._Element, laid: Laid, data_ids: Mapping[str, str]) -> None:
    """Fill ``element`` (a ``<source>`` or ``<target>``) with the text and its codes."""
    element.text = ""
    parents = [element]
    at = 0
    for placed in laid.codes:
        append_text(parents[-1], laid.text[at:placed.code.start])
        at = placed.code.end
        ref = data_ids[placed.code.data]
        form = placed.form
        if form is Form.OPEN:
            parents.append(etree.SubElement(parents[-1], x("pc"), {
                "id": placed.ref, "dataRefStart": ref}))
        elif form is Form.CLOSE:
            parents.pop().set("dataRefEnd", ref)
        elif form is Form.ALONE:
            etree.SubElement(parents[-1], x("ph"), {"id": placed.ref, "dataRef": ref})
        elif form is Form.END and not placed.isolated:
            etree.SubElement(parents[-1], x("ec"), {"startRef": placed.ref, "dataRef": ref})
        else:
            code = etree.SubElement(parents[-1], x("sc" if form is Form.START else "ec"), {
                "id": placed.ref, "dataRef": ref})
            if placed.isolated:
                code.set("isolated", "yes")
    append_text(element, laid.text[at:])


def unit_data(unit: etree._Element, path: Path) -> dict[str, str]:
    """The unit's ``<data>`` texts by id (``<cp>`` decoded)."""
    return {data.get("id", ""): inline_text(data, {}, path)
            for data in unit.iterfind(f"{x('originalData')}/{x('data')}")}


def inline_text(element: etree._Element, data: Mapping[str, str], path: Path) -> str:
    """The text of inline content with every code as its original data: ``<cp>`` decoded,
    ``<pc>``/``<mrk>`` content kept, markers and codes without data dropped. A reference to
    data the unit does not have is an InputError."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == x("cp"):
            parts.append(code_point(child, path))
        elif child.tag == x("pc"):
            parts += [_data(child, "dataRefStart", data, path), inline_text(child, data, path),
                      _data(child, "dataRefEnd", data, path)]
        elif child.tag in _EMPTY:
            parts.append(_data(child, "dataRef", data, path))
        elif isinstance(child.tag, str) and child.tag not in _MARKERS:
            parts.append(inline_text(child, data, path))
        parts.append(child.tail or "")
    return "".join(parts)


def _data(element: etree._Element, attribute: str, data: Mapping[str, str], path: Path) -> str:
    ref = element.get(attribute)
    if ref is None:
        return ""
    if ref not in data:
        raise InputError(f"{attribute}={ref!r} names no <data> of the unit", path=path,
                         line=element.sourceline)
    return data[ref]


def code_point(element: etree._Element, path: Path) -> str:
    """The character a ``<cp>`` stands for; a surrogate (half of a UTF-16 pair, never a
    character on its own) is as bad as a hex number that is no character at all."""
    try:
        char = chr(int(element.get("hex", ""), 16))
        if 0xD800 <= ord(char) <= 0xDFFF:
            raise ValueError("a lone surrogate")
        return char
    except (ValueError, OverflowError):
        raise InputError(f"bad <cp hex={element.get('hex')!r}>", path=path,
                         line=element.sourceline) from None
