"""``glossary`` commands: list, add, remove, lint, export and import the term base.

Register with ``cli.add_command(glossary)``; a GlossaryError then becomes one line and exit 1
through the main group. Every write goes through lint's cross checks first and replaces the
TSV atomically, so a failed command leaves the files as they were.
"""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pipeline.glossary import upkeep
from pipeline.glossary.exchange import (
    export_csv,
    export_tbx,
    read_exchange,
)
from pipeline.glossary.lint import lint_folder, raise_errors
from pipeline.glossary.termbase import (
    CASE_VALUES,
    POS_VALUES,
    Concept,
    languages_of,
    load_folder,
    merge,
    save_domains,
)
from pipeline.model.errors import GlossaryError

if TYPE_CHECKING:
    from pipeline.glossary.dictionaries import Dictionaries


def _folder() -> Path:
    return click.get_current_context().find_root().obj["glossary_dir"]


def _say(line: str) -> None:
    click.echo(line, err=True)


def _dictionaries() -> Dictionaries:
    """The offline dictionaries (indexed on first use); none found: said once, on stderr."""
    from pipeline.glossary.dictionaries import open_dictionaries

    return open_dictionaries(click.get_current_context().find_root().obj["dict_dir"], say=_say)


def _locked(command: Callable[..., None]) -> Callable[..., None]:
    """A writing command holds the folder's lock from reading the base to replacing its
    files, so two people adding terms at once both keep their term."""

    @functools.wraps(command)
    def locked(*args: object, **kwargs: object) -> None:
        with upkeep.locked(_folder(), say=lambda line: click.echo(line, err=True)):
            return command(*args, **kwargs)

    return locked


def _as_dict(c: Concept) -> dict:
    return {"id": c.id, "domain": c.domain, "de": c.de, "variants": list(c.variants),
            "pos": c.pos, "case": c.case, "dnt": c.dnt, "targets": c.targets,
            "avoid": {lang: list(terms) for lang, terms in c.avoid.items()}, "note": c.note,
            "path": str(c.path), "line": c.line}


