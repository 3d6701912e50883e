"""What a reviewer's files hold for the memory: reviewed PO entries, XLIFF segments in state
reviewed or final (1.2: units signed off or approved), and every TMX unit (dated, so an old
backup never undoes a newer fix)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.model import languages
from pipeline.model.errors import InputError

if TYPE_CHECKING:
    from pipeline.formats.tmx import TmxUnit
    from pipeline.memory.store import TmUnit

#: TMX's date format (YYYYMMDDThhmmssZ, always UTC).
TMX_DATE = "%Y%m%dT%H%M%SZ"



def _tm_unit(path: Path, where: str, line: int | None = None, **fields: Any) -> TmUnit:
    """A TmUnit, its languages in one spelling whatever the file wrote (en-US → en_US); a
    blank source or missing language is the file's fault, so an InputError naming the file
    and the segment, not a crash."""
    from pipeline.memory.store import TmUnit

    for key in ("source_lang", "target_lang"):
        if fields.get(key):
            fields[key] = languages.gettext(fields[key])
    try:
        return TmUnit(**fields)
    except ValueError as exc:
        raise InputError(f"{where}: {exc}", path=path, line=line) from None


@dataclass(frozen=True)
class Found:
    """What a file holds for the memory, and how many of its entries could not serve (why)."""

    units: list[TmUnit]
    skipped: int = 0
    why: str = ""


def _po_units(path: Path, source_lang: str | None) -> Found:
    """Reviewed entries (translated, not fuzzy), with or without msgctxt: a PO file that went
    through another tool (translate-toolkit's xliff2po drops msgctxt) still counts."""
    from pipeline.formats import po

    catalog = po.read_catalog(path)
    if catalog is None:
        return Found([])
    lang = catalog.metadata.get("Language") or ""
    source = source_lang or catalog.metadata.get("X-Source-Language") or "de"
    if not lang:
        raise InputError("no Language header; cannot tell the target language", path=path)
    entries = [e for e in catalog if e.msgid]
    reviewed = [e for e in entries if po.is_reviewed(e)]
    units = [_tm_unit(path, f"msgctxt {e.msgctxt!r}" if e.msgctxt else f"msgid {e.msgid!r}",
                      e.linenum, source_lang=source, target_lang=lang, source=e.msgid,
                      target=e.msgstr, origin="human", segment_id=e.msgctxt)
             for e in reviewed]
    return Found(units, len(entries) - len(reviewed), "not reviewed (fuzzy or empty)")


def _xliff_units(path: Path, source_lang: str | None) -> Found:
    from pipeline.formats.xliff import read_xliff_file
    from pipeline.formats.xliff12 import is_xliff12

    if is_xliff12(path):
        return _xliff12_units(path, source_lang)
    found = read_xliff_file(path)
    entries = found.entries
    source = source_lang or found.src_lang or "de"
    target = found.trg_lang
    if not target:
        raise InputError("no trgLang on <xliff>; cannot tell the target language", path=path,
                         line=found.line)
    units = [_tm_unit(path, f"segment {e.segment_id or e.unit_id!r}", source_lang=source,
                      target_lang=target, source=e.source, target=e.target, origin="human",
                      segment_id=e.segment_id)
             for e in entries if e.reviewed and e.target]
    return Found(units, len(entries) - len(units), "not in state reviewed or final")


def _xliff12_units(path: Path, source_lang: str | None) -> Found:
    """XLIFF 1.2: units signed off or approved (what its PO would have unfuzzied)."""
    from pipeline.formats.xliff12 import read_xliff12_file

    found = read_xliff12_file(path)
    if not found.trg_lang:
        raise InputError("no target-language on <file>; cannot tell the target language",
                         path=path, line=found.line)
    units = [_tm_unit(path, f"trans-unit {e.unit_id!r}", e.line,
                      source_lang=source_lang or found.src_lang or "de",
                      target_lang=found.trg_lang, source=e.source, target=e.target,
                      origin="human", segment_id=e.unit_id or None)
             for e in found.entries if e.signed_off is not None and e.target]
    return Found(units, len(found.entries) - len(units), "not signed off or approved")


def _tmx_time(path: Path, unit: TmxUnit, where: str) -> dt.datetime | None:
    """When the unit was written, so an old backup cannot undo a newer fix in the memory.

    The last change (``changedate``), else ``creationdate`` (older exports of ours wrote the
    last update there); None (stamped "now") when the unit has neither.
    """
    dates = {}
    for name, stamp in (("changedate", unit.changedate), ("creationdate", unit.creationdate)):
        if not stamp:
            continue
        try:
            dates[name] = dt.datetime.strptime(stamp, TMX_DATE).replace(tzinfo=dt.UTC)
        except ValueError:
            raise InputError(f"{where}: {name} {stamp!r} is not YYYYMMDDThhmmssZ",
                             path=path) from None
    return dates.get("changedate") or dates.get("creationdate")


def _tmx_units(path: Path, source_lang: str | None) -> Found:
    from pipeline.formats.tmx import read_tmx

    units: list[TmUnit] = []
    skipped = 0
    wanted = source_lang or "de"
    for number, tu in enumerate(read_tmx(path), start=1):
        where = f"<tu> {tu.tuid!r}" if tu.tuid else f"<tu> number {number}"
        source_code = source_lang or tu.srclang or "de"
        source = tu.text(source_code)
        before = len(units)
        if not source:
            skipped += 1
            continue
        origin = tu.origin if tu.origin in ("mt", "human") else "import"
        when = _tmx_time(path, tu, where)
        for variant in tu.variants:
            if languages.base(variant.lang) == languages.base(source_code):
                continue
            if variant.text.strip():
                units.append(_tm_unit(path, where, source_lang=source_code,
                                      target_lang=variant.lang, source=source,
                                      target=variant.text, origin=origin, created=when,
                                      updated=when))
        skipped += len(units) == before
    return Found(units, skipped, f"no {wanted} text or no translation (see --from)")


READERS = {".po": _po_units, ".xlf": _xliff_units, ".xliff": _xliff_units, ".tmx": _tmx_units}


def read_units(path: Path, source_lang: str | None = None) -> Found:
    """The translations a PO, XLIFF or TMX file holds for the memory; InputError if none can be
    read (wrong kind of file, missing, damaged), naming the file."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise InputError("not a PO, XLIFF or TMX file", path=path)
    if not path.exists():
        raise InputError("no such file", path=path)
    return reader(path, source_lang)
