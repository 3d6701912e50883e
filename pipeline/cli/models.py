"""``models list|install``: the Argos packages the engine can use."""

from __future__ import annotations

import json
from pathlib import Path

import click


def models_option(func):
    return click.option(
        "--models-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
        help="Folder of installed Argos packages [PIPELINE_MODELS_DIR, ARGOS_PACKAGES_DIR, "
             "or Argos's default].",
    )(func)


@click.group()
def models() -> None:
    """List and install Argos Translate packages."""


@models.command("list")
@models_option
@click.option("--available", is_flag=True, help="List the online index instead (needs network).")
@click.option("--json", "as_json", is_flag=True)
def models_list(models_dir, available, as_json) -> None:
    """Installed packages (or, with --available, the packages in the Argos index)."""
    from pipeline.mt import packages

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
@models_option
@click.option("--quiet", is_flag=True, help="No progress bars.")
def models_install(specs, models_dir, quiet) -> None:
    """Install SPECS: pairs like de-en (from the Argos index) or .argosmodel files (offline)."""
    from pipeline.mt import packages

    folder = models_dir or packages.default_models_dir()
    for spec in specs:
        if spec.endswith(".argosmodel") or Path(spec).exists():
            pkg = packages.install_file(Path(spec), folder)
        else:
            pkg = packages.install_pair(spec, folder, quiet=quiet)
        click.echo(f"installed {pkg.pair} {pkg.version} in {pkg.path}")


