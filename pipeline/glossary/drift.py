"""``glossary drift``: where reviewers disagree with the term base.

A reviewed (or final) sentence whose source holds a concept but whose translation lacks the
concept's target — or uses one of its known wrong renderings — is drift: a reviewer who
disagrees, or a rendering the term base is missing as a variant. What the reviewer wrote
instead is read from their edit of the machine translation, where the store has it.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from pipeline.glossary.enforcement import check_target
from pipeline.glossary.inflect import find_term
from pipeline.glossary.match import Glossary, find_terms
from pipeline.model.annotations import TermAction

_WORD = re.compile(r"\w+(?:['’-]\w+)*|\S")


class Reviewed(Protocol):
    """A reviewed sentence as the review store has it (pipeline.store.reviewed gives them)."""

    @property
    def slug(self) -> str: ...
    @property
    def lang(self) -> str: ...
    @property
    def sid(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def target(self) -> str: ...
    @property
    def machine(self) -> str | None: ...


@dataclass
class Drift:
    """A concept, a language and what reviewers wrote instead of its target (empty: not
    found), with every sentence where they did."""

    concept: str
    lang: str
    target: str
    rendering: str
    places: list[tuple[str, str, str]] = field(default_factory=list)  # slug, sid, reviewed

    @property
    def count(self) -> int:
        return len(self.places)

    def as_dict(self) -> dict[str, object]:
        return {"concept": self.concept, "lang": self.lang, "target": self.target,
                "rendering": self.rendering, "count": self.count,
                "places": [{"article": a, "segment": s, "reviewed": t}
                           for a, s, t in self.places]}


def find_drift(glossary: Glossary, segments: Iterable[Reviewed]) -> list[Drift]:
    """Drift in reviewed sentences, grouped by concept, language and rendering; the most
    frequent first. A term counts as present the way a run checks it (enforcement)."""
    found: dict[tuple[str, str, str], Drift] = {}
    for segment in segments:
        hits = find_terms(glossary, segment.source)
        for hit, decision in zip(hits, check_target(hits, segment.target, segment.lang),
                                 strict=True):
            target = hit.concept.targets.get(segment.lang, "")
            if not target or decision.action in (TermAction.PRESENT, TermAction.DNT):
                continue
            avoided = [a for a in hit.concept.avoid.get(segment.lang, ())
                       if find_term(a, segment.target, segment.lang)]
            rendering = avoided[0] if avoided else rendering_of(
                target, segment.lang, segment.machine, segment.target)
            group = found.setdefault((hit.concept.id, segment.lang, rendering.lower()),
                                     Drift(hit.concept.id, segment.lang, target, rendering))
            place = (segment.slug, segment.sid, segment.target)
            if place not in group.places:
                group.places.append(place)
    return sorted(found.values(), key=lambda d: (-d.count, d.concept, d.lang, d.rendering))


def rendering_of(target: str, lang: str, machine: str | None, reviewed: str) -> str:
    """What replaced the term base's ``target`` when a reviewer edited the ``machine`` text
    (words that took the place of the words holding it); empty when that cannot be told."""
    if not machine:
        return ""
    spot = find_term(target, machine, lang)
    if spot is None:
        return ""
    before = [(m.start(), m.end()) for m in _WORD.finditer(machine)]
    after = [(m.start(), m.end()) for m in _WORD.finditer(reviewed)]
    words_before = [_fold(machine[a:b]) for a, b in before]
    words_after = [_fold(reviewed[a:b]) for a, b in after]
    matcher = difflib.SequenceMatcher(None, words_before, words_after, autojunk=False)
    inside = [i for i, (a, b) in enumerate(before) if a < spot[1] and b > spot[0]]
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or i1 == i2 or j1 == j2 or not i1 <= inside[0] < i2:
            continue
        # words changed around the term stay out, as many as changed there (at least one
        # word is the rendering): the words after it first, then those before
        tail = min(i2 - 1 - min(inside[-1], i2 - 1), j2 - j1 - 1)
        j2 -= tail
        j1 += min(inside[0] - i1, j2 - j1 - 1)
        return reviewed[after[j1][0]:after[j2 - 1][1]]
    return ""


def _fold(word: str) -> str:
    """Case and accents aside, so an edit that keeps a word keeps it equal."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", word.lower())
                   if not unicodedata.combining(ch))
