"""An advisory lock per folder (``flock`` on a lock file), held only around short sections.

The kernel drops a ``flock`` when its holder dies, even by SIGKILL, so a crashed run never
leaves a stale lock behind. The holder writes its pid into the file for the waiting message.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from pipeline.model.errors import OutputError

LOCK_NAME = ".pipeline.lock"


@contextlib.contextmanager
def hold(folder: Path, *, wait: bool = True, what: str = "the output folder",
         say: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold ``folder``'s lock for the ``with`` body; another holder makes this wait (saying
    so once through ``say``), or fail at once with ``wait=False``."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise OutputError(f"cannot lock {what}: {exc.strerror or exc}", path=folder) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            if not wait:
                raise OutputError(f"{what} is in use by another process{holder}; "
                                  "try again when it is done (or drop --no-wait)",
                                  path=folder) from None
            if say is not None:
                say(f"waiting for another process{holder} to finish with {folder} …")
            fcntl.flock(fd, fcntl.LOCK_EX)  # the kernel wakes waiters in turn; Ctrl-C works
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _holder(fd: int) -> str:
    try:
        pid = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return ""
    return f" (pid {pid})" if pid.isdigit() else ""
