"""The XML building blocks of the pipeline's XLIFF 2.1 files: namespaces, inline text (with
``<cp>`` for characters XML cannot hold), indentation that never touches content, and the
optional Glossary (``gls:``) and Translation Candidates (``mtc:``) modules, which carry
term-base hits and translation-memory matches per segment and point at it with ``#id``.
The document itself is written and read in :mod:`pipeline.formats.xliff`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from lxml import etree

from pipeline.model.document import Translation

XLIFF_NS = "urn:oasis:names:tc:xliff:document:2.0"
GLS_NS = "urn:oasis:names:tc:xliff:glossary:2.0"
MTC_NS = "urn:oasis:names:tc:xliff:matches:2.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
MATCH_TYPES = ("am", "mt", "icm", "idm", "tb", "tm", "other")

#: Characters XML 1.0 cannot hold: in source/target they become ``<cp hex=…/>`` (XLIFF 1.2:
#: see pipeline.formats.xliff12).
NOT_XML = re.compile("([^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff])")
#: Elements whose content is only elements, so indentation may go inside them.
_CONTAINERS = frozenset(
    f"{{{ns}}}{name}" for ns, names in (
        (XLIFF_NS, ("xliff", "file", "unit", "notes", "originalData", "segment", "ignorable")),
        (GLS_NS, ("glossary", "glossEntry")),
        (MTC_NS, ("matches", "match")),
    ) for name in names
)


class GlossTerm(NamedTuple):
    """A term-base hit for a segment; a plain ``(source, target, definition)`` tuple works too.

    ``origin`` goes into the ``source`` attributes (which term base it came from).
    """

    source: str
    target: str
    definition: str | None = None
    origin: str | None = None


class Match(NamedTuple):
    """A translation candidate; a plain ``(source, target, similarity, origin)`` tuple works."""

    source: str
    target: str
    similarity: float
    origin: str | None = None
    type: str = "tm"



def x(name: str) -> str:
    """``name`` in the XLIFF core namespace."""
    return f"{{{XLIFF_NS}}}{name}"


def glossary(
    unit: etree._Element, group: list[Translation], terms: Mapping[str, Iterable[tuple]]
) -> None:
    """One ``gls:glossary`` per unit; each entry's ``ref`` names its segment."""
    entries = [(t.segment.id, GlossTerm(*item)) for t in group
               for item in terms.get(t.segment.id, ())]
    if not entries:
        return
    glossary = etree.SubElement(unit, f"{{{GLS_NS}}}glossary")
    seen = set()
    for segment_id, term in entries:
        if (segment_id, term) in seen:
            continue
        seen.add((segment_id, term))
        entry = etree.SubElement(glossary, f"{{{GLS_NS}}}glossEntry", ref=f"#{segment_id}")
        _gls_text(entry, "term", term.source, term.origin)
        _gls_text(entry, "translation", term.target, term.origin)
        if term.definition:
            _gls_text(entry, "definition", term.definition, term.origin)


def _gls_text(parent: etree._Element, name: str, text: str, origin: str | None) -> None:
    element = etree.SubElement(parent, f"{{{GLS_NS}}}{name}")
    if origin:
        element.set("source", clean(origin))
    element.text = clean(text)


def matches(
    unit: etree._Element, group: list[Translation], matches: Mapping[str, Iterable[tuple]]
) -> None:
    """One ``mtc:matches`` per unit; ``ref="#<segment id>"`` as the module requires."""
    found = [(t.segment.id, Match(*item)) for t in group for item in matches.get(t.segment.id, ())]
    if not found:
        return
    container = etree.SubElement(unit, f"{{{MTC_NS}}}matches")
    for segment_id, match in found:
        if match.type not in MATCH_TYPES:
            raise ValueError(f"match type {match.type!r} is not one of {MATCH_TYPES}")
        element = etree.SubElement(container, f"{{{MTC_NS}}}match", ref=f"#{segment_id}")
        element.set("similarity", similarity(match.similarity))
        if match.origin:
            element.set("origin", clean(match.origin))
        element.set("type", match.type)
        inline(etree.SubElement(element, x("source")), match.source)
        inline(etree.SubElement(element, x("target")), match.target)


def similarity(value: float) -> str:
    """A decimal in 0–100 written the same way every time (``87.5``, ``100``)."""
    number = float(value)
    if not 0.0 <= number <= 100.0:
        raise ValueError(f"similarity {value!r} is outside 0–100")
    return f"{number:.2f}".rstrip("0").rstrip(".")


def inline(element: etree._Element, text: str) -> None:
    """Set ``text``; characters XML cannot hold become ``<cp hex=…/>``, as XLIFF requires."""
    element.text = ""
    append_text(element, text)


def append_text(element: etree._Element, text: str) -> None:
    """Add ``text`` after the element's content so far (``<cp>`` as in :func:`inline`)."""
    parts = NOT_XML.split(text)
    add_text(element, parts[0])
    for char, tail in zip(parts[1::2], parts[2::2], strict=True):
        etree.SubElement(element, x("cp"), hex=f"{ord(char):04X}")
        add_text(element, tail)


def add_text(element: etree._Element, text: str) -> None:
    """Put ``text`` (taken as it is) after the element's content: the last child's tail, or
    the element's own text when it has no child."""
    if not text:
        return
    if len(element):
        last = element[-1]
        last.tail = (last.tail or "") + text
    else:
        element.text = (element.text or "") + text


def clean(text: str) -> str:
    """Drop characters XML cannot hold where ``<cp>`` is not allowed (notes, attributes)."""
    return NOT_XML.sub("", text)


def indent(element: etree._Element, level: int = 0,
           containers: frozenset[str] = _CONTAINERS) -> None:
    """Indent element-only content (``containers``: the tags that have only elements), never
    touching text-bearing elements (their whitespace is content: pretty_print would add some
    inside a ``<target>`` that holds only a ``<cp>``).
    """
    children = list(element)
    if element.tag not in containers or not children:
        return
    pad = "\n" + "  " * (level + 1)
    element.text = pad
    for child in children:
        child.tail = pad
        indent(child, level + 1, containers)
    children[-1].tail = "\n" + "  " * level

