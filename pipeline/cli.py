"""A thin click CLI over the library; every PipelineError becomes one line and exit code 1.

Heavy modules are imported inside the commands, so ``--help`` stays fast.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from pipeline.model.errors import PipelineError

EXIT_ERROR = 1
EXIT_INTERNAL = 2


class PipelineGroup(click.Group):
    """Turns expected errors into one clean line; ``--debug`` shows the traceback instead."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except PipelineError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"error: {exc}", err=True)
            ctx.exit(EXIT_ERROR)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)
        except Exception as exc:  # noqa: BLE001 - last resort: one line, not a traceback
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"internal error: {type(exc).__name__}: {exc} (rerun with --debug)",
                       err=True)
            ctx.exit(EXIT_INTERNAL)


@click.group(cls=PipelineGroup)
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.version_option(package_name="news-l10n-pipeline", message="%(version)s")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Offline translation and localization of German news articles."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def _models_option(func):
    return click.option(
        "--models-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
        help="Folder of installed Argos packages [PIPELINE_MODELS_DIR, ARGOS_PACKAGES_DIR, "
             "or Argos's default].",
    )(func)


def _glossary_dir(given: Path | None) -> Path | None:
    """The folder given, else ./glossary when there is one (the project's term base)."""
    if given is not None:
        return given
    default = Path("glossary")
    return default if default.is_dir() and any(default.glob("*.tsv")) else None


def _split_langs(value: str) -> tuple[str, ...]:
    return tuple(code.strip() for code in value.split(",") if code.strip())


