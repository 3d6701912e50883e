"""Drive headless Chromium from tests: the DOM after scripts ran, or a screenshot.

A real browser is the only honest check that a generated page is safe and renders: an HTML
parser cannot tell whether a script would run. Chromium is found through :mod:`tests.tools`
(``PIPELINE_CHROMIUM``, then PATH): absent, its tests skip, except under CI (CI installs
Debian's ``chromium``).
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
from pathlib import Path

import pytest

from .tools import require

TIMEOUT_S = 60
#: Offline, quiet, reproducible: no network services, no first-run UI, no GPU.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def chromium() -> str:
    """The Chromium binary; absent, the test skips (fails under CI=true) saying how to get it."""
    return require("chromium")


def dump_dom(html_path: Path, *, timeout: float = TIMEOUT_S) -> str:
    """The serialized DOM of ``html_path`` after Chromium loaded it and ran any script."""
    return _run(["--dump-dom"], html_path, timeout).stdout


def screenshot(
    html_path: Path, png_path: Path, size: tuple[int, int] = (1280, 900), *,
    timeout: float = TIMEOUT_S,
) -> Path:
    """A PNG of the page's first viewport at ``size`` (width, height)."""
    png_path = Path(png_path).resolve()
    width, height = size
    _run([f"--window-size={width},{height}", "--hide-scrollbars", f"--screenshot={png_path}"],
         html_path, timeout)
    if not png_path.is_file():
        pytest.fail(f"Chromium wrote no screenshot to {png_path}", pytrace=False)
    return png_path


def _run(args: list[str], html_path: Path, timeout: float) -> subprocess.CompletedProcess:
    """One Chromium run with a throwaway profile, so runs never share state.

    Chromium runs in its own process group: on a timeout the whole group (its renderer and
    GPU helpers included) is killed, not just the launcher script.
    """
    url = Path(html_path).resolve().as_uri()
    with tempfile.TemporaryDirectory(prefix="chromium-profile-",
                                     ignore_cleanup_errors=True) as profile:
        command = [chromium(), *FLAGS, f"--user-data-dir={profile}", *args, url]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True, start_new_session=True)
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            pytest.fail(f"Chromium took over {timeout:g} s on {url}", pytrace=False)
    if process.returncode != 0:
        pytest.fail(f"Chromium exited {process.returncode} on {url}:\n{stderr[-2000:]}",
                    pytrace=False)
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def loopback_only(blocked: list[str]):
    """A Playwright route handler: requests to 127.0.0.1 go on, any other is aborted and its
    URL kept in ``blocked`` (the tests assert what, if anything, a page asked for)."""
    from urllib.parse import urlsplit

    def route(request_route) -> None:
        if urlsplit(request_route.request.url).hostname == "127.0.0.1":
            request_route.continue_()
        else:
            blocked.append(request_route.request.url)
            request_route.abort()

    return route
