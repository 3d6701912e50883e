"""Reading an input file with one clear error per way it can fail."""

from __future__ import annotations

from pathlib import Path

from pipeline.model.errors import InputError


def read_input(path: Path, what: str = "an input file") -> bytes:
    """The file's bytes; a missing file, a folder or an unreadable file is an InputError."""
    path = Path(path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", path=path) from None
    except IsADirectoryError:
        raise InputError(f"is a directory, not {what}", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=path) from None
