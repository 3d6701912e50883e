"""``review``: the review workspace in a browser, served from this machine."""

from __future__ import annotations

import socket
from pathlib import Path

import click


@click.command("review")
@click.option("--out", "out_dir", default=Path("locales"), show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Output root.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but loopback needs a token.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True)
@click.option("--token", default=None,
              help="Access token, 8 characters or more [generated and printed when --host "
                   "is not loopback].")
@click.option("--allow-host", "extra_hosts", multiple=True,
              help="Another name this machine is reached by (checked against Host headers).")
@click.option("--glossary", "glossary", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Term base the pages add terms to [./glossary when it exists].")
@click.option("--no-glossary", is_flag=True, help="No *Add to glossary* on the pages.")
def review(out_dir: Path, host: str, port: int, token: str | None,
           extra_hosts: tuple[str, ...], glossary: Path | None, no_glossary: bool) -> None:
    """Serve the review workspace for OUT until Ctrl-C: every article side by side in its
    languages, from the review store."""
    import uvicorn

    from pipeline.cli.run import default_glossary
    from pipeline.model.errors import OptionError
    from pipeline.workspace.app import create_app
    from pipeline.workspace.security import is_loopback, new_token

    if token is not None and len(token) < 8:
        raise OptionError("--token needs at least 8 characters")
    if token is None and not is_loopback(host):
        token = new_token()
    terms = None if no_glossary else default_glossary(glossary)
    app = create_app(out_dir, host=host, token=token, extra_hosts=extra_hosts, glossary=terms)
    named = socket.gethostname() if host in ("0.0.0.0", "::") else host  # noqa: S104 (naming it)
    shown = f"[{named}]" if ":" in named else named
    link = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
    click.echo(f"review workspace for {out_dir}: {link}  (Ctrl-C stops it)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
