"""The XLIFF 2 inline-code rules the schemas cannot express, checked in Python.

The XSD checks structure only; the OASIS Schematron that states the rest needs XSLT 2, which
lxml cannot run. These are the Schematron's inline-code rules (and the id rules they rest
on), applied unit by unit, with sources and targets each read as one sequence in document
order as the Schematron does: original data resolves and is unique; ids are unique in the
unit and a target repeats only its own source's; ``<sc>``/``<ec>`` pair up (or are isolated,
with ``id`` not ``startRef`` on an ``<ec>``) with the same editing hints; markers pair;
``<cp>`` holds only what XML cannot; ``subType``, ``copyOf``, ``canDelete`` and
``canReorder`` are used as the spec says. Every XLIFF 2 file the pipeline writes passes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from pipeline.formats.xliff_markup import NOT_XML, XLIFF_NS, x

_CODES = frozenset(x(name) for name in ("pc", "sc", "ec", "ph"))
#: Editing hints an ``<sc>`` and its ``<ec>`` must share (all default to ``yes``).
_HINTS = ("canCopy", "canDelete", "canOverlap", "canReorder")
#: The ``xlf:`` subTypes and the type each needs.
_SUBTYPES = {"xlf:lb": "fmt", "xlf:pb": "fmt", "xlf:b": "fmt", "xlf:i": "fmt", "xlf:u": "fmt",
             "xlf:var": "ui"}
_DATA_REFS = ("dataRef", "dataRefStart", "dataRefEnd")


@dataclass(frozen=True)
class CodeProblem:
    """One broken rule: the file, the line of the element at fault, what is wrong, and the
    segment (else the unit) it is in."""

    file: str
    line: int
    message: str
    id: str = ""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


def check_inline_codes(document: etree._ElementTree | etree._Element,
                       file: str | Path = "") -> list[CodeProblem]:
    """Every inline-code problem of a parsed XLIFF 2 document, unit by unit (empty: none)."""
    root = document.getroot() if isinstance(document, etree._ElementTree) else document
    problems: list[CodeProblem] = []
    for unit in root.iter(x("unit")):
        problems += (CodeProblem(str(file), element.sourceline or 0, message, _where(element))
                     for element, message in _unit(unit))
    return problems


def _where(element: etree._Element) -> str:
    """The id of the segment the element is in (or is), else of its unit."""
    for holder in (element, *element.iterancestors()):
        if holder.tag == x("segment") and holder.get("id") or holder.tag == x("unit"):
            return holder.get("id", "")
    return ""


Found = Iterator[tuple[etree._Element, str]]


def _unit(unit: etree._Element) -> Found:
    parts = [p for p in unit if p.tag in (x("segment"), x("ignorable"))]
    sources = [s for p in parts if (s := p.find(x("source"))) is not None]
    targets = [t for p in parts if (t := p.find(x("target"))) is not None]
    yield from _data(unit, sources + targets)
    for cp in unit.iter(x("cp")):
        yield from _code_point(cp)
    yield from _ids(parts)
    for sides, name in ((sources, "sources"), (targets, "targets")):
        yield from _pairs(sides, "sc", "ec", name)
        yield from _pairs(sides, "sm", "em", name)
        yield from _reorder_sequence(sides)
    yield from _kept_in_target(parts, targets)
    yield from _reorder_kept(parts)
    for side in sources + targets:
        for element in _inline(side):
            yield from _attributes(element, unit)


def _inline(side: etree._Element, tags: Iterable[str] | None = None) -> list[etree._Element]:
    """The core-namespace elements inside a ``<source>`` or ``<target>``, in document order."""
    return [e for e in side.iterdescendants(*(tags or ())) if isinstance(e.tag, str)
            and e.tag.startswith(f"{{{XLIFF_NS}}}")]


def _data(unit: etree._Element, sides: list[etree._Element]) -> Found:
    """``<data>`` ids unique; every ``dataRef*`` names one; ``dataRefStart``/``End`` together."""
    data = list(unit.iterfind(f"{x('originalData')}/{x('data')}"))
    counts = Counter(d.get("id") for d in data)
    for element in data:
        if counts[element.get("id")] > 1:
            yield element, f"<data id={element.get('id')!r}> is not unique in the unit"
    known = set(counts)
    for element in (e for side in sides for e in _inline(side)):
        for name in _DATA_REFS:
            ref = element.get(name)
            if ref is not None and ref not in known:
                yield element, f"{name}={ref!r} names no <data> in the unit's <originalData>"
        if element.tag == x("pc") and (element.get("dataRefStart") is None) != (
                element.get("dataRefEnd") is None):
            yield element, "<pc> has one of dataRefStart and dataRefEnd without the other"


def _code_point(element: etree._Element) -> Found:
    value = element.get("hex", "")
    try:
        char = chr(int(value, 16))
    except (ValueError, OverflowError):
        yield element, f"<cp hex={value!r}> is no code point"
        return
    if not NOT_XML.fullmatch(char):
        yield element, f"<cp hex={value!r}> stands for a character XML can hold (write it)"


def _ids(parts: list[etree._Element]) -> Found:
    """Ids unique among the unit's segments, ignorables and source inline elements; a target
    element's id is unique in the unit or repeats that of its counterpart, the element of
    the same name in its own source."""
    sources = [p for p in parts if p.get("id") is not None]
    sources += [e for p in parts for e in _with_id(p, "source")]
    seen: set[str] = set()
    for element in sources:
        if element.get("id", "") in seen:
            yield element, (f"id {element.get('id')!r} is used twice among the unit's segments,"
                            " ignorables and source codes")
        seen.add(element.get("id", ""))
    counts = Counter(e.get("id", "") for e in sources)
    counts.update(e.get("id", "") for p in parts for e in _with_id(p, "target"))
    for part in parts:
        source = part.find(x("source"))
        for element in _with_id(part, "target"):
            ident = element.get("id", "")
            own = [] if source is None else [e for e in _inline(source, [str(element.tag)])
                                             if e.get("id") == ident]
            if counts[ident] > 1 and (counts[ident] != 2 or len(own) != 1):
                yield element, (f"target <{_name(element)} id={ident!r}> repeats an id that is "
                                f"not its own source's <{_name(element)}>")


def _with_id(part: etree._Element, side: str) -> list[etree._Element]:
    """The inline elements with an id in a segment's or ignorable's source (or target)."""
    element = part.find(x(side))
    return [] if element is None else [e for e in _inline(element) if e.get("id") is not None]


def _pairs(sides: list[etree._Element], start: str, end: str, name: str) -> Found:
    """Each non-isolated start has exactly one end after it (``startRef``), each end one
    non-isolated start before it; an isolated start has none; an ``<ec>`` uses ``id`` when
    isolated, ``startRef`` when not (and ``dir`` only when isolated); the editing hints of a
    pair agree."""
    codes = [e for side in sides for e in _inline(side, [x(start), x(end)])]
    starts: dict[str, list[int]] = defaultdict(list)
    ends: dict[str, list[int]] = defaultdict(list)
    for at, element in enumerate(codes):
        if element.tag == x(start) and element.get("isolated") != "yes":
            starts[element.get("id", "")].append(at)
        elif element.tag == x(end) and element.get("startRef") is not None:
            ends[element.get("startRef", "")].append(at)
    for at, element in enumerate(codes):
        isolated = element.get("isolated") == "yes"
        if element.tag == x(start):
            ident = element.get("id", "")
            after = [codes[n] for n in ends.get(ident, ()) if n > at]
            if isolated and ends.get(ident):
                yield element, (f"<{start} id={ident!r} isolated=\"yes\"> has an <{end}> in "
                                f"the unit's {name}")
            elif not isolated and len(after) != 1:
                yield element, (f"<{start} id={ident!r}> needs exactly one <{end} "
                                f"startRef={ident!r}> after it in the unit's {name} "
                                f"(found {len(after)}; else it is isolated)")
            elif not isolated and start == "sc":
                yield from _same_hints(element, after[0])
            continue
        ref = element.get("startRef")
        if end == "ec" and (isolated == (ref is not None) or isolated != (element.get("id")
                                                                             is not None)):
            yield element, ("an isolated <ec> has id and no startRef, a paired one startRef and "
                            "no id")
        if end == "ec" and not isolated and element.get("dir") is not None:
            yield element, "dir is allowed on an isolated <ec> only"
        if ref is not None and not isolated and \
                sum(n < at for n in starts.get(ref, ())) != 1:
            yield element, (f"<{end} startRef={ref!r}> has no <{start} id={ref!r}> before it in "
                            f"the unit's {name}")


def _same_hints(start: etree._Element, end: etree._Element) -> Found:
    """The ``<ec>`` has its ``<sc>``'s hints (``canReorder="firstNo"`` ends with ``no``)."""
    for hint in _HINTS:
        first, last = start.get(hint, "yes"), end.get(hint, "yes")
        expected = "no" if first == "firstNo" else first
        if last != expected:
            yield end, f"{hint}={last!r} where its <sc> has {first!r} (the <ec> needs {expected!r})"


