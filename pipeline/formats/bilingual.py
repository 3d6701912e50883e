"""Any bilingual file the pipeline writes (PO, XLIFF 2 or 1.2, JSONL) as one kind of entry list, for
commands that do not care which format a reviewer used (``check``, ``eval``).

Each format is parsed by its own module; this only maps their entries onto one shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.model.errors import InputError

PO_SUFFIXES = (".po", ".pot")
XLIFF_SUFFIXES = (".xlf", ".xliff", ".xlf2")
JSONL_SUFFIXES = (".jsonl",)


@dataclass(frozen=True)
class Entry:
    """One segment of a bilingual file, wherever it came from."""

    id: str
    source: str
    target: str
    line: int
    fuzzy: bool = False
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Bilingual:
    """A bilingual file's languages and segments in file order."""

    path: Path
    source_lang: str | None
    target_lang: str | None
    entries: list[Entry]
    #: the article's inline markup (``markdown``, ``html``), from its file name, if known
    markup: str | None = None


def is_bilingual(path: Path) -> bool:
    return path.suffix.lower() in (*PO_SUFFIXES, *XLIFF_SUFFIXES, *JSONL_SUFFIXES)


def read_bilingual(path: Path) -> Bilingual:
    """PO, XLIFF (2 or 1.2) or the pipeline's JSONL, chosen by the file's extension."""
    suffix = path.suffix.lower()
    if suffix in PO_SUFFIXES:
        return _from_po(path)
    if suffix in XLIFF_SUFFIXES:
        return _from_xliff(path)
    if suffix in JSONL_SUFFIXES:
        return _from_jsonl(path)
    raise InputError("unknown format (expected .po, .xlf/.xliff or .jsonl)", path=path)


def format_of(name: str) -> str | None:
    """An article's format from its file name (``markdown``, ``html``, ``text``), if known."""
    from pipeline.ingest.article import SUFFIXES

    return SUFFIXES.get(Path(name).suffix.lower()) if name else None


def _from_po(path: Path) -> Bilingual:
    """Live entries (no header, no obsolete ones); notes are the extracted and translator
    comments."""
    from pipeline.formats.po import read_catalog

    catalog = read_catalog(path)
    if catalog is None:
        raise InputError("no such file", path=path)
    entries = [
        Entry(id=e.msgctxt or "", source=e.msgid,
              target=e.msgstr or (e.msgstr_plural or {}).get(0, ""), line=e.linenum or 0,
              fuzzy="fuzzy" in e.flags,
              notes=tuple(line for text in (e.comment, e.tcomment) for line in
                          (text or "").splitlines()))
        for e in catalog if not e.obsolete
    ]
    meta = catalog.metadata
    return Bilingual(path, meta.get("X-Source-Language") or None, meta.get("Language") or None,
                     entries, format_of(meta.get("X-Source-File", "").strip("\u2068\u2069")))


def _from_xliff(path: Path) -> Bilingual:
    """Every ``<segment>`` (``<cp>`` decoded, as on import); state ``initial`` = fuzzy. An
    XLIFF 1.2 file: every ``<trans-unit>``, fuzzy unless signed off or approved (as its PO)."""
    from pipeline.formats.xliff import read_xliff_file
    from pipeline.formats.xliff12 import is_xliff12, read_xliff12_file

    if is_xliff12(path):
        units = read_xliff12_file(path)
        return Bilingual(path, units.src_lang, units.trg_lang, [
            Entry(e.unit_id, e.source, e.target or "", e.line, e.signed_off is None, e.notes)
            for e in units.entries])
    found = read_xliff_file(path)
    entries = [Entry(id=e.segment_id or e.unit_id, source=e.source, target=e.target or "",
                     line=e.line, fuzzy=e.state == "initial", notes=e.notes)
               for e in found.entries]
    return Bilingual(path, found.src_lang, found.trg_lang, entries)


def _from_jsonl(path: Path) -> Bilingual:
    """The runner's records: id, source, target, fuzzy, notes, source_lang, target_lang."""
    from pipeline.formats.jsonl import read_jsonl

    records = read_jsonl(path)
    entries = [Entry(r.id, r.source, r.target, r.line, r.fuzzy, r.notes) for r in records]
    source = next((r.source_lang for r in reversed(records) if r.source_lang), None)
    target = next((r.target_lang for r in reversed(records) if r.target_lang), None)
    return Bilingual(path, source, target, entries)