@click.group()
@click.option("--dir", "folder", default=Path("glossary"), show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Term base folder: one <domain>.tsv per domain.")
@click.option("--dict-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder of Ding/FreeDict dictionaries [default: $PIPELINE_DICTIONARIES, "
                   "else Debian's /usr/share/trans and /usr/share/dictd].")
@click.pass_context
def glossary(ctx: click.Context, folder: Path, dict_dir: Path | None) -> None:
    """List, edit, lint, export and import the term base."""
    ctx.find_root().ensure_object(dict).update(glossary_dir=folder, dict_dir=dict_dir)


@glossary.command("list")
@click.option("--domain", help="Only this domain (file stem).")
@click.option("--json", "as_json", is_flag=True, help="Print the concepts as JSON.")
def list_terms(domain: str | None, as_json: bool) -> None:
    """Print the concepts: id, domain, German headword and targets."""
    concepts = [c for c in load_folder(_folder()) if domain in (None, c.domain)]
    if as_json:
        click.echo(json.dumps([_as_dict(c) for c in concepts], ensure_ascii=False, indent=2))
        return
    for c in concepts:
        targets = " | ".join(f"{lang}: {term}" for lang, term in c.targets.items())
        click.echo(f"{c.id:<28} {c.domain:<8} {c.de} → {targets}{' (dnt)' if c.dnt else ''}")


@glossary.command()
@click.argument("concept_id")
@click.option("--de", required=True, help="German headword (dictionary form).")
@click.option("--en", default="", help="English target.")
@click.option("--fr", default="", help="French target.")
@click.option("--es", default="", help="Spanish target.")
@click.option("--target", "more", multiple=True, metavar="LANG=TERM",
              help="A target in another language (repeatable): --target it=sciopero.")
@click.option("--variants", default="", help="Other German spellings, '|'-separated.")
@click.option("--pos", type=click.Choice(POS_VALUES), help="[default: name with --dnt, else noun]")
@click.option("--case", "case", type=click.Choice(CASE_VALUES),
              help="[default: exact for names, else any]")
@click.option("--domain", help="File stem to add to [default: names with --dnt, else required].")
@click.option("--dnt", is_flag=True, help="A name: do not translate (missing targets = the name).")
@click.option("--avoid", default="", help="Known wrong renderings: en=x|fr=y.")
@click.option("--note", default="", help="Hint for translators.")
@click.option("--replace", is_flag=True, help="Overwrite the concept if the id exists.")
def add(concept_id: str, de: str, en: str, fr: str, es: str, more: tuple[str, ...],
        variants: str, pos: str | None, case: str | None, domain: str | None, dnt: bool,
        avoid: str, note: str, replace: bool) -> None:
    """Add concept CONCEPT_ID and rewrite its domain file, sorted. Any targets may be given
    (a missing en, fr or es is a lint warning); at least one unless --dnt."""
    targets = {"en": en, "fr": fr, "es": es}
    for item in more:
        lang, sep, term = (part.strip() for part in item.partition("="))
        if not sep or not lang or not term:
            raise GlossaryError(f"--target {item!r} is not LANG=TERM")
        targets[lang] = term
    added = upkeep.add_concept(_folder(), concept_id, de, targets,
                               variants=variants.split("|"), pos=pos, case=case, domain=domain,
                               dnt=dnt, avoid=avoid, note=note, replace=replace, say=_say)
    click.echo(f"{'replaced' if added.replaced else 'added'} {concept_id} in {added.path}")


@glossary.command()
@click.argument("concept_id")
@_locked
def remove(concept_id: str) -> None:
    """Remove concept CONCEPT_ID from its domain file."""
    folder = _folder()
    concepts = load_folder(folder)
    old = next((c for c in concepts if c.id == concept_id), None)
    if old is None:
        raise GlossaryError(f"no concept {concept_id!r}", path=folder)
    save_domains(folder, [c for c in concepts if c.id != concept_id], {old.domain})
    click.echo(f"removed {concept_id} from {old.path}")


@glossary.command("lint")
@click.option("--dictionaries", "use_dictionaries", is_flag=True,
              help="Also warn where a target is none of the offline dictionaries' "
                   "translations of its German term or variants.")
@click.pass_context
def lint_command(ctx: click.Context, use_dictionaries: bool) -> None:
    """Check the term base; exit 1 when there are errors (warnings alone pass)."""
    started = time.monotonic()
    dictionaries = _dictionaries() if use_dictionaries else None
    try:
        issues = lint_folder(_folder(), dictionaries)
    finally:
        if dictionaries is not None:
            dictionaries.close()
    for issue in issues:
        click.echo(str(issue))
    errors = sum(issue.severity == "error" for issue in issues)
    checked = (f" (with {len(dictionaries.sources)} dictionaries, "
               f"{time.monotonic() - started:.1f} s)" if dictionaries else "")
    click.echo(f"{errors} error(s), {len(issues) - errors} warning(s){checked}", err=True)
    if errors:
        ctx.exit(1)


@glossary.command()
@click.option("--format", "fmt", type=click.Choice(["tbx", "tbx2", "csv"]),
              help="tbx: TBX v3, tbx2: TBX v2 (TBX-Basic 2008) [default: from the -o "
                   "extension]")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="File to write ('-' for stdout).")
@click.option("--domain", help="Only this domain.")
def export(fmt: str | None, output: Path, domain: str | None) -> None:
    """Export the term base as TBX-Basic (TBX v3 or v2) or CSV."""
    from pipeline.infra.atomic import write_bytes

    fmt = fmt or output.suffix.lstrip(".").lower()
    if fmt not in ("tbx", "tbx2", "csv"):
        raise GlossaryError("say --format tbx, tbx2 or csv (the extension does not tell)",
                            path=output)
    concepts = [c for c in load_folder(_folder()) if domain in (None, c.domain)]
    data = (export_csv(concepts).encode("utf-8") if fmt == "csv"
            else export_tbx(concepts, version="2" if fmt == "tbx2" else "3"))
    if str(output) == "-":
        click.echo(data.decode("utf-8"), nl=False)
        return
    write_bytes(output, data)
    click.echo(f"exported {len(concepts)} concepts to {output}", err=True)