def _attributes(element: etree._Element, unit: etree._Element) -> Found:
    """subType with its type; copyOf names a code of the unit without original data that may
    be copied; a code that may not be reordered may not be copied or deleted either."""
    sub = element.get("subType")
    if sub is not None and element.get("type") is None:
        yield element, "subType without type"
    elif sub in _SUBTYPES and element.get("type") != _SUBTYPES[sub]:
        yield element, f"subType {sub!r} needs type {_SUBTYPES[sub]!r}"
    copy = element.get("copyOf")
    if copy is not None:
        if any(element.get(name) is not None for name in _DATA_REFS):
            yield element, "a copy (copyOf) has no original data of its own"
        base = [e for e in unit.iter(*_CODES) if e.get("id") == copy
                and e.getparent() is not None and _in_content(e)]
        if not base:
            yield element, f"copyOf={copy!r} names no code of the unit"
        elif any(any(b.get(name) is not None for name in _DATA_REFS) for b in base):
            yield element, f"copyOf={copy!r} names a code with original data"
        elif any(b.get("canCopy") == "no" for b in base):
            yield element, f"copyOf={copy!r} names a code that may not be copied"
    if element.get("canReorder") in ("no", "firstNo") and not (
            element.get("canCopy") == "no" and element.get("canDelete") == "no"):
        yield element, "canReorder 'no' or 'firstNo' needs canCopy and canDelete 'no'"


