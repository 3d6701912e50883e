"""XLIFF 1.2 beside 2.1, for translate-toolkit and the CAT tools that read only 1.2: one
``<file>`` per article, one ``<group>`` per block, one ``<trans-unit>`` per sentence (its id
the segment id), written and read here.

Statuses follow the one table in :mod:`pipeline.model.status`: a ``<target>`` state and
state-qualifier (machine output ``needs-review-translation`` + ``mt-suggestion``, so a
harvest never takes it for a person's), ``approved="yes"`` where the PO is not fuzzy.
Notes say ``from="pipeline"`` (note lines, as everywhere), ``"context"`` (the block),
``"glossary"`` (term-base hits), ``"reviewer"`` (a reviewer's comment); memory matches are
``<alt-trans>``. Inline markup is written as codes after the same layout as 2.1
(pipeline.formats.inline_layout), the markup as their content: ``<bpt>``/``<ept>`` for a
pair, ``<ph>`` for a code alone, ``<it pos="open|close">`` for one whose partner is in
another sentence (a ``<trans-unit>`` is one sentence). 1.2 has no ``<cp>``: a character XML
1.0 cannot hold is written ``<ph ctype="x-pipeline-char">U+0001</ph>`` and read back (markup
holding one stays text).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from pipeline.formats.inline_layout import Form, Laid, lay_out
from pipeline.formats.notes import render_notes
from pipeline.formats.xliff_markup import (
    MATCH_TYPES,
    NOT_XML,
    XML_NS,
    GlossTerm,
    Match,
    add_text,
    clean,
    indent,
    similarity,
)
from pipeline.infra.files import LIMITS, read_input
from pipeline.infra.xmlsafe import parse_bytes
from pipeline.model import languages
from pipeline.model.document import Block, BlockKind, Document, Translation
from pipeline.model.errors import InputError
from pipeline.model.status import (
    XLIFF12_STATES,
    Status,
    as_written12,
    from_xliff12,
    xliff12_mark,
)
from pipeline.mt.engine import TEST_WARNING, made_by_test_models

XLIFF12_NS = "urn:oasis:names:tc:xliff:document:1.2"
VERSION = "1.2"
#: ``<header><note from=…>`` naming the render (see pipeline.store.harvest).
RENDER_NOTE = "pipeline-render"
#: Who a note is ``from``: the pipeline's lines, and a reviewer's comment (what tools built
#: on translate-toolkit write for a person's note, ``translator``, and any other, is too).
PIPELINE, REVIEWER = "pipeline", "reviewer"
#: Notes this program writes but a comment; any other (no ``from``, a tool's) is a person's
#: and read as part of the comment, so it is never dropped.
_OURS = frozenset({PIPELINE, "context", "glossary"})
#: ``ctype`` of the ``<ph>`` that stands for a character XML 1.0 cannot hold.
CHAR_CTYPE = "x-pipeline-char"
DATATYPES = {"text": "plaintext", "markdown": "x-markdown", "html": "html"}
_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
_CHAR = re.compile(r"U\+([0-9A-F]{4,6})")
_CONTAINERS = frozenset(f"{{{XLIFF12_NS}}}{name}" for name in (
    "xliff", "file", "header", "body", "group", "trans-unit", "alt-trans"))
#: Inline elements whose content is the native code (the markup): read as it is.
_NATIVE = frozenset(f"{{{XLIFF12_NS}}}{name}" for name in ("bpt", "ept", "ph", "it"))
#: Inline elements that stand for code they do not hold: dropped on reading (``<g>`` and
#: ``<mrk>`` keep their text).
_EMPTY = frozenset(f"{{{XLIFF12_NS}}}{name}" for name in ("x", "bx", "ex"))


def q(name: str) -> str:
    """``name`` in the XLIFF 1.2 namespace."""
    return f"{{{XLIFF12_NS}}}{name}"


@dataclass(frozen=True)
class Xliff12Entry:
    """One ``<trans-unit>`` as read: ``target`` None without a ``<target>``; ``state`` is
    the target's (``new`` when it says none); codes dropped, ``x-pipeline-char`` decoded."""

    unit_id: str
    group_id: str | None
    source: str
    target: str | None
    state: str = "new"
    qualifier: str | None = None
    approved: bool = False
    #: the pipeline's note lines, and a reviewer's comment (empty: none)
    notes: tuple[str, ...] = ()
    comment: str = ""
    line: int = 0

    @property
    def signed_off(self) -> Status | None:
        """REVIEWED or FINAL when a person signed the target off (see model.status)."""
        return from_xliff12(self.state, self.approved) if self.target is not None else None

    @property
    def mark(self) -> str:
        """State and approval in one string (pipeline.model.status.xliff12_mark)."""
        return xliff12_mark(self.state, self.approved)

    @property
    def written(self) -> Status | None:
        """The status we wrote, while state, qualifier and approval are still ours."""
        return as_written12(self.state, self.qualifier, self.approved)


