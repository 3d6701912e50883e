"""What earlier runs and reviewers left behind, and what each segment can reuse of it.

Order of trust, per segment and language: a reviewer's entry in the article's own PO or
XLIFF file (same id, same source), a human unit in the translation memory, a tweet kept
verbatim, the machine translation of an earlier run, and only then the engine. A segment
whose source changed is matched to the entry it replaced, so reviewers see the old source
(``#| msgid``) as msgmerge shows it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polib

from pipeline.document import BlockKind, Document, Segment, Translation
from pipeline.memory import TmUnit, TranslationMemory
from pipeline.tweets import guess_language
from pipeline.writers import po

#: How alike a new sentence must be to an old one to count as its edited version.
CHANGED_THRESHOLD = 70.0


@dataclass(frozen=True)
class Reviewed:
    """A person's translation of a segment, from the PO or the XLIFF file."""

    source: str
    target: str
    where: str


@dataclass
class Previous:
    """One article and language as the last run and its reviewers left it."""

    catalog: polib.POFile | None = None
    reviewed: dict[str, Reviewed] = field(default_factory=dict)
    machine: dict[str, polib.POEntry] = field(default_factory=dict)


def load_previous(po_path: Path, xliff_path: Path) -> Previous:
    """Read the outputs of the last run; a reviewer's XLIFF wins when it is the newer file."""
    from pipeline.writers.xliff import read_xliff

    catalog = po.read_catalog(po_path)
    reviewed = {
        ctx: Reviewed(entry.msgid, entry.msgstr, f"{po_path.name}")
        for ctx, entry in po.reviewed_entries(catalog).items()
    }
    machine = {e.msgctxt: e for e in catalog or []
               if e.msgctxt and not e.obsolete and e.msgstr and "fuzzy" in e.flags}
    if xliff_path.exists():
        xliff_newer = not po_path.exists() or xliff_path.stat().st_mtime > po_path.stat().st_mtime
        for entry in read_xliff(xliff_path):
            if not (entry.reviewed and entry.segment_id and entry.target):
                continue
            if xliff_newer or entry.segment_id not in reviewed:
                reviewed[entry.segment_id] = Reviewed(entry.source, entry.target, xliff_path.name)
    return Previous(catalog, reviewed, machine)


def _repairs(entry: polib.POEntry) -> tuple[str, ...]:
    """The protection repairs noted when the text was machine-translated; they still hold."""
    return tuple(line for line in entry.comment.splitlines()
                 if line.startswith(("restored ", "removed ")))


def human_units(previous: Previous, article: str, source_lang: str, lang: str) -> list[TmUnit]:
    """Every reviewed entry as a human TM unit: the import step that starts each run."""
    return [
        TmUnit(source_lang, lang, r.source, r.target, "human", article=article, segment_id=sid)
        for sid, r in previous.reviewed.items() if r.source.strip() and r.target.strip()
    ]


def reusable(
    segment: Segment, document: Document, lang: str, previous: Previous,
    memory: TranslationMemory | None, *, tweets: str, retranslate: bool,
) -> Translation | None:
    """A finished translation for ``segment`` when one can be reused, else None (MT it)."""
    reviewed = previous.reviewed.get(segment.id)
    if reviewed is not None and reviewed.source == segment.text:
        return Translation(segment, lang, reviewed.target, origin="human", fuzzy=False)
    human = _memory_hit(memory, segment, document, lang, ("human", "import"))
    if human is not None:
        return Translation(segment, lang, human.target, origin="human", fuzzy=False,
                           notes=("from the translation memory",))
    block = document.blocks[segment.block]
    if segment.kind is BlockKind.TWEET and (tweets == "keep" or guess_language(block.text) == lang):
        why = " (--tweets keep)" if tweets == "keep" else f" (already in {lang})"
        return Translation(segment, lang, segment.text, origin="verbatim",
                           notes=("tweet kept verbatim" + why,))
    if retranslate:
        return None
    old = previous.machine.get(segment.id)
    if old is not None and old.msgid == segment.text:
        # the #| msgid stays until a reviewer clears the fuzzy flag, as with msgmerge
        return Translation(segment, lang, old.msgstr, origin="mt", notes=_repairs(old),
                           previous_source=old.previous_msgid)
    machine = _memory_hit(memory, segment, document, lang, ("mt",))
    if machine is not None:
        return Translation(segment, lang, machine.target, origin="mt")
    return None


def _memory_hit(memory, segment: Segment, document: Document, lang: str, origins: tuple):
    if memory is None:
        return None
    unit = memory.exact(segment.text, document.language, lang)
    return unit if unit is not None and unit.origin in origins else None


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
