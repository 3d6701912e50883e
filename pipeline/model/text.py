"""Text normalisation shared by segment ids, memory keys and matching: one definition each."""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")


def normalize_space(text: str) -> str:
    """Collapse runs of white space, so line wrapping never changes a segment's identity."""
    return _SPACE.sub(" ", text).strip()


def source_key(text: str) -> str:
    """The memory's lookup key: NFC, white space collapsed; case kept, German capitals carry
    meaning."""
    return normalize_space(unicodedata.normalize("NFC", text))


def counted(count: int, word: str) -> str:
    """``1 segment``, ``2 segments``: for messages and summaries."""
    return f"{count} {word}{'' if count == 1 else 's'}"
