"""A word diff for reviewers: what a memory match's source or a sentence's old wording has
that the current sentence has not, and the other way round. Words, spaces and punctuation
are the units (a changed comma shows as one), as CAT tools show fuzzy matches."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from enum import StrEnum

#: Beyond this many tokens on a side the texts are shown as replaced whole (the diff is
#: quadratic at worst, and no reviewer reads a diff of a wall of text).
MAX_TOKENS = 1_000
_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


class Change(StrEnum):
    SAME = "same"
    REMOVED = "removed"  # only in the old text
    ADDED = "added"  # only in the new text


@dataclass(frozen=True)
class Piece:
    text: str
    change: Change


def word_diff(old: str, new: str) -> tuple[Piece, ...]:
    """``old`` turned into ``new``, as pieces in reading order (removed before added)."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    if len(a) > MAX_TOKENS or len(b) > MAX_TOKENS:
        return _merged([Piece(old, Change.REMOVED), Piece(new, Change.ADDED)])
    pieces = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            pieces.append(Piece("".join(a[i1:i2]), Change.SAME))
            continue
        pieces.append(Piece("".join(a[i1:i2]), Change.REMOVED))
        pieces.append(Piece("".join(b[j1:j2]), Change.ADDED))
    return _merged(pieces)


def _merged(pieces: list[Piece]) -> tuple[Piece, ...]:
    """Empty pieces dropped, neighbours of one kind joined."""
    out: list[Piece] = []
    for piece in pieces:
        if not piece.text:
            continue
        if out and out[-1].change is piece.change:
            out[-1] = Piece(out[-1].text + piece.text, piece.change)
        else:
            out.append(piece)
    return tuple(out)
