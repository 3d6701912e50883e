"""System tools the tests use (not Python packages): found once, or their tests skip.

Each tool is looked up once per test session: the environment variable first (a path or a
command name; set but not found is an error, so a typo never turns into a quiet skip;
``none`` means "pretend it is absent"), then PATH and the Debian location. When it is absent
its tests skip with one line saying how to get it, except under ``CI=true``, where absent
fails: ``.ci/run`` installs every tool, so a skip there would hide a broken install step.
"""

from __future__ import annotations

import functools
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class Tool:
    """A program a test runs, where to look for it, and how a person gets it."""

    name: str
    env: str
    candidates: tuple[str, ...]
    install: str


TOOLS = {
    tool.name: tool for tool in (
        Tool("chromium", "PIPELINE_CHROMIUM", ("chromium", "/usr/bin/chromium"),
             "apt-get install chromium"),
        Tool("msgfmt", "PIPELINE_MSGFMT", ("msgfmt",), "apt-get install gettext"),
    )
}


class ToolError(Exception):
    """The environment names a tool that is not there."""


def _executable(candidate: str) -> str | None:
    """``candidate`` as an executable path: a file path as given, else a PATH lookup."""
    if os.sep in candidate:
        path = Path(candidate)
        return str(path) if path.is_file() and os.access(path, os.X_OK) else None
    return shutil.which(candidate)


@functools.cache
def find(name: str) -> str | None:
    """The tool's executable, or None when it is absent (or its variable says ``none``)."""
    tool = TOOLS[name]
    chosen = os.environ.get(tool.env)
    if chosen is not None:
        if chosen.strip().lower() == "none":
            return None
        found = _executable(chosen)
        if found is None:
            raise ToolError(f"{tool.env}={chosen!r} is not an executable; unset it, fix it, "
                            f"or set {tool.env}=none to skip {name}'s tests")
        return found
    return next((found for c in tool.candidates if (found := _executable(c))), None)


def require(name: str) -> str:
    """The tool's executable; else this test skips (fails under CI=true) with how to get it."""
    tool = TOOLS[name]
    try:
        found = find(name)
    except ToolError as exc:
        pytest.fail(str(exc), pytrace=False)
    if found is None:
        reason = (f"{name} not found ({tool.env}, then PATH): {tool.install}, "
                  f"or set {tool.env} to its path")
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true: {reason}", pytrace=False)
        pytest.skip(reason)
    return found


#: The Debian dictionaries (data, not programs) and the file each installs.
DICTIONARIES = {
    "trans-de-en": "/usr/share/trans/de-en",
    **{f"dict-freedict-{pair}": f"/usr/share/dictd/freedict-{pair}.index"
       for pair in ("deu-eng", "deu-fra", "deu-spa", "eng-fra", "eng-spa")},
}


def require_dictionaries() -> None:
    """The real Debian dictionaries are installed; else this test skips (fails under CI=true)
    with the apt-get line."""
    missing = [name for name, path in DICTIONARIES.items() if not Path(path).is_file()]
    if missing:
        reason = f"dictionaries not installed: apt-get install {' '.join(missing)}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true: {reason}", pytrace=False)
        pytest.skip(reason)
