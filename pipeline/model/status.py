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

XLIFF 1.2 (``pipeline.formats.xliff12``) writes the same rows as a ``<target>`` state and
state-qualifier, and ``approved="yes"`` on the ``<trans-unit>`` exactly where the PO entry
is not fuzzy (translate-toolkit and most CAT tools read ``approved`` as "not fuzzy"):

=============  ========================  =====================  ========
status         1.2 state                 1.2 state-qualifier    approved
=============  ========================  =====================  ========
machine        needs-review-translation  mt-suggestion          —
draft          translated                x-pipeline-human       —
reviewed       signed-off                x-pipeline-human       yes
final          final                     x-pipeline-human       yes
verbatim       needs-review-translation  x-pipeline-verbatim    —
from-memory    translated                leveraged-tm           yes
=============  ========================  =====================  ========

JSONL also writes ``"fuzzy"`` (the PO column). Reading back: a PO entry without the fuzzy
flag is reviewed, an XLIFF ``final`` is final and ``reviewed`` reviewed; in XLIFF 1.2
``final`` is final, ``signed-off`` or ``approved="yes"`` reviewed; anything else a person
changed is a draft.
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
    xliff12_state: str

    @property
    def xliff_sub_state(self) -> str:
        return SUB_STATE_PREFIX + self.origin

    @property
    def xliff12_qualifier(self) -> str:
        return XLIFF12_QUALIFIERS[self.origin]

    @property
    def approved(self) -> bool:
        """XLIFF 1.2 ``approved="yes"``: the PO column, so every view agrees on "fuzzy"."""
        return not self.fuzzy

    @property
    def xliff12_mark(self) -> str:
        return xliff12_mark(self.xliff12_state, self.approved)


SUB_STATE_PREFIX = "pipeline:"
FORMS = {
    Status.MACHINE: StatusForm(True, "initial", "mt", "machine", "needs-review-translation"),
    Status.DRAFT: StatusForm(True, "translated", "human", "draft", "translated"),
    Status.REVIEWED: StatusForm(False, "reviewed", "human", "reviewed", "signed-off"),
    Status.FINAL: StatusForm(False, "final", "human", "final", "final"),
    Status.VERBATIM: StatusForm(True, "initial", "verbatim", "verbatim",
                                "needs-review-translation"),
    Status.FROM_MEMORY: StatusForm(False, "translated", "tm", "from-memory", "translated"),
}
#: XLIFF 1.2 state-qualifier per origin: the standard values where there is one, else
#: ``x-pipeline-…`` (1.2's extension form), so machine output is never taken for a person's.
XLIFF12_QUALIFIERS = {"mt": "mt-suggestion", "human": "x-pipeline-human",
                      "verbatim": "x-pipeline-verbatim", "tm": "leveraged-tm"}
#: The page's label for a segment a language lacks.
MISSING_LABEL = "missing"
XLIFF_STATES = ("initial", "translated", "reviewed", "final")
#: XLIFF 1.2's state values (``x-…`` extensions are allowed too).
XLIFF12_STATES = ("new", "needs-translation", "needs-adaptation", "needs-l10n",
                  "needs-review-translation", "needs-review-adaptation", "needs-review-l10n",
                  "translated", "signed-off", "final")


def from_xliff_state(state: str) -> Status | None:
    """A reviewer's sign-off as XLIFF says it; None for initial/translated (not signed off)."""
    return {"reviewed": Status.REVIEWED, "final": Status.FINAL}.get(state)


def from_xliff12(state: str, approved: bool) -> Status | None:
    """A sign-off as XLIFF 1.2 says it: ``final`` is final; ``signed-off``, or
    ``approved="yes"`` (how translate-toolkit and CAT tools approve), reviewed; else None."""
    if state == "final":
        return Status.FINAL
    return Status.REVIEWED if state == "signed-off" or approved else None


def xliff12_mark(state: str, approved: bool) -> str:
    """What an XLIFF 1.2 unit says of its status, in one string (``signed-off approved``):
    the state-qualifier is left out, tools keep or drop it as they like."""
    return f"{state} approved" if approved else state


def from_xliff12_mark(mark: str) -> Status | None:
    """``from_xliff12`` of a mark made by ``xliff12_mark``."""
    state, _, approved = mark.partition(" ")
    return from_xliff12(state, approved == "approved")


def as_written12(state: str, qualifier: str | None, approved: bool) -> Status | None:
    """The status an XLIFF 1.2 unit was written with, when its state, state-qualifier and
    approval are still a row of the 1.2 table above (None: changed since)."""
    for status, form in FORMS.items():
        if (form.xliff12_state, form.xliff12_qualifier, form.approved) == (
                state, qualifier, approved):
            return status
    return None


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
