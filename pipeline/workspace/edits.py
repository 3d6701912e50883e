"""A save from the workspace: one store transaction carrying the segment's revision and the
reviewer's name, then every view of the article rendered again. A save against a revision
that moved (another reviewer, a run, an edit in a file) is refused and kept in the history
as an alternative, so the page can show both texts to choose from."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from pipeline.model.errors import InputError
from pipeline.model.status import Status
from pipeline.run.views import rerender
from pipeline.store.comments import MAX_COMMENT, Comment, normal
from pipeline.store.db import NAME, Change, ReviewStore
from pipeline.store.previous import Kept, Kind
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
         revision: int, author: str = "", seen: int = 0, *,
         state: ReviewState | None = None) -> Saved:
    """Save ``text`` for one segment if it is still at ``revision``; re-render the views.
    It settles the segment's alternatives the saver's page showed: those recorded up to the
    store revision ``seen`` when the page loaded (else up to ``revision``)."""
    if not text.strip() or len(text) > MAX_TEXT:
        raise InputError(f"a translation is 1 to {MAX_TEXT} characters, not empty")
    _check_text(text)
    outcome: list[Saved] = []

    def edit(review: ReviewStore, number: int) -> None:
        kept = _present(review, number, lang, sid)
        change = Change(sid, kept.source, text, action.status, author=author[:100] or None,
                        where=WHERE)
        if (kept.target, kept.status) == (text, action.status):  # nothing to change
            outcome.append(Saved(True, kept.target, kept.status, kept.revision, 0))
        elif kept.revision != revision:
            review.keep_aside(number, lang, change, Kind.ALTERNATIVE)
            outcome.append(Saved(False, kept.target, kept.status, kept.revision, 0))
        else:  # settles the alternatives the saver could see, not one refused since
            [seq] = review.apply(number, lang, [change], Kind.EDIT,
                                 settle_upto=max(revision, seen))
            outcome.append(Saved(True, text, action.status, seq, 0))

    return _settled(out_dir, slug, lang, edit, outcome, state)


def comment(out_dir: Path, slug: str, lang: str, sid: str, text: str, revision: int,
            author: str = "", *, state: ReviewState | None = None) -> Saved:
    """Make ``text`` the segment's comment (empty: clear it) if the comment is still the one
    of ``revision`` (0: none); else keep it in the history and refuse. ``Saved.target`` is
    the comment, ``revision`` the comment's."""
    text = normal(text)
    if len(text) > MAX_COMMENT:
        raise InputError(f"a comment is at most {MAX_COMMENT} characters")
    _check_text(text)
    outcome: list[Saved] = []

    def edit(review: ReviewStore, number: int) -> None:
        kept = _present(review, number, lang, sid)
        current = review.comments(number, lang).get(sid)
        now, seen = (current.text, current.revision) if current else ("", 0)
        note = Comment(sid, text, author[:100] or None, WHERE)
        if now == text:
            outcome.append(Saved(True, now, kept.status, seen, 0))
        elif seen != revision:
            review.comment(number, lang, note, Kind.COMMENT_ASIDE)
            outcome.append(Saved(False, now, kept.status, seen, 0))
        else:
            outcome.append(Saved(True, text, kept.status, review.comment(number, lang, note), 0))

    return _settled(out_dir, slug, lang, edit, outcome, state)


def dismiss(out_dir: Path, slug: str, lang: str, sid: str, seq: int, author: str = "", *,
            state: ReviewState | None = None) -> Saved:
    """Settle the segment's open alternative ``seq`` without taking its text (taking it is
    a save of its text); refused when nobody needs to settle it any more."""
    outcome: list[Saved] = []

    def edit(review: ReviewStore, number: int) -> None:
        kept = _present(review, number, lang, sid)
        if not any(c.seq == seq for c in kept.conflicts):
            raise UnknownSegment(f"no open alternative {seq} for {sid!r} in {lang!r}")
        review.dismiss(number, lang, seq, author[:100] or None, WHERE)
        outcome.append(Saved(True, kept.target, kept.status, kept.revision, 0))

    return _settled(out_dir, slug, lang, edit, outcome, state)


def _present(review: ReviewStore, number: int, lang: str, sid: str) -> Kept:
    kept = review.segments(number, lang).get(sid)
    if kept is None or not kept.present:
        raise UnknownSegment(f"no sentence {sid!r} in {lang!r}")
    return kept


def _check_text(text: str) -> None:
    if bad := _CONTROL.search(text):
        raise InputError(f"a control character (U+{ord(bad.group()):04X}) is not text")


def _settled(out_dir: Path, slug: str, lang: str, edit: Callable[[ReviewStore, int], None],
             outcome: list[Saved], state: ReviewState | None) -> Saved:
    """Run ``edit`` in the store transaction that re-renders the article's views in ``lang``
    (and its review page); what it came to, with the store's revision after it."""
    rerender(out_dir, slug, state=state or ReviewState(Path(out_dir)), langs=[lang],
             edit=edit)
    [result] = outcome
    with ReviewStore.open(Path(out_dir) / NAME) as review:
        current = review.revision()
    return Saved(result.applied, result.target, result.status, result.revision, current)
