"""``nox -s sample``'s script: it runs offline, and the next steps it prints run as printed."""

from __future__ import annotations

import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from .conftest import ROOT


def test_printed_next_steps_run_as_printed(tmp_path):
    out, cache = tmp_path / "out", tmp_path / "models"
    done = subprocess.run(
        [sys.executable, "bench/sample.py", "--to", "en,fr", "--out", str(out),
         "--models-cache", str(cache), "--quiet"],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "building offline TEST packages" in done.stderr
    printed = done.stdout.split("\nNext, from this folder", 1)[1].splitlines()[2:]
    commands = [line.strip() for line in printed if line.strip() and
                not line.strip().startswith("#")]
    assert [shlex.split(c)[3] for c in commands] == ["check", "tm", "import", "run"]
    for command in commands:
        # the interpreter that has the pipeline installed (relative to the project folder)
        assert (ROOT / shlex.split(command)[0]).absolute() == Path(sys.executable).absolute()
        # as a person types it: one shell line, from the project folder
        ran = subprocess.run(command, shell=True, cwd=ROOT, capture_output=True, text=True,
                             timeout=600, check=False)
        assert ran.returncode == 0, f"{command}\n{ran.stderr[-2000:]}"
    assert (out / "en" / "LC_MESSAGES" / "sora-hollywood.po").is_file()
    assert (out / "memory.sqlite").is_file()
    assert any("open" in line and "review" in line for line in printed)
    [workspace] = [line.split("#", 1)[1].strip() for line in printed if " review --out" in line]
    _serves(workspace)


def _serves(command: str) -> None:
    """The printed workspace command starts a server that answers (on a free port here)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(f"{command} --port {port}", shell=True, cwd=ROOT,
                              stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as page:
                    assert page.status == 200 and b"sora-hollywood" in page.read()
                    return
            except OSError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                time.sleep(0.2)
        raise AssertionError("the workspace never answered")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.communicate(timeout=30)