@dataclass(frozen=True)
class Xliff12File:
    """A whole 1.2 file: its first ``<file>``'s languages, the render it names, the units."""

    src_lang: str | None
    trg_lang: str | None
    line: int
    entries: list[Xliff12Entry]
    render: str | None = None


def render_xliff12(
    document: Document, translations: Sequence[Translation], lang: str, *,
    terms: Mapping[str, Iterable[tuple]] | None = None,
    matches: Mapping[str, Iterable[tuple]] | None = None,
    render: str | None = None, comments: Mapping[str, str] | None = None,
) -> bytes:
    """The XLIFF 1.2 document as UTF-8 bytes (same input, same bytes); the arguments are
    ``render_xliff``'s (pipeline.formats.xliff)."""
    if not translations:
        raise ValueError(f"{document.path}: no segments to write")
    root = etree.Element(q("xliff"), nsmap={None: XLIFF12_NS})
    root.set("version", VERSION)
    file_el = etree.SubElement(root, q("file"), original=clean(document.path.name))
    file_el.set("source-language", languages.bcp47(document.language))
    file_el.set("target-language", languages.bcp47(lang))
    file_el.set("datatype", DATATYPES.get(document.format, "plaintext"))
    test_models = any(made_by_test_models(t.engine) for t in translations)
    if render is not None or test_models:
        header = etree.SubElement(file_el, q("header"))
        if render is not None:  # which render this is, so edits are told from stale text
            _note(header, RENDER_NOTE, render)
        if test_models:
            _note(header, PIPELINE, TEST_WARNING)
    body = etree.SubElement(file_el, q("body"))
    blocks = {block.index: block for block in document.blocks}
    groups: dict[int, list[Translation]] = {}
    for translation in translations:
        groups.setdefault(translation.segment.block, []).append(translation)
    for index, group in groups.items():
        element = _group(body, blocks[index])
        for translation in group:
            sid = translation.segment.id
            _unit(element, translation, list(terms.get(sid, ())) if terms else [],
                  list(matches.get(sid, ())) if matches else [], (comments or {}).get(sid))
    indent(root, containers=_CONTAINERS)
    return _DECLARATION + etree.tostring(root, encoding="UTF-8") + b"\n"


def _group(body: etree._Element, block: Block) -> etree._Element:
    """``<group id="b<k>" resname=<kind>>`` with the block's context notes."""
    group = etree.SubElement(body, q("group"), id=f"b{block.index}", resname=block.kind.value)
    kind = block.kind.value
    if block.kind is BlockKind.HEADING and block.level:
        kind += f" (level {block.level})"
    _note(group, "context", f"{kind}, block {block.index + 1}, line {block.line}")
    if block.attribution is not None:
        by = block.attribution
        _note(group, "context", f"tweet by {by.author} ({by.handle})")
        line = f"{by.dash} {by.author} ({by.handle}) {by.date_text}".strip()
        _note(group, "context", f"attribution (not translated): {line}")
    return group


