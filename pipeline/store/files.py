"""The past read from the output files: the PO catalog, the XLIFF file and the JSONL record.

Against the JSONL record (what the last run wrote) a person's edit is recognised per segment,
in the PO or the XLIFF file, whichever they used. Both edited differently: the one that
changed since the last run wins and the other is kept as a conflict, so neither is lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.formats import po
from pipeline.formats.jsonl import read_jsonl
from pipeline.formats.notes import parse_repair
from pipeline.formats.xliff import read_xliff_file
from pipeline.infra.files import LIMITS
from pipeline.model import languages
from pipeline.model.annotations import Conflict
from pipeline.model.document import Document
from pipeline.model.errors import InputError
from pipeline.model.status import Status, from_po
from pipeline.store.layout import paths
from pipeline.store.previous import Edit, Left, Previous, Written


@dataclass(frozen=True)
class FileState:
    """The past as the files under ``out_dir`` hold it; ``limit`` bounds each file read
    (the run's own outputs grow with the article: see ``for_articles``)."""

    out_dir: Path
    limit: int = LIMITS["bilingual"]

    @classmethod
    def for_articles(cls, out_dir: Path, max_bytes: int) -> FileState:
        """Room for what a run writes for articles up to ``max_bytes``."""
        return cls(Path(out_dir), max(LIMITS["bilingual"], OUTPUT_GROWTH * max_bytes))

    def load(self, document: Document, lang: str) -> Previous:
        where = paths(self.out_dir, lang, document.slug)
        return load_files(where.po, where.xliff, where.jsonl, lang, self.limit)


#: How much larger than its article a run's biggest output can get (XLIFF: markup, notes,
#: glossary and match modules, every character escaped).
OUTPUT_GROWTH = 32


def load_files(po_path: Path, xliff_path: Path, jsonl_path: Path, lang: str,
               limit: int = LIMITS["bilingual"]) -> Previous:
    """Read the last run's outputs and find, per segment, what a person changed."""
    catalog = po.read_catalog(po_path, limit)
    _check_language(catalog.metadata.get("Language") if catalog else None, lang, po_path)
    written = {r.id: Written(r.source, r.target, r.origin, r.engine)
               for r in read_jsonl(jsonl_path, strict=False, limit=limit)} \
        if jsonl_path.exists() else {}
    xliff_file = read_xliff_file(xliff_path, limit) if xliff_path.exists() else None
    xliff = xliff_file.entries if xliff_file is not None else []
    if xliff_file is not None:
        _check_language(xliff_file.trg_lang, lang, xliff_path)
    po_edits = {ctx: Edit(e.msgid, e.msgstr, from_po(False), po_path.name)
                for ctx, e in po.reviewed_entries(catalog).items()}
    xliff_edits = {}
    for entry in xliff:
        if not (entry.segment_id and entry.target):
            continue
        last = written.get(entry.segment_id)
        if entry.reviewed or last is None or last.target != entry.target:
            xliff_edits[entry.segment_id] = Edit(entry.source, entry.target,
                                                 entry.signed_off or Status.DRAFT,
                                                 xliff_path.name)
    edits = {sid: _settle(po_edits.get(sid), xliff_edits.get(sid), written.get(sid))
             for sid in po_edits.keys() | xliff_edits.keys()}
    left = {e.msgctxt: Left(e.msgid, e.msgstr, e.previous_msgid,
                            tuple(r for line in e.comment.splitlines()
                                  if (r := parse_repair(line)) is not None))
            for e in catalog or []
            if e.msgctxt and not e.obsolete and e.msgstr and "fuzzy" in e.flags}
    sources = {e.msgctxt: e.msgid for e in catalog or [] if e.msgctxt and not e.obsolete}
    read = frozenset(p.resolve() for p in (po_path, xliff_path, jsonl_path) if p.exists())
    return Previous({k: v for k, v in edits.items() if v is not None}, written, left, sources,
                    po_path.name, catalog, read)


def _check_language(found: str | None, lang: str, path: Path) -> None:
    """A French review in the English folder would teach the memory wrong translations."""
    if found and not languages.belongs_to(found, lang):
        raise InputError(f"the file is in {found!r}, but it sits in the {lang!r} folder",
                         path=path)


def _settle(po_edit: Edit | None, xliff_edit: Edit | None, last: Written | None) -> Edit | None:
    """One edit per segment. When both files changed it differently, the one that changed
    since the last run wins and the other is kept as a conflict, so neither is lost."""
    if po_edit is None or xliff_edit is None:
        chosen = po_edit or xliff_edit
    elif po_edit.target == xliff_edit.target:
        # an XLIFF state is always a person's explicit word (reviewed, final); the PO's missing
        # fuzzy flag may be ours (a memory copy is written unfuzzy)
        chosen = xliff_edit if xliff_edit.status.signed_off else po_edit
    else:
        po_changed = last is None or po_edit.target != last.target
        xliff_changed = last is None or xliff_edit.target != last.target
        xliff_stronger = xliff_edit.status is Status.FINAL and po_edit.status is not Status.FINAL
        chosen, other = ((xliff_edit, po_edit)
                         if xliff_changed and (not po_changed or xliff_stronger)
                         else (po_edit, xliff_edit))
        if last is None or other.target != last.target:
            chosen = Edit(chosen.source, chosen.target, chosen.status, chosen.where,
                          Conflict(other.where, other.target))
    if chosen is not None and last is not None and last.origin == Status.FROM_MEMORY.form.origin \
            and chosen.target == last.target and chosen is po_edit:
        # a copy from the memory as written (the PO shows it unfuzzy by default): not this
        # article's review, look it up again; an XLIFF sign-off on it is a person's act
        return None
    return chosen
