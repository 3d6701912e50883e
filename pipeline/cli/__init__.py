"""A thin click CLI over the library; every PipelineError becomes one line and exit code 1.

Heavy modules are imported inside the commands, so ``--help`` stays fast.
"""

from __future__ import annotations

import os
import sys

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
        except BrokenPipeError:  # `check … | head` closed the pipe: the reader has enough
            _quiet_stdout()
            ctx.exit(EXIT_ERROR)
        except Exception as exc:  # noqa: BLE001 - last resort: one line, not a traceback
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"internal error: {type(exc).__name__}: {exc} (rerun with --debug)",
                       err=True)
            ctx.exit(EXIT_INTERNAL)


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's final flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


@click.group(cls=PipelineGroup)
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.version_option(package_name="news-l10n-pipeline", message="%(version)s")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Offline translation and localization of German news articles."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def _register() -> None:
    """Commands that live in their own modules (imported lazily inside each command)."""
    from pipeline.cli.glossary import glossary
    from pipeline.cli.memory import import_command, tm
    from pipeline.cli.models import models
    from pipeline.cli.qa import check, evaluate_command
    from pipeline.cli.run import run
    from pipeline.cli.store import store
    from pipeline.cli.workspace import review

    cli.add_command(run)
    cli.add_command(models)
    cli.add_command(check)
    cli.add_command(evaluate_command)
    cli.add_command(import_command)
    cli.add_command(tm)
    cli.add_command(glossary)
    cli.add_command(store)
    cli.add_command(review)


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