def _unit(group: etree._Element, translation: Translation, terms: list[tuple],
          matches: list[tuple], comment: str | None) -> None:
    """``<trans-unit>``: source, target (state, qualifier), notes, then memory matches."""
    form = translation.status.form
    unit = etree.SubElement(group, q("trans-unit"), id=translation.segment.id)
    if form.approved:
        unit.set("approved", "yes")
    unit.set(f"{{{XML_NS}}}space", "preserve")
    [(source, laid)] = lay_out([translation], lambda data: not NOT_XML.search(data))
    inline(etree.SubElement(unit, q("source")), source)
    target = etree.SubElement(unit, q("target"), state=form.xliff12_state)
    target.set("state-qualifier", form.xliff12_qualifier)
    inline(target, laid)
    for text in render_notes(translation):
        _note(unit, PIPELINE, text, "target")
    for term in dict.fromkeys(GlossTerm(*item) for item in terms):
        line = f"{term.source} → {term.target}"
        line += f" ({term.definition})" if term.definition else ""
        line += f" [{term.origin}]" if term.origin else ""
        _note(unit, "glossary", line, "source")
    if comment:
        _note(unit, REVIEWER, comment, "target")
    for item in matches:
        match = Match(*item)
        if match.type not in MATCH_TYPES:
            raise ValueError(f"match type {match.type!r} is not one of {MATCH_TYPES}")
        alt = etree.SubElement(unit, q("alt-trans"), {"match-quality": similarity(
            match.similarity), "origin": clean(match.origin or match.type)})
        inline(etree.SubElement(alt, q("source")), Laid(match.source, ()))
        inline(etree.SubElement(alt, q("target")), Laid(match.target, ()))


def _note(parent: etree._Element, author: str, text: str, annotates: str | None = None
          ) -> None:
    note = etree.SubElement(parent, q("note"), {"from": author})
    if annotates is not None:
        note.set("annotates", annotates)
    note.text = clean(text)


def inline(element: etree._Element, laid: Laid) -> None:
    """Fill ``element`` with the text and its codes (the markup their content, the ids the
    layout's); a character XML cannot hold becomes ``<ph ctype="x-pipeline-char">U+XXXX</ph>``
    (numbered ``c1``, ``c2``… within the element)."""
    element.text = ""
    chars = itertools.count(1)
    at = 0
    for placed in laid.codes:
        _text_into(element, laid.text[at:placed.code.start], chars)
        at = placed.code.end
        code = etree.SubElement(element, q(_ELEMENT[placed.form, placed.isolated]),
                                id=placed.ref)
        if placed.isolated:
            code.set("pos", "open" if placed.form is Form.START else "close")
        code.text = placed.code.data
    _text_into(element, laid.text[at:], chars)


#: The 1.2 element of each form (and isolation) of the layout.
_ELEMENT = {(Form.OPEN, False): "bpt", (Form.START, False): "bpt", (Form.CLOSE, False): "ept",
            (Form.END, False): "ept", (Form.ALONE, False): "ph", (Form.START, True): "it",
            (Form.END, True): "it"}


def _text_into(element: etree._Element, text: str, chars: Iterator[int]) -> None:
    """Add ``text`` after the element's content, characters XML cannot hold as placeholders."""
    parts = NOT_XML.split(text)
    add_text(element, parts[0])
    for char, tail in zip(parts[1::2], parts[2::2], strict=True):
        ph = etree.SubElement(element, q("ph"), id=f"c{next(chars)}", ctype=CHAR_CTYPE)
        ph.text = f"U+{ord(char):04X}"
        add_text(element, tail)


# -- reading -------------------------------------------------------------------------------


def read_xliff12_file(path: Path, limit: int = LIMITS["bilingual"]) -> Xliff12File:
    """Every ``<trans-unit>`` of an XLIFF 1.2 file, in document order, from one parse with
    the hardened parser; InputError (file and line) for what is not 1.2 or is damaged."""
    return xliff12_from_bytes(read_input(Path(path), "an XLIFF 1.2 file", limit), path)


