"""What earlier runs and reviewers left behind, and what each segment can reuse of it.

Each run records what it wrote (the JSONL file: target, origin, engine per segment). Against
that record a person's edit is recognised per segment, in the PO or the XLIFF file, whichever
they used: a changed target is their work. Order of trust: the article's own review, a
human unit in the translation memory, a tweet kept verbatim, a person's draft, the previous
machine output of the same engine and model, and only then the engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polib

from pipeline.formats import po
from pipeline.formats.jsonl import read_jsonl
from pipeline.ingest.tweets import VERBATIM_NOTE, guess_language
from pipeline.memory.store import TmUnit, TranslationMemory
from pipeline.model import languages
from pipeline.model.document import BlockKind, Document, Segment, Translation
from pipeline.model.errors import InputError
from pipeline.mt.protect import is_repair

#: How alike a new sentence must be to an old one to count as its edited version.
CHANGED_THRESHOLD = 70.0


@dataclass(frozen=True)
class Written:
    """What the last run wrote for a segment."""

    source: str
    target: str
    origin: str
    engine: str | None = None


@dataclass(frozen=True)
class Edit:
    """A person's translation of a segment; ``final`` when signed off (not fuzzy/reviewed)."""

    source: str
    target: str
    final: bool
    where: str
    notes: tuple[str, ...] = ()


@dataclass
class Previous:
    """One article and language as the last run and its reviewers left it."""

    catalog: polib.POFile | None = None
    edits: dict[str, Edit] = field(default_factory=dict)
    written: dict[str, Written] = field(default_factory=dict)
    fuzzy: dict[str, polib.POEntry] = field(default_factory=dict)
    po_file: str = "the PO file"


def load_previous(po_path: Path, xliff_path: Path, jsonl_path: Path, lang: str) -> Previous:
    """Read the last run's outputs and find, per segment, what a person changed."""
    from pipeline.formats.xliff import read_xliff

    catalog = po.read_catalog(po_path)
    _check_language(catalog.metadata.get("Language") if catalog else None, lang, po_path)
    written = _read_written(jsonl_path)
    xliff = read_xliff(xliff_path) if xliff_path.exists() else []
    if xliff:
        _check_language(xliff[0].trg_lang, lang, xliff_path)
    po_edits = {ctx: Edit(e.msgid, e.msgstr, True, po_path.name)
                for ctx, e in po.reviewed_entries(catalog).items()}
    xliff_edits = {}
    for entry in xliff:
        if not (entry.segment_id and entry.target):
            continue
        last = written.get(entry.segment_id)
        if entry.reviewed or last is None or last.target != entry.target:
            xliff_edits[entry.segment_id] = Edit(entry.source, entry.target, entry.reviewed,
                                                 xliff_path.name)
    edits = {sid: _settle(po_edits.get(sid), xliff_edits.get(sid), written.get(sid))
             for sid in po_edits.keys() | xliff_edits.keys()}
    fuzzy = {e.msgctxt: e for e in catalog or []
             if e.msgctxt and not e.obsolete and e.msgstr and "fuzzy" in e.flags}
    return Previous(catalog, {k: v for k, v in edits.items() if v is not None}, written, fuzzy,
                    po_path.name)


def _check_language(found: str | None, lang: str, path: Path) -> None:
    """A French review in the English folder would teach the memory wrong translations."""
    if found and not languages.belongs_to(found, lang):
        raise InputError(f"the file is in {found!r}, but it sits in the {lang!r} folder",
                         path=path)


def _read_written(path: Path) -> dict[str, Written]:
    if not path.exists():
        return {}
    return {r.id: Written(r.source, r.target, r.origin, r.engine)
            for r in read_jsonl(path, strict=False)}


def _settle(po_edit: Edit | None, xliff_edit: Edit | None, last: Written | None) -> Edit | None:
    """One edit per segment. When both files changed it differently, the one that changed
    since the last run wins and the other is kept as a note, so neither is lost."""
    if po_edit is None or xliff_edit is None:
        chosen = po_edit or xliff_edit
    elif po_edit.target == xliff_edit.target:
        chosen = po_edit if po_edit.final or not xliff_edit.final else xliff_edit
    else:
        po_changed = last is None or po_edit.target != last.target
        xliff_changed = last is None or xliff_edit.target != last.target
        chosen, other = ((xliff_edit, po_edit) if xliff_changed and not po_changed
                         else (po_edit, xliff_edit))
        if last is None or other.target != last.target:
            chosen = Edit(chosen.source, chosen.target, chosen.final, chosen.where,
                          (f"also edited in {other.where}: {other.target}",))
    if chosen is not None and last is not None and last.origin == "tm" \
            and chosen.target == last.target:
        return None  # a copy from the memory, not this article's review: look it up again
    return chosen