def _in_content(element: etree._Element) -> bool:
    return any(a.tag in (x("segment"), x("ignorable")) for a in element.iterancestors())


def _kept_in_target(parts: list[etree._Element], targets: list[etree._Element]) -> Found:
    """A code with canDelete="no" in a segment that has a target is in the unit's targets."""
    kept = {_key(e) for target in targets for e in _inline(target, _CODES)}
    for part in parts:
        source = part.find(x("source"))
        if part.tag != x("segment") or part.find(x("target")) is None or source is None:
            continue
        for element in _inline(source, _CODES):
            if element.get("canDelete") == "no" and _key(element) not in kept:
                yield element, (f"<{_name(element)}> with canDelete=\"no\" is missing from the "
                                "targets")


def _reorder_kept(parts: list[etree._Element]) -> Found:
    """A code that may not be reordered has, in the target, the neighbour it has in the source
    (the code before it, or the ``<pc>`` it is first in)."""
    for part in parts:
        source, target = part.find(x("source")), part.find(x("target"))
        if source is None or target is None:
            continue
        in_target = {_key(e): e for e in _inline(target, _CODES)}
        for element in _inline(source, _CODES):
            if element.get("canReorder") == "no" and _key(element) in in_target and \
                    _before(element) != _before(in_target[_key(element)]):
                yield in_target[_key(element)], ("a code that may not be reordered is not where "
                                                 "its source has it")


def _reorder_sequence(sides: list[etree._Element]) -> Found:
    """A code with canReorder="no" continues a sequence: a ``firstNo`` code comes before it,
    and the code just before it (or the ``<pc>`` it opens) is ``no`` or ``firstNo`` too."""
    seen_first = False
    for side in sides:
        for element in _inline(side, _CODES):
            hint = element.get("canReorder")
            if hint == "firstNo":
                seen_first = True
            if hint != "no":
                continue
            before = _before_element(element)
            if not seen_first or before is not None and before.get("canReorder") not in (
                    "no", "firstNo"):
                yield element, ("canReorder=\"no\" outside a sequence opened by "
                                "canReorder=\"firstNo\"")


def _before_element(element: etree._Element) -> etree._Element | None:
    """The code just before an element in its parent, else the ``<pc>`` it is first in."""
    sibling = element.getprevious()
    while sibling is not None and sibling.tag not in _CODES:
        sibling = sibling.getprevious()
    if sibling is not None:
        return sibling
    parent = element.getparent()
    return parent if parent is not None and parent.tag == x("pc") else None


def _before(element: etree._Element) -> tuple[str, tuple[str, str]] | None:
    """Where a code sits, as source and target must agree for a non-reorderable one."""
    before = _before_element(element)
    if before is None:
        return None
    return ("in" if before is element.getparent() else "after"), _key(before)


def _key(element: etree._Element) -> tuple[str, str]:
    """What a code is across source and target: its name and id (a paired ``<ec>``: its
    ``startRef``)."""
    ident = element.get("id") if element.get("id") is not None else element.get("startRef")
    return _name(element), ident or ""


def _name(element: etree._Element) -> str:
    return etree.QName(element).localname