def is_xliff12(path: Path) -> bool:
    """The file looks like XLIFF 1.2 (its namespace in the first 4 KB), so readers that take
    an ``.xlf`` of either version pick the right one (a missing file: False)."""
    try:
        with open(path, "rb") as handle:
            return XLIFF12_NS.encode() in handle.read(4096)
    except OSError:
        return False


def xliff12_from_bytes(data: bytes, path: Path) -> Xliff12File:
    """The XLIFF 1.2 file in ``data`` (read from ``path``)."""
    root = parse_bytes(data, path=path).getroot()
    if root.tag != q("xliff"):
        raise InputError(f"not an XLIFF 1.2 file (root element {str(root.tag)!r})",
                         path=path, line=root.sourceline)
    entries: list[Xliff12Entry] = []
    for file_el in root.iterfind(q("file")):
        for unit in file_el.iter(q("trans-unit")):
            entries.append(_entry(path, unit))
    first = root.find(q("file"))
    src = first.get("source-language") if first is not None else None
    trg = first.get("target-language") if first is not None else None
    render = root.find(f"{q('file')}/{q('header')}/{q('note')}[@from='{RENDER_NOTE}']")
    return Xliff12File(src, trg, root.sourceline or 0, entries,
                       render.text if render is not None else None)


def _entry(path: Path, unit: etree._Element) -> Xliff12Entry:
    source = unit.find(q("source"))
    if source is None:
        raise InputError("trans-unit without <source>", path=path, line=unit.sourceline)
    target = unit.find(q("target"))
    state = target.get("state", "new") if target is not None else "new"
    if state not in XLIFF12_STATES and not state.startswith("x-"):
        raise InputError(f"unknown target state {state!r} (use one of "
                         f"{', '.join(XLIFF12_STATES)})", path=path,
                         line=(target if target is not None else unit).sourceline)
    notes = [(note.get("from", ""), note.text or "") for note in unit.iterfind(q("note"))]
    parent = unit.getparent()
    return Xliff12Entry(
        unit_id=unit.get("id", ""),
        group_id=parent.get("id") if parent is not None and parent.tag == q("group") else None,
        source=_text(source, path), target=None if target is None else _text(target, path),
        state=state, qualifier=target.get("state-qualifier") if target is not None else None,
        approved=unit.get("approved") == "yes",
        notes=tuple(text for author, text in notes if author == PIPELINE),
        comment="\n".join(text for author, text in notes if author not in _OURS),
        line=(unit if target is None else target).sourceline or 0,
    )


def _text(element: etree._Element, path: Path) -> str:
    """The text of inline content: our character ``<ph>`` decoded, a ``<bpt>``/``<ept>``/
    ``<ph>``/``<it>`` as the markup it holds, ``<x>``/``<bx>``/``<ex>`` dropped, ``<g>``/
    ``<mrk>`` as their text."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == q("ph") and child.get("ctype") == CHAR_CTYPE:
            parts.append(_char(child, path))
        elif child.tag in _NATIVE:
            parts.append("".join(child.itertext()))
        elif isinstance(child.tag, str) and child.tag not in _EMPTY:
            parts.append(_text(child, path))
        parts.append(child.tail or "")
    return "".join(parts)


def _char(element: etree._Element, path: Path) -> str:
    """The character an ``x-pipeline-char`` stands for; a surrogate (never a character on
    its own) or a number out of range is an error, as ``<cp>`` in 2.1."""
    found = _CHAR.fullmatch((element.text or "").strip())
    number = int(found[1], 16) if found else -1
    if not 0 <= number <= 0x10FFFF or 0xD800 <= number <= 0xDFFF:
        raise InputError(f"bad <ph ctype={CHAR_CTYPE!r}>: {element.text!r}", path=path,
                         line=element.sourceline)
    return chr(number)