def human_units(previous: Previous, article: str, source_lang: str, lang: str) -> list[TmUnit]:
    """Signed-off edits that are new since the last run, as human memory units.

    Unchanged reviews are not added again: re-adding would stamp an old fix as the newest
    and let it overwrite a later fix made in another article.
    """
    units = []
    for sid, edit in previous.edits.items():
        last = previous.written.get(sid)
        unchanged = last is not None and last.origin == "human" and last.target == edit.target
        if edit.final and not unchanged and edit.source.strip() and edit.target.strip():
            units.append(TmUnit(source_lang, lang, edit.source, edit.target, "human",
                                article=article, segment_id=sid))
    return units


def reusable(
    segment: Segment, document: Document, lang: str, previous: Previous,
    memory: TranslationMemory | None, *, tweets: str, retranslate: bool, engine: str | None,
) -> Translation | None:
    """A finished translation for ``segment`` when one can be reused, else None (MT it)."""
    edit = previous.edits.get(segment.id)
    if edit is not None and edit.source == segment.text and edit.final:
        return Translation(segment, lang, edit.target, origin="human", fuzzy=False,
                           notes=edit.notes)
    human = _memory_hit(memory, segment, document, lang)
    if human is not None:
        return Translation(segment, lang, human.target, origin="tm", fuzzy=False,
                           notes=("from the translation memory",))
    block = document.blocks[segment.block]
    if segment.kind is BlockKind.TWEET and (tweets == "keep" or guess_language(block.text) == lang):
        why = " (--tweets keep)" if tweets == "keep" else f" (already in {lang})"
        return Translation(segment, lang, segment.text, origin="verbatim",
                           notes=(VERBATIM_NOTE + why,))
    if edit is not None and edit.source == segment.text:
        return Translation(segment, lang, edit.target, origin="human", fuzzy=True,
                           notes=(f"a person's draft from {edit.where}", *edit.notes))
    return _previous_machine(segment, lang, previous, retranslate, engine)


def _previous_machine(segment: Segment, lang: str, previous: Previous, retranslate: bool,
                      engine: str | None) -> Translation | None:
    """The last run's output when it is still what this engine and model would give."""
    old = previous.fuzzy.get(segment.id)
    last = previous.written.get(segment.id)
    if old is None or old.msgid != segment.text or last is None:
        return None
    if old.msgstr != last.target or last.origin == "human":  # edited, left fuzzy: a draft
        return Translation(segment, lang, old.msgstr, origin="human", fuzzy=True,
                           notes=(f"a person's draft from {previous.po_file}",),
                           previous_source=old.previous_msgid)
    if retranslate or last.origin != "mt" or last.engine is None or last.engine != engine:
        return None
    # the #| msgid stays until a reviewer clears the fuzzy flag, as with msgmerge
    return Translation(segment, lang, old.msgstr, origin="mt", notes=_repairs(old),
                       previous_source=old.previous_msgid, engine=engine)


def _repairs(entry: polib.POEntry) -> tuple[str, ...]:
    """The protection repairs noted when the text was machine-translated; they still hold."""
    return tuple(line for line in entry.comment.splitlines()
                 if is_repair(line))


def _memory_hit(memory, segment: Segment, document: Document, lang: str):
    if memory is None:
        return None
    unit = memory.exact(segment.text, document.language, lang)
    return unit if unit is not None and unit.origin in ("human", "import") else None


def changed_from(segment: Segment, previous: Previous, current_ids: set[str]) -> str | None:
    """The old source this segment replaced, if an entry that left the article is close to it."""
    from rapidfuzz import fuzz

    if previous.catalog is None:
        return None
    best, best_score = None, CHANGED_THRESHOLD
    for entry in previous.catalog:
        if entry.obsolete or not entry.msgctxt or entry.msgctxt in current_ids:
            continue
        score = fuzz.ratio(entry.msgid, segment.text)
        if score >= best_score:
            best, best_score = entry.msgid, score
    return best


def suggestions(memory: TranslationMemory | None, segment: Segment, source_lang: str,
                lang: str, threshold: float) -> tuple[tuple[str, str, float, str], ...]:
    """Fuzzy matches from people's work, shown to reviewers (never used as the translation)."""
    if memory is None:
        return ()
    return tuple(
        (m.unit.source, m.unit.target, round(m.score, 1), m.unit.origin)
        for m in memory.fuzzy(segment.text, source_lang, lang, threshold=threshold)
        if m.unit.origin in ("human", "import")
    )
