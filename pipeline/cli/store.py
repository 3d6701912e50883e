"""``store``: the review store of an output folder — its history, and a safe backup."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

_OUT = click.option("--out", "out_dir", default=Path("locales"), show_default=True,
                    type=click.Path(file_okay=False, path_type=Path), help="Output root.")


@click.group()
def store() -> None:
    """The review store (OUT/review.sqlite): every text a person or a run ever gave a
    segment, and backups."""


def _existing(out_dir: Path) -> Path:
    from pipeline.model.errors import InputError
    from pipeline.store.db import NAME

    path = out_dir / NAME
    if not path.is_file():
        raise InputError("no review store here (run the pipeline into this folder first)",
                         path=path)
    return path


@store.command("history")
@_OUT
@click.argument("article")
@click.option("--lang", default=None, help="Only this target language.")
@click.option("--segment", "sid", default=None, help="Only this segment id (the PO msgctxt).")
def store_history(out_dir, article, lang, sid) -> None:
    """Every change of ARTICLE (its output name), oldest first, one JSON object per line:
    runs, people's edits, alternatives (``open`` until settled), unplaced texts."""
    from pipeline.model import languages
    from pipeline.store.db import ReviewStore

    with ReviewStore.open(_existing(out_dir)) as review:
        events = review.history(review.article_id(article),
                                languages.gettext(lang) if lang else None, sid)
    for event in events:
        click.echo(json.dumps(asdict(event), ensure_ascii=False))


@store.command("backup")
@_OUT
@click.argument("destination", type=click.Path(dir_okay=False, path_type=Path))
def store_backup(out_dir, destination) -> None:
    """Copy the review store, whole and consistent, into the new file DESTINATION (safe
    while runs use it; a plain copy may miss rows still in review.sqlite-wal)."""
    from pipeline.store.db import ReviewStore

    with ReviewStore.open(_existing(out_dir)) as review:
        review.backup(destination)
    click.echo(f"{destination}: backup of {out_dir}")


@store.command("render")
@_OUT
@click.argument("article")
def store_render(out_dir, article) -> None:
    """Render every file of ARTICLE again from the store alone (no source file, no engine):
    a deleted or damaged output comes back; edits in the files are read in first."""
    from pipeline.run.views import rerender

    _existing(out_dir)
    for path in rerender(out_dir, article):
        click.echo(path)
