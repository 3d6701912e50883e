"""XLIFF 2.1 for CAT tools: one ``<file>`` per article, one ``<unit>`` per block, one
``<segment>`` per sentence, and the reader that brings a reviewer's work back.

The structure mirrors the article so a translator sees paragraphs, not loose sentences, and a
tool can merge a unit by joining its segments and ``<ignorable>`` whitespace. Segment ids are
the pipeline's stable ids, so an edited file maps back onto the article even after edits
elsewhere in it. ``state`` and ``subState`` say how far a target got and where it came
from, after the one table in :mod:`pipeline.model.status` (machine output and kept tweets
``initial``, a person's draft or a memory copy ``translated``, a person's sign-off
``reviewed`` or ``final``, kept as the reviewer set it).

Inline markup (a link, emphasis, ``<br>``) is written as codes, ``<pc>``/``<ph>``/``<sc>``/
``<ec>`` with the markup in the unit's ``<originalData>`` (pipeline.formats.xliff_inline).
Optional Glossary (``gls:``) and Translation Candidates (``mtc:``) modules carry term-base
hits and translation-memory matches per segment (as plain text); both point at their segment
with ``#id``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from pipeline.formats.inline_layout import Laid, lay_out
from pipeline.formats.notes import render_notes
from pipeline.formats.xliff_inline import inline_text, original_data, unit_data, write_inline
from pipeline.formats.xliff_markup import (
    GLS_NS,
    MTC_NS,
    XLIFF_NS,
    XML_NS,
    clean,
    glossary,
    indent,
    inline,
    x,
)
from pipeline.formats.xliff_markup import matches as add_matches
from pipeline.infra.atomic import write_bytes
from pipeline.infra.files import LIMITS, read_input
from pipeline.infra.xmlsafe import parse_bytes
from pipeline.model import languages
from pipeline.model.document import Block, BlockKind, Document, Translation
from pipeline.model.errors import InputError
from pipeline.model.status import SUB_STATE_PREFIX, XLIFF_STATES, Status, from_xliff_state
from pipeline.mt.engine import TEST_WARNING, made_by_test_models

VERSION = "2.1"
STATES = XLIFF_STATES
#: The id of the file note that names the render (see pipeline.store.harvest).
RENDER_NOTE = "pipeline-render"
#: How a segment's comment note id ends (after the segment id).
COMMENT_NOTE = ".comment"
_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
#: XLIFF ids are xs:NMTOKEN: name characters only, no spaces.
_NMTOKEN = re.compile(r"[\w.\-:]+")
_NOT_NMTOKEN = re.compile(r"[^\w.\-:]")


@dataclass(frozen=True)
class XliffEntry:
    """One segment as read back: ids to find it in the article, texts, and how far it got.

    ``target`` is None when the segment has no ``<target>``; inline codes turn back into
    their markup (the unit's ``<originalData>``), ``<cp>`` into its character, so the texts
    are the PO's (pipeline.formats.xliff_inline).
    """

    file_id: str
    unit_id: str
    segment_id: str | None
    source: str
    target: str | None
    state: str = "initial"
    sub_state: str | None = None
    trg_lang: str | None = None
    #: the unit's notes that belong to this segment (ids ``<segment id>.n<k>``)
    notes: tuple[str, ...] = ()
    #: where the target (else the segment) starts in the file
    line: int = 0
    #: a reviewer's comment on the segment (its note ``<segment id>.comment``); empty: none
    comment: str = ""

    @property
    def signed_off(self) -> Status | None:
        """REVIEWED or FINAL when a person signed the target off (see model.status)."""
        return from_xliff_state(self.state) if self.target is not None else None

    @property
    def reviewed(self) -> bool:
        """A person signed it off: state reviewed or final, with a target."""
        return self.signed_off is not None

    @property
    def origin(self) -> str | None:
        """``mt``, ``human``, ``verbatim`` or ``tm`` when this pipeline wrote the subState."""
        if self.sub_state and self.sub_state.startswith(SUB_STATE_PREFIX):
            return self.sub_state[len(SUB_STATE_PREFIX):]
        return None


def render_xliff(
    document: Document,
    translations: Sequence[Translation],
    lang: str,
    *,
    terms: Mapping[str, Iterable[tuple]] | None = None,
    matches: Mapping[str, Iterable[tuple]] | None = None,
    render: str | None = None,
    comments: Mapping[str, str] | None = None,
) -> bytes:
    """The XLIFF 2.1 document as UTF-8 bytes; the same input always gives the same bytes.

    ``terms`` and ``matches`` map a segment id to its GlossTerm / Match tuples, ``comments``
    to a reviewer's comment; ids that are not among ``translations`` are ignored.
    """
    if not translations:
        raise ValueError(f"{document.path}: no segments to write")
    terms = terms or {}
    matches = matches or {}
    nsmap: dict[str | None, str] = {None: XLIFF_NS}
    if any(terms.get(t.segment.id) for t in translations):
        nsmap["gls"] = GLS_NS
    if any(matches.get(t.segment.id) for t in translations):
        nsmap["mtc"] = MTC_NS
    root = etree.Element(x("xliff"), nsmap=nsmap)
    root.set("version", VERSION)
    root.set("srcLang", languages.bcp47(document.language))
    root.set("trgLang", languages.bcp47(lang))
    file_el = etree.SubElement(root, x("file"), id=_file_id(document.slug))
    file_el.set("original", clean(document.path.name))
    test_models = any(made_by_test_models(t.engine) for t in translations)
    if test_models or render is not None:
        file_notes = etree.SubElement(file_el, x("notes"))
        if render is not None:  # which render this is, so edits are told from stale text
            _note(file_notes, RENDER_NOTE, "pipeline", render)
        if test_models:
            _note(file_notes, "test-models", "pipeline", TEST_WARNING)
    blocks = {block.index: block for block in document.blocks}
    for block_index, group in _by_block(translations):
        _unit(file_el, document, blocks[block_index], group, terms, matches, comments or {})
    indent(root)
    return _DECLARATION + etree.tostring(root, encoding="UTF-8", xml_declaration=False) + b"\n"


def write_xliff(
    path: Path,
    document: Document,
    translations: Sequence[Translation],
    lang: str,
    *,
    terms: Mapping[str, Iterable[tuple]] | None = None,
    matches: Mapping[str, Iterable[tuple]] | None = None,
) -> None:
    """Render and replace ``path`` atomically."""
    write_bytes(path, render_xliff(document, translations, lang, terms=terms, matches=matches))


def _file_id(slug: str) -> str:
    """The slug as an NMTOKEN (``slugify`` output already is one)."""
    return _NOT_NMTOKEN.sub("-", slug) or "article"


def _by_block(translations: Sequence[Translation]) -> list[tuple[int, list[Translation]]]:
    """Translations grouped by block, blocks in order of first appearance."""
    groups: dict[int, list[Translation]] = {}
    for translation in translations:
        groups.setdefault(translation.segment.block, []).append(translation)
    return list(groups.items())


def _unit(
    parent: etree._Element, document: Document, block: Block, group: list[Translation],
    terms: Mapping[str, Iterable[tuple]], matches: Mapping[str, Iterable[tuple]],
    comments: Mapping[str, str],
) -> None:
    """``<unit>``: module data first, then notes, then segments with whitespace between."""
    unit = etree.SubElement(parent, x("unit"), id=f"b{block.index}", name=block.kind.value)
    unit.set(f"{{{XML_NS}}}space", "preserve")
    glossary(unit, group, terms)
    add_matches(unit, group, matches)
    _notes(unit, block, group, comments)
    laid = lay_out(group)
    data_ids = original_data(unit, laid)
    previous = None
    for translation, (source, target) in zip(group, laid, strict=True):
        segment = translation.segment
        if previous is not None:
            gap = document.text[previous.end:segment.start]
            if gap and gap.isspace():
                ignorable = etree.SubElement(unit, x("ignorable"))
                inline(etree.SubElement(ignorable, x("source")), gap)
        _segment(unit, translation, source, target, data_ids)
        previous = segment


def _segment(unit: etree._Element, translation: Translation, source: Laid, target: Laid,
             data_ids: Mapping[str, str]) -> None:
    if not _NMTOKEN.fullmatch(translation.segment.id):
        raise ValueError(f"segment id {translation.segment.id!r} is not an XML NMTOKEN")
    segment = etree.SubElement(unit, x("segment"), id=translation.segment.id)
    segment.set("state", translation.status.form.xliff_state)
    segment.set("subState", translation.status.form.xliff_sub_state)
    write_inline(etree.SubElement(segment, x("source")), source, data_ids)
    write_inline(etree.SubElement(segment, x("target")), target, data_ids)


def _notes(unit: etree._Element, block: Block, group: list[Translation],
           comments: Mapping[str, str]) -> None:
    """Context for the translator (kind, tweet author), the pipeline's per-segment notes and
    reviewers' comments.

    XLIFF notes live on the unit; a segment's notes get ids ``<segment id>.n<k>``, its
    comment ``<segment id>.comment`` (category ``comment``).
    """
    notes = etree.SubElement(unit, x("notes"))
    kind = block.kind.value
    if block.kind is BlockKind.HEADING and block.level:
        kind += f" (level {block.level})"
    _note(notes, "kind", "context", f"{kind}, block {block.index + 1}, line {block.line}")
    if block.attribution is not None:
        by = block.attribution
        _note(notes, "tweet", "context", f"tweet by {by.author} ({by.handle})")
        line = f"{by.dash} {by.author} ({by.handle}) {by.date_text}".strip()
        _note(notes, "attribution", "context", f"attribution (not translated): {line}")
    for translation in group:
        for k, text in enumerate(render_notes(translation), start=1):
            note = _note(notes, f"{translation.segment.id}.n{k}", "pipeline", text)
            note.set("appliesTo", "target")
        if comment := comments.get(translation.segment.id):
            note = _note(notes, f"{translation.segment.id}{COMMENT_NOTE}", "comment", comment)
            note.set("appliesTo", "target")


def _note(notes: etree._Element, note_id: str, category: str, text: str) -> etree._Element:
    note = etree.SubElement(notes, x("note"), id=note_id, category=category)
    note.text = clean(text)
    return note



# -- reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class XliffFile:
    """A whole XLIFF file as read: its languages (``line``: where ``<xliff>`` is) and entries."""

    src_lang: str | None
    trg_lang: str | None
    line: int
    entries: list[XliffEntry]
    #: the render this file was written as (its first ``<file>``'s note ``pipeline-render``)
    render: str | None = None


def read_xliff(path: Path, limit: int = LIMITS["bilingual"]) -> list[XliffEntry]:
    """Every segment of an XLIFF 2.x file (units inside groups too), in document order."""
    return read_xliff_file(path, limit).entries


def read_xliff_file(path: Path, limit: int = LIMITS["bilingual"]) -> XliffFile:
    """The file's languages and every segment, from one parse with the hardened parser; a
    file that is not XLIFF 2 or has an unknown state is an InputError naming file and line.
    """
    return xliff_from_bytes(read_input(Path(path), "an XLIFF file", limit), path)


def xliff_from_bytes(data: bytes, path: Path) -> XliffFile:
    """The XLIFF file in ``data`` (read from ``path``), parsed as ``read_xliff_file`` does."""
    root = parse_bytes(data, path=path).getroot()
    if root.tag != x("xliff"):
        tag = str(root.tag)
        raise InputError(f"not an XLIFF 2 file (root element {_local(tag)!r} "
                         f"in namespace {_namespace(tag) or 'none'})", path=path,
                         line=root.sourceline)
    trg_lang = root.get("trgLang")
    entries: list[XliffEntry] = []
    for file_el in root.iterfind(x("file")):
        for unit in file_el.iter(x("unit")):
            originals = unit_data(unit, path)
            entries.extend(
                _entry(path, file_el.get("id", ""), unit, segment, trg_lang, originals)
                for segment in unit.iterfind(x("segment"))
            )
    render = root.find(f"{x('file')}/{x('notes')}/{x('note')}[@id='{RENDER_NOTE}']")
    return XliffFile(root.get("srcLang"), trg_lang, root.sourceline or 0, entries,
                     render.text if render is not None else None)


def reviewed_entries(entries: Iterable[XliffEntry]) -> dict[str, XliffEntry]:
    """Entries a person signed off, by segment id: what the pipeline imports as human work."""
    return {e.segment_id: e for e in entries if e.reviewed and e.segment_id is not None}


def _entry(
    path: Path, file_id: str, unit: etree._Element, segment: etree._Element,
    trg_lang: str | None, data: Mapping[str, str],
) -> XliffEntry:
    state = segment.get("state", "initial")
    if state not in STATES:
        raise InputError(f"unknown segment state {state!r} (use one of {', '.join(STATES)})",
                         path=path, line=segment.sourceline)
    source = segment.find(x("source"))
    if source is None:
        raise InputError("segment without <source>", path=path, line=segment.sourceline)
    target = segment.find(x("target"))
    segment_id = segment.get("id")
    prefix = f"{segment_id or unit.get('id', '')}.n"
    found = list(unit.iterfind(f"{x('notes')}/{x('note')}"))
    notes = tuple(note.text or "" for note in found if note.get("id", "").startswith(prefix))
    comment = next((note.text or "" for note in found
                    if note.get("id") == f"{segment_id}{COMMENT_NOTE}"), "")
    if unit.find(x("segment")) is segment:  # a person's own notes (a CAT tool's) join it
        comment = "\n".join(filter(None, [comment, *(
            note.text or "" for note in found if not _ours(note))]))
    return XliffEntry(
        file_id=file_id, unit_id=unit.get("id", ""), segment_id=segment_id,
        source=inline_text(source, data, path),
        target=None if target is None else inline_text(target, data, path),
        state=state, sub_state=segment.get("subState"), trg_lang=trg_lang,
        notes=notes, line=(segment if target is None else target).sourceline or 0,
        comment=comment,
    )


#: The notes this program writes: context, its note lines, a comment (see ``_notes``).
_OUR_NOTES = re.compile(r"(kind|tweet|attribution|.+\.n\d+|.+\.comment)")


def _ours(note: etree._Element) -> bool:
    """A note of ours; any other a person (their CAT tool) added, which is never dropped."""
    return note.get("category") in ("context", "pipeline", "comment") \
        and _OUR_NOTES.fullmatch(note.get("id", "")) is not None


def _local(tag: str) -> str:
    return etree.QName(tag).localname


def _namespace(tag: str) -> str | None:
    return etree.QName(tag).namespace
