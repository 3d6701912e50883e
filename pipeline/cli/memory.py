"""``import`` (reviewed PO/XLIFF/TMX into the memory) and ``tm`` (stats, TMX export/import).

The import is what makes a reviewer's fix permanent: once in the memory, the fix is reused
for that sentence in every article and every later run.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from pipeline.model import languages
from pipeline.model.errors import InputError, OutputError

if TYPE_CHECKING:
    from pipeline.formats.tmx import TmxUnit
    from pipeline.memory import TmUnit

#: TMX's date format (YYYYMMDDThhmmssZ, always UTC).
TMX_DATE = "%Y%m%dT%H%M%SZ"

_MEMORY = click.option(
    "--memory", type=click.Path(dir_okay=False, path_type=Path),
    default=Path("locales/memory.sqlite"), show_default=True, help="Translation memory file.",
)


def _tm_unit(path: Path, where: str, line: int | None = None, **fields: Any) -> TmUnit:
    """A TmUnit; a blank source or missing language is the file's fault, so an InputError
    naming the file and the segment, not a crash."""
    from pipeline.memory import TmUnit

    try:
        return TmUnit(**fields)
    except ValueError as exc:
        raise InputError(f"{where}: {exc}", path=path, line=line) from None


def _po_units(path: Path, source_lang: str | None) -> list[TmUnit]:
    from pipeline.formats import po

    catalog = po.read_catalog(path)
    if catalog is None:
        return []
    lang = catalog.metadata.get("Language") or ""
    source = source_lang or catalog.metadata.get("X-Source-Language") or "de"
    if not lang:
        raise InputError("no Language header; cannot tell the target language", path=path)
    return [_tm_unit(path, f"msgctxt {e.msgctxt!r}", e.linenum, source_lang=source,
                     target_lang=lang, source=e.msgid, target=e.msgstr, origin="human",
                     segment_id=e.msgctxt)
            for e in po.reviewed_entries(catalog).values()]


def _xliff_units(path: Path, source_lang: str | None) -> list[TmUnit]:
    from pipeline.formats.xliff import read_xliff
    from pipeline.infra.xmlsafe import parse_file

    entries = read_xliff(path)  # first: it says when the file is not XLIFF 2 at all
    root = parse_file(path).getroot()
    source = source_lang or root.get("srcLang") or "de"
    target = root.get("trgLang")
    if not target:
        raise InputError("no trgLang on <xliff>; cannot tell the target language", path=path,
                         line=root.sourceline)
    return [_tm_unit(path, f"segment {e.segment_id or e.unit_id!r}", source_lang=source,
                     target_lang=target, source=e.source, target=e.target, origin="human",
                     segment_id=e.segment_id)
            for e in entries if e.reviewed and e.target]


def _tmx_time(path: Path, unit: TmxUnit, where: str) -> dt.datetime | None:
    """When the unit was written, so an old backup cannot undo a newer fix in the memory.

    Uses ``creationdate``: our export writes the unit's last update there, and read_tmx does
    not expose ``changedate``. None (stamped "now") when the unit has no date.
    """
    if not unit.creationdate:
        return None
    try:
        return dt.datetime.strptime(unit.creationdate, TMX_DATE).replace(tzinfo=dt.UTC)
    except ValueError:
        raise InputError(f"{where}: creationdate {unit.creationdate!r} is not "
                         "YYYYMMDDThhmmssZ", path=path) from None


def _tmx_units(path: Path, source_lang: str | None) -> list[TmUnit]:
    from pipeline.formats.tmx import read_tmx

    units = []
    for number, tu in enumerate(read_tmx(path), start=1):
        where = f"<tu> {tu.tuid!r}" if tu.tuid else f"<tu> number {number}"
        source_code = source_lang or tu.srclang or "de"
        source = tu.text(source_code)
        if not source:
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
    return units


_READERS = {".po": _po_units, ".xlf": _xliff_units, ".xliff": _xliff_units, ".tmx": _tmx_units}


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@_MEMORY
@click.option("--from", "source_lang", default=None, help="Source language if the file omits it.")
def import_command(files, memory, source_lang) -> None:
    """Take reviewed translations from PO, XLIFF or TMX FILES into the translation memory.

    PO: entries with a translation and no fuzzy flag. XLIFF: segments in state reviewed or
    final. TMX: every unit (machine ones stay marked as machine output), dated by its
    creationdate, so an older file never replaces a newer translation in the memory.
    """
    from pipeline.memory import TranslationMemory

    batches = []
    for file in files:
        reader = _READERS.get(file.suffix.lower())
        if reader is None:
            raise InputError("not a PO, XLIFF or TMX file", path=file)
        if not file.is_file():
            raise InputError("no such file", path=file)
        batches.append((file, reader(file, source_lang)))
    with TranslationMemory.open(memory) as tm_:
        for file, units in batches:
            count = tm_.import_units(units, origin=None)
            click.echo(f"{file}: {count} translations imported")


def _existing(memory: Path) -> Path:
    """Reading commands must not create an empty memory for a mistyped path and report it."""
    if not memory.is_file():
        raise InputError("no such translation memory", path=memory)
    return memory


def _not_the_memory(output: Path, memory: Path) -> None:
    """``-o`` naming the memory itself (any spelling, link) would replace it with TMX."""
    if output.resolve() == memory.resolve() or (output.exists() and output.samefile(memory)):
        raise OutputError("is the translation memory itself; write the TMX to another file",
                          path=output)


@click.group()
def tm() -> None:
    """The translation memory: statistics and TMX exchange."""


@tm.command("stats")
@_MEMORY
def tm_stats(memory) -> None:
    """Counts by origin and language pair, as JSON."""
    from pipeline.memory import TranslationMemory

    with TranslationMemory.open(_existing(memory)) as tm_:
        click.echo(json.dumps(tm_.stats(), indent=2, ensure_ascii=False))


@tm.command("export")
@_MEMORY
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--from", "source_lang", default="de", show_default=True)
def tm_export(memory, output, source_lang) -> None:
    """Write the memory as TMX 1.4b; machine translations carry x-origin=mt."""
    from pipeline.formats.tmx import TmxRecord, write_tmx
    from pipeline.memory import TranslationMemory

    _not_the_memory(output, _existing(memory))
    with TranslationMemory.open(memory) as tm_:
        records = [
            TmxRecord(source=u.source, target=u.target, target_lang=u.target_lang,
                      origin=u.origin, created=u.updated or u.created or dt.datetime.now(dt.UTC),
                      segment_id=u.segment_id or "", article=u.article or "")
            for u in tm_.units(source_lang=source_lang)
        ]
    write_tmx(output, records, srclang=source_lang)
    click.echo(f"{output}: {len(records)} units")
