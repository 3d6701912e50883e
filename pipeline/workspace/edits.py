"""A save from the workspace: one store transaction carrying the segment's revision and the
reviewer's name, then every view of the article rendered again. A save against a revision
that moved (another reviewer, a run, an edit in a file) is refused and kept in the history
as an alternative, so the page can show both texts to choose from."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from pipeline.model.errors import InputError
from pipeline.model.status import Status
from pipeline.run.views import rerender
from pipeline.store.db import NAME, Change, ReviewStore
from pipeline.store.previous import Kind
from pipeline.store.review import ReviewState

#: Longest text a save takes (a sentence is far shorter; a paste of a whole article is not one).
MAX_TEXT = 10_000
#: C0 controls but tab and newline, DEL, C1 controls, noncharacters: not text a page can show.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
#: Where the history says a workspace save came from.
WHERE = "workspace"


class Action(StrEnum):
    DRAFT = "draft"
    APPROVE = "approve"

    @property
    def status(self) -> Status:
        return Status.DRAFT if self is Action.DRAFT else Status.REVIEWED


@dataclass(frozen=True)
class Saved:
    """What a save came to: ``applied``, or refused because the segment moved on (then
    ``target``/``status``/``revision`` are the text that is current, and the refused text
    is an alternative in the history)."""

    applied: bool
    target: str
    status: Status
    revision: int
    store_revision: int


class UnknownSegment(InputError):
    """No such article, language or sentence in the store."""


def save(out_dir: Path, slug: str, lang: str, sid: str, text: str, action: Action,
         revision: int, author: str = "", *, state: ReviewState | None = None) -> Saved:
    """Save ``text`` for one segment if it is still at ``revision``; re-render the views."""
    if not text.strip() or len(text) > MAX_TEXT:
        raise InputError(f"a translation is 1 to {MAX_TEXT} characters, not empty")
    if bad := _CONTROL.search(text):
        raise InputError(f"a control character (U+{ord(bad.group()):04X}) is not text")
    outcome: list[Saved] = []

    def edit(review: ReviewStore, number: int) -> None:
        kept = review.segments(number, lang).get(sid)
        if kept is None or not kept.present:
            raise UnknownSegment(f"no sentence {sid!r} in {lang!r}")
        change = Change(sid, kept.source, text, action.status, author=author[:100] or None,
                        where=WHERE)
        if (kept.target, kept.status) == (text, action.status):  # nothing to change
            outcome.append(Saved(True, kept.target, kept.status, kept.revision, 0))
        elif kept.revision != revision:
            review.keep_aside(number, lang, change, Kind.ALTERNATIVE)
            outcome.append(Saved(False, kept.target, kept.status, kept.revision, 0))
        else:  # settles the alternatives the saver could see, not one refused since
            [seq] = review.apply(number, lang, [change], Kind.EDIT, settle_upto=revision)
            outcome.append(Saved(True, text, action.status, seq, 0))

    rerender(out_dir, slug, state=state or ReviewState(Path(out_dir)), langs=[lang],
             edit=edit)
    [result] = outcome
    with ReviewStore.open(Path(out_dir) / NAME) as review:
        current = review.revision()
    return Saved(result.applied, result.target, result.status, result.revision, current)
