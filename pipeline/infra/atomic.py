"""Write files whole or not at all: a temp file in the same folder, fsync, then rename.

``tempfile.mkstemp`` creates its file 0600 whatever the umask, so the mode is set explicitly:
a replaced file keeps its own mode, a new one gets what ``open()`` would give it.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import tempfile
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
    path = Path(path)
    tmp_name = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = _target_mode(path)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX,
                                        dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as exc:
        reason = "disk full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
        raise OutputError(f"cannot write: {reason}", path=path) from None
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass


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
