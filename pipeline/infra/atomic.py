"""Write files whole or not at all: a temp file in the same folder, fsync, then rename.

``write_all`` does it for an article's files at once: their temp files are written and
synced side by side (the file system commits the syncs together: a third of the time on
ext4 here), then renamed one by one in the order given.

``tempfile.mkstemp`` creates its file 0600 whatever the umask, so the mode is set explicitly:
a replaced file keeps its own mode, a new one gets what ``open()`` would give it.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import re
import stat
import tempfile
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pipeline.model.errors import OutputError

TEMP_SUFFIX = ".tmp"
#: A temp file of ``write_bytes`` for a file named NAME: ``.NAME.<8 of tempfile's letters>.tmp``
_TEMP_NAME = re.compile(r"^\.(?P<name>.+)\.[a-z0-9_]{8}" + re.escape(TEMP_SUFFIX) + "$")


def temp_of(name: str) -> str | None:
    """The file a temp file of ours was for (by its name), or None if it is not one."""
    match = _TEMP_NAME.match(name)
    return match["name"] if match else None


#: What ``open(path, "w")`` asks for before the umask takes its bits away.
_NEW_FILE_MODE = 0o666


def write_text(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8, LF); readers never see a half-written file."""
    write_bytes(path, text.encode("utf-8"))


def write_bytes(path: Path, data: bytes) -> None:
    """Atomic replace; any OS error becomes one OutputError naming the file."""
    write_all([(Path(path), data)])


#: a file and its new content; None removes it
Change = tuple[Path, bytes | None]


def write_all(files: Sequence[Change]) -> None:
    """Replace (or, for None, remove) each file atomically, in the order given; the data of
    all of them is on disk before the first rename. An OS error is one OutputError naming
    the file, and leaves no temp file behind."""
    jobs = {index: _pool().submit(_staged, path, data)
            for index, (path, data) in enumerate(files) if data is not None}
    staged: dict[int, str] = {}
    failure: BaseException | None = None
    for index, job in jobs.items():  # every one is waited for: none is left behind
        try:
            staged[index] = job.result()
        except BaseException as exc:  # noqa: BLE001 - re-raised below, after cleaning up
            failure = failure or exc
    try:
        if failure is not None:
            raise failure
        for index, (path, _) in enumerate(files):
            _settle(path, staged.pop(index, None))
    finally:
        for name in staged.values():
            _discard(name)


def _staged(path: Path, data: bytes) -> str:
    """A synced temp file beside ``path`` holding ``data``, with the mode ``path`` keeps."""
    with _named(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = _target_mode(path)
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX,
                                    dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                os.fchmod(handle.fileno(), mode)
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException:
            _discard(name)
            raise
        return name


def _settle(path: Path, staged: str | None) -> None:
    """Rename the staged file over ``path``, or remove ``path`` when nothing was staged."""
    with _named(path):
        if staged is None:
            path.unlink(missing_ok=True)
        else:
            os.replace(staged, path)


@contextlib.contextmanager
def _named(path: Path) -> Iterator[None]:
    """An OS error as one OutputError naming ``path``."""
    try:
        yield
    except OSError as exc:
        reason = "disk full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
        raise OutputError(f"cannot write: {reason}", path=path) from None


def _discard(name: str) -> None:
    try:
        os.unlink(name)
    except OSError:
        pass


@functools.lru_cache(maxsize=1)
def _pool() -> ThreadPoolExecutor:
    """Threads that wait on fsync (no Python work): a few more than the cores is fine."""
    return ThreadPoolExecutor(max_workers=8, thread_name_prefix="fsync")


def _target_mode(path: Path) -> int:
    """The existing file's permission bits, else the mode a plain ``open()`` would create."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        return _NEW_FILE_MODE & ~_current_umask()


def _current_umask() -> int:
    """The process umask, read without changing it where Linux allows."""
    mask = _proc_umask()
    if mask is not None:
        return mask
    # No /proc: the umask can only be read by setting it. It is process-wide, so the window is
    # two calls long, and 0o077 is what other threads would briefly get: too strict, never open.
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


def _proc_umask() -> int | None:
    """``Umask:`` from /proc/self/status (Linux 4.7+), or None where it is not there."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        return None
    return None
