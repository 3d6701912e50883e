"""What a run learns about a translation besides its text, as typed fields: QA findings,
glossary decisions, protection repairs, memory suggestions, why a translation was reused.

Text for notes and comments is made from these only where a file is written
(:mod:`pipeline.formats.notes`), and parsed back there too.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """One failed check on one segment."""

    check: str
    severity: Severity
    message: str


class TermAction(StrEnum):
    """``dnt``: a name came through; ``present``: the target term is there; ``replaced``: a
    known wrong rendering was replaced; ``flagged``: the target term is missing."""

    DNT = "dnt"
    PRESENT = "present"
    REPLACED = "replaced"
    FLAGGED = "flagged"

    @property
    def correct(self) -> bool:
        return self is not TermAction.FLAGGED


@dataclass(frozen=True)
class Choice:
    """Which of the engine's hypotheses a text (or one part of a long one) took because it
    renders more required glossary terms, and what that cost the model: ``rank`` 1 is the
    model's best; log-probabilities are per token (chosen and best); ``via`` is the choice
    made among the English hypotheses on the way to a target reached through English."""

    rank: int
    considered: int
    rendered: int
    best_rendered: int
    required: int
    logprob: float | None = None
    best_logprob: float | None = None
    part: int = 1
    parts: int = 1
    via: Choice | None = None

    @property
    def cost(self) -> float | None:
        """Log-probability per token given up for the terms (0 for the model's best)."""
        if self.logprob is None or self.best_logprob is None:
            return None
        return self.best_logprob - self.logprob

    @property
    def departs(self) -> bool:
        """Not the model's best (here, or among the English on the way)."""
        return self.rank > 1 or (self.via is not None and self.via.departs)


@dataclass(frozen=True)
class TermDecision:
    """What the glossary step decided for one term hit in one target; ``choice``: the
    hypothesis chosen for the text the hit is in (None: no choice was made)."""

    concept_id: str
    source_surface: str
    action: TermAction
    detail: str
    target: str = ""
    choice: Choice | None = None


class RepairKind(StrEnum):
    """What restoring protected items had to fix in the engine's output."""

    DROPPED = "dropped"  # restored at the end of the sentence
    REPEATED = "repeated"  # the second copy removed
    INVENTED = "invented"  # a placeholder the source never had, removed


@dataclass(frozen=True)
class Repair:
    kind: RepairKind
    item: str  # what was protected: url, email, handle, hashtag, number, term, placeholder
    value: str


class MemoryOrigin(StrEnum):
    """Who made a memory unit or a suggestion; lookups prefer them in this order. ``pivot``
    is the engine's translation of the reviewed English, offered beside a person's text: a
    suggestion only, never a memory unit."""

    HUMAN = "human"
    IMPORT = "import"
    MT = "mt"
    PIVOT = "pivot"

    @property
    def by_person(self) -> bool:
        return self in (MemoryOrigin.HUMAN, MemoryOrigin.IMPORT)

    @property
    def in_memory(self) -> bool:
        """A memory unit may have this origin (the memory's table of origins)."""
        return self is not MemoryOrigin.PIVOT


@dataclass(frozen=True)
class Suggestion:
    """A fuzzy match from people's work in the memory, shown to reviewers, never used as is."""

    source: str
    target: str
    similarity: float
    origin: MemoryOrigin


class Reuse(StrEnum):
    """Why a translation was not made by the engine in this run."""

    REVIEWED = "reviewed"  # this article's own review (PO or XLIFF)
    MEMORY = "memory"  # a person's translation of the same sentence in the memory
    TWEET_KEPT = "tweet-kept"  # --tweets keep
    TWEET_IN_TARGET = "tweet-in-target"  # the tweet is already in the target language
    DRAFT = "draft"  # a person's unsigned edit
    PREVIOUS_MT = "previous-mt"  # the last run's output of the same engine and models
    CARRIED = "carried"  # a person's translation of the sentence before it was changed
    CREDIT = "credit"  # a credit, byline, dateline or label: kept as written, label localised


@dataclass(frozen=True)
class Conflict:
    """Another person's text for the same segment (the other file, a refused save), kept
    visible until someone settles it, so neither is lost."""

    where: str
    target: str
    #: the store's history row that keeps it (0: not from a store)
    seq: int = 0
