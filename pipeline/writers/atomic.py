"""Write files whole or not at all: a temp file in the same folder, fsync, then rename."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from pipeline.errors import OutputError


def write_text(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8, LF); readers never see a half-written file."""
    write_bytes(path, text.encode("utf-8"))


def write_bytes(path: Path, data: bytes) -> None:
    """Atomic replace; any OS error becomes one OutputError naming the file."""
    path = Path(path)
    tmp_name = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
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