@cli.command()
@click.argument("articles", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--to", "targets", required=True, help="Target languages, comma-separated: en,fr,es")
@click.option("--from", "source", default="de", show_default=True, help="Source language.")
@click.option("--out", "out_dir", default=Path("locales"), show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Output root.")
@click.option("--engine", "engine_name", default="argos", show_default=True,
              type=click.Choice(["argos", "pseudo"]), help="Translation engine.")
@_models_option
@click.option("--tweets", type=click.Choice(["translate", "keep"]), default="translate",
              show_default=True, help="Translate embedded tweets or keep them verbatim.")
@click.option("--device", type=click.Choice(["cpu", "cuda", "auto"]), default="cpu",
              show_default=True, help="Where CTranslate2 runs.")
@click.option("--compute-type", default="int8", show_default=True,
              type=click.Choice(["int8", "int8_float32", "int8_float16", "int8_bfloat16", "int16",
                                 "float16", "bfloat16", "float32", "default", "auto"]),
              help="CTranslate2 compute type.")
@click.option("--threads", type=click.IntRange(0), default=0, show_default=True,
              help="CPU threads per translation (0: CTranslate2 decides).")
@click.option("--beam-size", type=click.IntRange(1), default=4, show_default=True)
@click.option("--max-length", type=click.IntRange(1), default=256, show_default=True,
              help="Longest output in tokens.")
@click.option("--max-size", type=click.FloatRange(min=0, min_open=True), default=2.0,
              show_default=True, help="Largest article accepted, in MB.")
@click.option("--memory", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Translation memory file [OUT/memory.sqlite].")
@click.option("--glossary", "glossary_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Term base folder [./glossary when it exists].")
@click.option("--no-glossary", is_flag=True, help="Translate without the term base.")
@click.option("--term-strategy", type=click.Choice(["dnt-only", "placeholder", "none"]),
              default="dnt-only", show_default=True,
              help="What the glossary masks before MT (all terms are checked after).")
@click.option("--fuzzy-threshold", type=click.FloatRange(0, 100), default=75.0,
              show_default=True, help="Lowest similarity (0-100) of a memory suggestion.")
@click.option("--retranslate", is_flag=True,
              help="Machine-translate again what is not reviewed (e.g. after a model upgrade).")
@click.option("--quiet", is_flag=True, help="No progress bars.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON report of what was written.")
def run(articles, targets, source, out_dir, engine_name, models_dir, tweets, device,
        compute_type, threads, beam_size, max_length, max_size, glossary_dir, no_glossary,
        term_strategy, fuzzy_threshold, memory, retranslate, quiet, as_json) -> None:
    """Translate ARTICLES (text, Markdown or HTML) into every --to language."""
    from pipeline.engine import DecodeOptions, load_engine
    from pipeline.packages import default_models_dir
    from pipeline.runner import RunOptions
    from pipeline.runner import run as run_job

    if engine_name == "argos":
        options = DecodeOptions(device=device, compute_type=compute_type, intra_threads=threads,
                                beam_size=beam_size, max_decoding_length=max_length)
        engine = load_engine("argos", models_dir=models_dir or default_models_dir(),
                             options=options, quiet=quiet or as_json)
    else:
        engine = load_engine(engine_name, quiet=quiet or as_json)
    results = run_job(
        articles,
        RunOptions(targets=_split_langs(targets), source=source, out_dir=out_dir, tweets=tweets,
                   quiet=quiet or as_json, max_bytes=int(max_size * 1024 * 1024),
                   memory=memory, retranslate=retranslate, term_strategy=term_strategy,
                   fuzzy_threshold=fuzzy_threshold,
                   glossary=None if no_glossary else _glossary_dir(glossary_dir)),
        engine,
    )
    if as_json:
        click.echo(json.dumps([
            {"article": r.article, "lang": r.lang, "po": str(r.paths.po),
             "markdown": str(r.paths.markdown), "jsonl": str(r.paths.jsonl),
             "xliff": str(r.paths.xliff), "review": str(r.review), "segments": r.segments,
             "origins": r.counts, "translated_now": r.translated_now, "repairs": r.repairs,
             "qa_errors": r.errors,
             "terms": r.terms}
            for r in results
        ], ensure_ascii=False, indent=2))
    elif not quiet:
        for r in results:
            origins = ", ".join(f"{n} {k}" for k, n in sorted(r.counts.items()))
            click.echo(f"{r.lang}: {r.paths.po} ({r.segments} segments: {origins}; "
                       f"{r.translated_now} machine-translated now; {r.errors} QA errors)")
        if results:
            click.echo(f"review: {results[0].review}")


@cli.group()
def models() -> None:
    """List and install Argos Translate packages."""


@models.command("list")
@_models_option
@click.option("--available", is_flag=True, help="List the online index instead (needs network).")
@click.option("--json", "as_json", is_flag=True)
def models_list(models_dir, available, as_json) -> None:
    """Installed packages (or, with --available, the packages in the Argos index)."""
    from pipeline import packages

    if available:
        rows = [{"pair": f"{e.get('from_code')}-{e.get('to_code')}",
                 "version": e.get("package_version", ""), "path": ""}
                for e in packages.fetch_index()]
    else:
        folder = models_dir or packages.default_models_dir()
        rows = [{"pair": p.pair, "version": p.version, "path": str(p.path)}
                for p in packages.installed_packages(folder)]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo("no packages installed" if not available else "the index is empty", err=True)
    for row in rows:
        click.echo(f"{row['pair']:<8} {row['version']:<8} {row['path']}".rstrip())


@models.command("install")
@click.argument("specs", nargs=-1, required=True)
@_models_option
@click.option("--quiet", is_flag=True, help="No progress bars.")
def models_install(specs, models_dir, quiet) -> None:
    """Install SPECS: pairs like de-en (from the Argos index) or .argosmodel files (offline)."""
    from pipeline import packages

    folder = models_dir or packages.default_models_dir()
    for spec in specs:
        if spec.endswith(".argosmodel") or Path(spec).exists():
            pkg = packages.install_file(Path(spec), folder)
        else:
            pkg = packages.install_pair(spec, folder, quiet=quiet)
        click.echo(f"installed {pkg.pair} {pkg.version} in {pkg.path}")


def _register() -> None:
    """Commands that live in their own modules (imported lazily inside each command)."""
    from pipeline.glossary_cli import glossary
    from pipeline.memory_cli import import_command, tm
    from pipeline.qa_cli import check, evaluate_command

    cli.add_command(check)
    cli.add_command(evaluate_command)
    cli.add_command(import_command)
    cli.add_command(tm)
    cli.add_command(glossary)


_register()


def main() -> None:
    """Console entry point: usage errors too are one line (with the command to get help)."""
    try:
        code = cli.main(prog_name="python -m pipeline", standalone_mode=False)
    except click.UsageError as exc:
        where = exc.ctx.command_path if exc.ctx else "python -m pipeline"
        click.echo(f"error: {exc.format_message()} (see: {where} --help)", err=True)
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        click.echo(f"error: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("interrupted", err=True)
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)
