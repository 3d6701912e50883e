"""How far a target got, defined once, and how each status is written in every format.

A run and a reviewer's files only ever speak of a status through this table: writers look
up the form for a status, readers map what a file says back to a status.

=============  ======  ===========  ==================  ============  ============
status         PO      XLIFF state  XLIFF subState      JSONL origin  review page
=============  ======  ===========  ==================  ============  ============
machine        fuzzy   initial      pipeline:mt         mt            machine
draft          fuzzy   translated   pipeline:human      human         draft
reviewed       —       reviewed     pipeline:human      human         reviewed
final          —       final        pipeline:human      human         final
verbatim       fuzzy   initial      pipeline:verbatim   verbatim      verbatim
from-memory    —       translated   pipeline:tm         tm            from-memory
=============  ======  ===========  ==================  ============  ============

JSONL also writes ``"fuzzy"`` (the PO column). Reading back: a PO entry without the fuzzy
flag is reviewed, an XLIFF ``final`` is final and ``reviewed`` reviewed; anything else a
person changed is a draft.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    MACHINE = "machine"
    DRAFT = "draft"
    REVIEWED = "reviewed"
    FINAL = "final"
    VERBATIM = "verbatim"
    FROM_MEMORY = "from-memory"

    @property
    def signed_off(self) -> bool:
        """A person vouched for the target: the one definition of "reviewed"."""
        return self in (Status.REVIEWED, Status.FINAL)

    @property
    def by_person(self) -> bool:
        """A person's words in this article (signed off or not)."""
        return self in (Status.DRAFT, Status.REVIEWED, Status.FINAL)

    @property
    def form(self) -> StatusForm:
        return FORMS[self]


@dataclass(frozen=True)
class StatusForm:
    """One row of the table above."""

    fuzzy: bool
    xliff_state: str
    origin: str
    label: str

    @property
    def xliff_sub_state(self) -> str:
        return SUB_STATE_PREFIX + self.origin


SUB_STATE_PREFIX = "pipeline:"
FORMS = {
    Status.MACHINE: StatusForm(True, "initial", "mt", "machine"),
    Status.DRAFT: StatusForm(True, "translated", "human", "draft"),
    Status.REVIEWED: StatusForm(False, "reviewed", "human", "reviewed"),
    Status.FINAL: StatusForm(False, "final", "human", "final"),
    Status.VERBATIM: StatusForm(True, "initial", "verbatim", "verbatim"),
    Status.FROM_MEMORY: StatusForm(False, "translated", "tm", "from-memory"),
}
#: The page's label for a segment a language lacks.
MISSING_LABEL = "missing"
XLIFF_STATES = ("initial", "translated", "reviewed", "final")


def from_xliff_state(state: str) -> Status | None:
    """A reviewer's sign-off as XLIFF says it; None for initial/translated (not signed off)."""
    return {"reviewed": Status.REVIEWED, "final": Status.FINAL}.get(state)


def as_written(state: str, sub_state: str | None) -> Status | None:
    """The status an XLIFF segment was written with, when its state and subState are still
    a row of the table above (None: a person or another tool changed them)."""
    for status, form in FORMS.items():
        if form.xliff_state == state and form.xliff_sub_state == sub_state:
            return status
    return None


def from_record(origin: str, fuzzy: bool) -> Status:
    """The status a JSONL record was written with (its origin, and the PO column)."""
    for status, form in FORMS.items():
        if form.origin == origin and form.fuzzy == fuzzy:
            return status
    return from_po(fuzzy)


def from_po(fuzzy: bool) -> Status:
    """A person's PO entry: signed off unless left fuzzy."""
    return Status.DRAFT if fuzzy else Status.REVIEWED
