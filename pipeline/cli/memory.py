"""``import`` (reviewed PO/XLIFF/TMX into the memory) and ``tm`` (stats, TMX export/import).

The import is what makes a reviewer's fix permanent: once in the memory, the fix is reused
for that sentence in every article and every later run.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from pipeline.model.errors import InputError, OutputError

_MEMORY = click.option(
    "--memory", type=click.Path(dir_okay=False, path_type=Path),
    default=Path("locales/memory.sqlite"), show_default=True, help="Translation memory file.",
)


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@_MEMORY
@click.option("--from", "source_lang", default=None, help="Source language if the file omits it.")
def import_command(files, memory, source_lang) -> None:
    """Take reviewed translations from PO, XLIFF or TMX FILES into the translation memory.

    PO: entries with a translation and no fuzzy flag. XLIFF: segments in state reviewed or
    final (1.2: units approved, signed-off or final). TMX: every unit (machine ones stay
    marked as machine output), dated by its creationdate, so an older file never replaces a
    newer translation in the memory.
    """
    from pipeline.memory.importers import read_units
    from pipeline.memory.store import TranslationMemory

    batches = [(file, read_units(file, source_lang)) for file in files]  # all read first
    with TranslationMemory.open(memory) as tm_:
        counts = tm_.add_groups([found.units for _, found in batches], dated=True)
    for (file, found), count in zip(batches, counts, strict=True):
        skipped = f"; {found.skipped} skipped: {found.why}" if found.skipped else ""
        click.echo(f"{file}: {count} translations imported{skipped}")


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


@tm.command("remove")
@_MEMORY
@click.argument("source")
@click.option("--from", "source_lang", default="de", show_default=True)
@click.option("--to", "target_lang", default=None, help="Only this target language.")
@click.option("--origin", type=click.Choice(["human", "import", "mt"]), default=None,
              help="Only units of this origin.")
def tm_remove(memory, source, source_lang, target_lang, origin) -> None:
    """Remove the units for the sentence SOURCE (a wrong fix, a unit that should not be
    reused); white space and Unicode form do not matter, case does."""
    from pipeline.memory.store import TranslationMemory

    with TranslationMemory.open(_existing(memory)) as tm_:
        count = tm_.remove(source, source_lang, target_lang=target_lang, origin=origin)
    click.echo(f"{count} units removed")


@tm.command("stats")
@_MEMORY
def tm_stats(memory) -> None:
    """Counts by origin and language pair, as JSON."""
    from pipeline.memory.store import TranslationMemory

    with TranslationMemory.open(_existing(memory)) as tm_:
        click.echo(json.dumps(tm_.stats(), indent=2, ensure_ascii=False))


@tm.command("export")
@_MEMORY
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--from", "source_lang", default="de", show_default=True)
@click.option("--origin", type=click.Choice(["human", "import", "mt"]), default=None,
              help="Only units of this origin (e.g. human: people's work only).")
def tm_export(memory, output, source_lang, origin) -> None:
    """Write the memory as TMX 1.4b; machine translations carry x-origin=mt."""
    from pipeline.formats.tmx import TmxRecord, write_tmx
    from pipeline.memory.store import TranslationMemory

    _not_the_memory(output, _existing(memory))
    with TranslationMemory.open(memory) as tm_:
        records = [
            TmxRecord(source=u.source, target=u.target, target_lang=u.target_lang,
                      origin=u.origin, created=u.created or dt.datetime.now(dt.UTC),
                      segment_id=u.segment_id or "", article=u.article or "",
                      changed=u.updated)
            for u in tm_.units(source_lang=source_lang, origin=origin)
        ]
    write_tmx(output, records, srclang=source_lang)
    click.echo(f"{output}: {len(records)} units")


@tm.command("backup")
@_MEMORY
@click.argument("destination", type=click.Path(dir_okay=False, path_type=Path))
def tm_backup(memory, destination) -> None:
    """Copy the memory, whole and consistent, into the new file DESTINATION (safe while runs
    use it; a plain copy of the .sqlite file may miss rows still in its -wal file)."""
    from pipeline.memory.store import TranslationMemory

    with TranslationMemory.open(_existing(memory)) as tm_:
        tm_.backup(destination)
    click.echo(f"{destination}: backup of {memory}")
