"""The past of one article in one language, as typed data: every segment as the review store
holds it (a person's work, the last machine output, what a sentence used to say).

``PreviousState`` is the seam a run reads its past through: ``place`` gives an article its
stable output name, ``load`` its past in one language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from pipeline.model.annotations import Choice, Conflict, Repair
from pipeline.model.status import Status

if TYPE_CHECKING:
    import polib

    from pipeline.model.document import Document


class Kind(StrEnum):
    """What a row of the store's history records."""

    RUN = "run"  # a run's output became the current target
    EDIT = "edit"  # a person's text became the current target
    ALTERNATIVE = "alternative"  # a person's text that lost a conflict; kept
    UNPLACED = "unplaced"  # a person's text for no segment the article has
    MIGRATED = "migrated"  # read from the files of an output folder the store did not know
    DISMISSED = "dismissed"  # a person set an alternative aside without taking it
    COMMENT = "comment"  # a person's comment on the segment (its text in ``target``)
    COMMENT_ASIDE = "comment-aside"  # a comment written against one that changed meanwhile

    @property
    def about_text(self) -> bool:
        """The row records a translation (not a comment on one)."""
        return self not in (Kind.COMMENT, Kind.COMMENT_ASIDE)


@dataclass(frozen=True)
class Kept:
    """One segment in one language as the store holds it.

    ``revision`` is the store's sequence number of the segment's last change (a run that
    finds it moved on has to leave it alone); ``present`` is False once the sentence left the
    article; ``memorized`` says a person's sign-off already went into the memory;
    ``conflicts`` are other people's texts for it that nobody has settled yet.
    """

    source: str
    target: str
    status: Status
    revision: int = 0
    engine: str | None = None
    where: str | None = None
    previous_source: str | None = None
    repairs: tuple[Repair, ...] = ()
    memorized: bool = False
    present: bool = True
    conflicts: tuple[Conflict, ...] = ()
    #: the hypotheses chosen by terms for this machine output, per concept: a run that
    #: reuses it keeps them (the term report and notes say the same as when it was made)
    choices: tuple[tuple[str, Choice], ...] = ()


@dataclass(frozen=True)
class Previous:
    """One article and language as the last run and its reviewers left it.

    ``catalog`` is the PO file as read, which the PO writer merges with (a reviewer's
    comments and obsolete work are carried over).
    """

    segments: dict[str, Kept] = field(default_factory=dict)
    catalog: polib.POFile | None = None

    @property
    def edits(self) -> dict[str, Kept]:
        """The segments that hold a person's words (draft, reviewed or final)."""
        return {sid: kept for sid, kept in self.segments.items() if kept.status.by_person}


class PreviousState(Protocol):
    """Where a run's past comes from (the review store; nothing, for a first run)."""

    def place(self, document: Document) -> Document:
        """``document`` under its stable output name (a name another article has gets a
        distinct one, remembered)."""

    def load(self, document: Document, lang: str) -> Previous:
        """The past of ``document`` in ``lang``; an empty Previous when there is none."""


class NoPrevious:
    """A first run: nothing to reuse."""

    def place(self, document: Document) -> Document:
        return document

    def load(self, document: Document, lang: str) -> Previous:
        return Previous()
