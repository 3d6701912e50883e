"""``import`` (reviewed PO/XLIFF/TMX into the memory) and ``tm`` (stats, TMX export/import).

The import is what makes a reviewer's fix permanent: once in the memory, the fix is reused
for that sentence in every article and every later run.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

_MEMORY = click.option(
    "--memory", type=click.Path(dir_okay=False, path_type=Path),
    default=Path("locales/memory.sqlite"), show_default=True, help="Translation memory file.",
)


def _po_units(path: Path, source_lang: str | None):
    from pipeline.memory import TmUnit
    from pipeline.writers import po

    catalog = po.read_catalog(path)
    if catalog is None:
        return []
    lang = catalog.metadata.get("Language") or ""
    source = source_lang or catalog.metadata.get("X-Source-Language") or "de"
    if not lang:
        from pipeline.errors import InputError

        raise InputError("no Language header; cannot tell the target language", path=path)
    return [TmUnit(source, lang, e.msgid, e.msgstr, "human", segment_id=e.msgctxt)
            for e in po.reviewed_entries(catalog).values()]


def _xliff_units(path: Path, source_lang: str | None):
    from pipeline.memory import TmUnit
    from pipeline.writers.xliff import read_xliff
    from pipeline.xmlsafe import parse_file

    root = parse_file(path).getroot()
    source = source_lang or root.get("srcLang") or "de"
    target = root.get("trgLang") or ""
    return [TmUnit(source, e.trg_lang or target, e.source, e.target, "human",
                   segment_id=e.segment_id)
            for e in read_xliff(path) if e.reviewed and e.target]


def _tmx_units(path: Path, source_lang: str | None):
    from pipeline.memory import TmUnit
    from pipeline.writers.tmx import read_tmx

    units = []
    for tu in read_tmx(path):
        source_code = source_lang or tu.srclang or "de"
        source = tu.text(source_code)
        if not source:
            continue
        origin = tu.origin if tu.origin in ("mt", "human") else "import"
        for variant in tu.variants:
            if variant.lang.split("-")[0].lower() == source_code.split("-")[0].lower():
                continue
            if variant.text.strip():
                units.append(TmUnit(source_code, variant.lang, source, variant.text, origin))
    return units


_READERS = {".po": _po_units, ".xlf": _xliff_units, ".xliff": _xliff_units, ".tmx": _tmx_units}


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@_MEMORY
@click.option("--from", "source_lang", default=None, help="Source language if the file omits it.")
def import_command(files, memory, source_lang) -> None:
    """Take reviewed translations from PO, XLIFF or TMX FILES into the translation memory.

    PO: entries with a translation and no fuzzy flag. XLIFF: segments in state reviewed or
    final. TMX: every unit (machine ones stay marked as machine output).
    """
    from pipeline.errors import InputError
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


@click.group()
def tm() -> None:
    """The translation memory: statistics and TMX exchange."""


@tm.command("stats")
@_MEMORY
def tm_stats(memory) -> None:
    """Counts by origin and language pair, as JSON."""
    from pipeline.memory import TranslationMemory

    with TranslationMemory.open(memory) as tm_:
        click.echo(json.dumps(tm_.stats(), indent=2, ensure_ascii=False))


@tm.command("export")
@_MEMORY
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--from", "source_lang", default="de", show_default=True)
def tm_export(memory, output, source_lang) -> None:
    """Write the memory as TMX 1.4b; machine translations carry x-origin=mt."""
    from pipeline.memory import TranslationMemory
    from pipeline.writers.tmx import TmxRecord, write_tmx

    with TranslationMemory.open(memory) as tm_:
        records = [
            TmxRecord(source=u.source, target=u.target, target_lang=u.target_lang,
                      origin="mt" if u.origin == "mt" else "human", created=u.updated,
                      segment_id=u.segment_id or "", article=u.article or "")
            for u in tm_.units(source_lang=source_lang)
        ]
    write_tmx(output, records, srclang=source_lang)
    click.echo(f"{output}: {len(records)} units")
