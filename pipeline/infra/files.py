"""Reading an input file: bounded, whatever it is (a file, a pipe, a device), with one clear
error per way it can fail.

Each kind of input has its own limit, far above any real file of that kind and far below what
would exhaust memory; a larger input is refused with its name, before it is parsed.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.model.errors import InputError

MB = 1024 * 1024
#: The largest input of each kind, in bytes (articles: --max-size, 2 MB by default).
LIMITS = {
    "article": 2 * MB,
    "bilingual": 64 * MB,  # PO, XLIFF, JSONL: an article's outputs are a few times its size
    "tmx": 512 * MB,  # a whole memory exported
    "termbase": 16 * MB,  # TSV, TBX, CSV
    "text": 64 * MB,  # plain reference or hypothesis text for eval
}
_CHUNK = 1024 * 1024


def read_input(path: Path, what: str = "an input file", limit: int = LIMITS["bilingual"]
               ) -> bytes:
    """The file's bytes, at most ``limit`` of them; a missing file, a folder, an unreadable
    file or one that goes on past the limit (``/dev/zero``, an endless pipe) is an InputError."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            data = bytearray()
            while len(data) <= limit:
                chunk = handle.read(min(_CHUNK, limit + 1 - len(data)))
                if not chunk:
                    return bytes(data)
                data += chunk
    except FileNotFoundError:
        raise InputError("no such file", path=path) from None
    except IsADirectoryError:
        raise InputError(f"is a directory, not {what}", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=path) from None
    raise InputError(f"larger than {_size(limit)}, the limit for {what}", path=path)


def read_text(path: Path, what: str, limit: int, encoding: str = "utf-8") -> str:
    """A bounded text file; bytes that are not ``encoding`` name their line."""
    data = read_input(path, what, limit)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"not valid {encoding} (byte 0x{data[exc.start]:02x})", path=path,
                         line=line) from None


def _size(limit: int) -> str:
    return f"{limit / MB:g} MB" if limit >= MB else f"{limit} bytes"