@glossary.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--domain", help="Put every imported concept in this domain.")
@click.option("--replace", is_flag=True, help="Overwrite existing concepts that differ.")
@_locked
def import_command(file: Path, domain: str | None, replace: bool) -> None:
    """Add or update concepts from a TBX (v3 or v2), CSV or TSV FILE (a suggestion file:
    its take=yes rows); a conflict is an error."""
    folder = _folder()
    existing = upkeep.existing(folder)
    incoming = read_exchange(file, domain)
    merged, counts = merge(existing, incoming, replace=replace)
    raise_errors(merged)
    ids = {c.id for c in incoming}
    save_domains(folder, merged, {c.domain for c in incoming}
                 | {c.domain for c in existing if c.id in ids})
    click.echo(f"imported {file}: " + ", ".join(f"{n} {k}" for k, n in counts.items()))


@glossary.command("suggest")
@click.argument("articles", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--min-count", default=1, show_default=True, type=click.IntRange(1),
              help="Fewest occurrences of a candidate (a single noun needs at least 2).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder whose review store gives reviewers' renderings "
                   "[default: ./locales when it has one].")
@click.option("-o", "--output", default="-", show_default=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="Suggestion TSV to write ('-' for stdout); edit it, then import it.")
def suggest_command(articles: tuple[Path, ...], min_count: int, out_dir: Path | None,
                    output: Path) -> None:
    """Propose concepts from German ARTICLES: compounds and phrases on the term base's parts,
    names, frequent domain nouns, with dictionary targets and reviewers' renderings."""
    from pipeline.glossary.match import load_glossary
    from pipeline.glossary.suggest import article_texts, render_suggestions, suggest

    glossary = load_glossary(_folder())
    langs = languages_of(glossary.concepts)
    reviewed = _reviewed(out_dir)
    dictionaries = _dictionaries()
    try:
        suggestions, coverage = suggest(article_texts(articles), glossary, dictionaries, langs,
                                        min_count=min_count, reviewed=reviewed)
    finally:
        dictionaries.close()
    _write(output, render_suggestions(suggestions, langs))
    _say(f"{len(suggestions)} suggestions from {len(articles)} article(s)")
    for line in coverage:
        _say(f"coverage {line}")


def _reviewed(out_dir: Path | None) -> list:
    """Signed-off sentences of ``out_dir`` (``./locales`` when it has a store, else none)."""
    from pipeline.store.db import NAME
    from pipeline.store.reviewed import reviewed_segments

    if out_dir is None:
        out_dir = Path("locales")
        if not (out_dir / NAME).is_file():
            return []
    return list(reviewed_segments(out_dir))


def _write(output: Path, text: str) -> None:
    from pipeline.infra.atomic import write_text

    if str(output) == "-":
        click.echo(text, nl=False)
    else:
        write_text(output, text)
        _say(f"wrote {output}")


@glossary.command("drift")
@click.option("--out", "out_dir", default=Path("locales"), show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Output folder whose review store holds the reviewed translations.")
@click.option("--json", "as_json", is_flag=True, help="Print the drift as JSON.")
def drift_command(out_dir: Path, as_json: bool) -> None:
    """List concepts whose reviewed translations use another rendering than the term base's
    (a reviewer disagreeing, or a variant the term base is missing)."""
    from pipeline.glossary.drift import find_drift
    from pipeline.glossary.match import load_glossary

    found = find_drift(load_glossary(_folder()), _reviewed(out_dir))
    if as_json:
        click.echo(json.dumps([d.as_dict() for d in found], ensure_ascii=False, indent=2))
    for d in found if not as_json else ():
        where = ", ".join(f"{slug} {sid}" for slug, sid, _ in d.places[:3])
        more = f" and {d.count - 3} more" if d.count > 3 else ""
        click.echo(f"{d.concept} {d.lang}: term base {d.target!r}, reviewers "
                   f"{d.rendering or '(not found)'!r} ×{d.count} ({where}{more})")
    _say(f"{len(found)} concept rendering(s) differ from the term base in {out_dir}")
