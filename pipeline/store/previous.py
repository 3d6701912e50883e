"""The past of one article in one language, as typed data: what the last run wrote, what a
person changed since (per segment), and what the last run left for review."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from pipeline.model.annotations import Conflict, Repair
from pipeline.model.status import Status

if TYPE_CHECKING:
    import polib

    from pipeline.model.document import Document


@dataclass(frozen=True)
class Written:
    """What the last run wrote for a segment; ``origin`` as in model.status."""

    source: str
    target: str
    origin: str
    engine: str | None = None


@dataclass(frozen=True)
class Edit:
    """A person's translation of a segment; ``status`` is draft, reviewed or final."""

    source: str
    target: str
    status: Status
    where: str
    conflict: Conflict | None = None


@dataclass(frozen=True)
class Left:
    """An entry the last run left unreviewed (fuzzy): its text and the repairs it needed."""

    source: str
    target: str
    previous_source: str | None = None
    repairs: tuple[Repair, ...] = ()


@dataclass(frozen=True)
class Previous:
    """One article and language as the last run and its reviewers left it.

    ``sources`` maps the segment ids of the last version to their sentences (to find the old
    sentence an edited one replaced); ``catalog`` is the PO file as read, which the PO writer
    merges with (comments and obsolete work are carried over).
    """

    edits: dict[str, Edit] = field(default_factory=dict)
    written: dict[str, Written] = field(default_factory=dict)
    left: dict[str, Left] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    po_file: str = "the PO file"
    catalog: polib.POFile | None = None
    #: the files this past was read from: any other file found at write time was not seen
    read: frozenset[Path] = frozenset()


class PreviousState(Protocol):
    """Where a run's past comes from (the output files today, a review store later)."""

    def load(self, document: Document, lang: str) -> Previous:
        """The past of ``document`` in ``lang``; an empty Previous when there is none."""


class NoPrevious:
    """A first run: nothing to reuse."""

    def load(self, document: Document, lang: str) -> Previous:
        return Previous()
