"""A real ``python -m pipeline`` child process that stops at exact points (see hook/), for
tests that kill it there or act while it waits: a reviewer's save, a second run."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from ..conftest import ROOT

HOOK = Path(__file__).resolve().parent / "hook"
#: hang guard only: every child finishes in seconds
LIMIT = 120


def pipeline_env(**extra: str) -> dict[str, str]:
    """The environment of a child: reproducible dates, the hooks on the path."""
    path = os.pathsep.join(filter(None, [str(HOOK), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "SOURCE_DATE_EPOCH": "1767225600", "PYTHONPATH": path,
            "PIPELINE_TEST_ROOT": str(ROOT), **extra}


def run_cli(*args: object, cwd: Path | None = None, **extra: str) -> subprocess.CompletedProcess:
    """One whole CLI run in a child, as a user's shell runs it."""
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], cwd=cwd or ROOT,
                          env=pipeline_env(**extra), capture_output=True, text=True,
                          timeout=LIMIT, check=False)


class Child:
    """Start ``python -m pipeline ARGS`` with stopping hooks; ``hooks`` are the hook/
    settings without their ``PIPELINE_TEST_`` prefix (``STOP_REPLACE="3"``)."""

    def __init__(self, *args: object, scratch: Path, out: Path, resume: bool = False,
                 cwd: Path | None = None, **hooks: str) -> None:
        tag = uuid.uuid4().hex[:8]
        self.fifo = scratch / f"stop-{tag}"
        os.mkfifo(self.fifo)
        env = {"PIPELINE_TEST_FIFO": str(self.fifo), "PIPELINE_TEST_OUT": str(out),
               **{f"PIPELINE_TEST_{key}": value for key, value in hooks.items()}}
        self.go_fifo = None
        if resume:
            self.go_fifo = scratch / f"go-{tag}"
            os.mkfifo(self.go_fifo)
            env["PIPELINE_TEST_GO"] = str(self.go_fifo)
        # held open for reading and writing: the parent never sees an end of file
        self._reader = os.open(self.fifo, os.O_RDWR | os.O_NONBLOCK)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pipeline", *map(str, args)], cwd=cwd or ROOT,
            env=pipeline_env(**env), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def stopped(self) -> str:
        """Wait until the child stops at its hook; the line it wrote. A child that ends
        instead fails the test with its output."""
        deadline = time.monotonic() + LIMIT
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self._reader], [], [], 0.05)
            if ready:
                return os.read(self._reader, 4096).decode("utf-8").strip()
            if self.process.poll() is not None:
                out, err = self.process.communicate()
                raise AssertionError(f"the child ended ({self.process.returncode}) before its "
                                     f"stop:\n{out}\n{err}")
        self.kill()
        raise AssertionError("the child never reached its stop")

    def resume(self) -> None:
        assert self.go_fifo is not None, "start the child with resume=True"
        with open(self.go_fifo, "w", encoding="utf-8") as go:
            go.write("go\n")

    def kill(self, sig: int = signal.SIGKILL) -> int:
        """Send ``sig`` (a real signal from this process) and reap the child."""
        os.kill(self.process.pid, sig)
        self.process.communicate(timeout=LIMIT)
        return self.process.returncode

    def finish(self) -> subprocess.CompletedProcess:
        out, err = self.process.communicate(timeout=LIMIT)
        return subprocess.CompletedProcess(self.process.args, self.process.returncode, out, err)

    def close(self) -> None:
        """Never leave a child behind, whatever the test did."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.communicate()
        os.close(self._reader)
