"""The engine protocol: what a run asks of any translation engine, as plain data.

A run sends one :class:`Request` per language pair it needs, holding only the texts that
target still lacks; an engine answers each with a :class:`Result` of scored hypotheses.
Requests may give a pivot text per segment (say, a reviewed English translation to translate
from) and ask for ``n`` hypotheses (for glossary-aware selection). Requests and results are
frozen, picklable data, so a remote worker can serve them. Engines are found by name in a
registry and imported only when chosen; they know no term base and no memory.

An engine says which targets it reaches through English (``via``): a run derives those from
the English a person reviewed, with a request of its own (English → target), and signs the
result with :func:`pivot_signature`. An engine's own pass through English gives the model's
best English; a run that chooses among hypotheses by the glossary asks for the English
first and passes the chosen one as ``pivot``.
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from pipeline.model.errors import ModelError

PIVOT = "en"
#: In an engine signature: a package built by the test recipe took part (random weights).
TEST_MARK = "!test-weights"
#: The machine as a translator, where a file names one (PO Last-Translator, TMX creationid).
MACHINE_TRANSLATOR = "pipeline (machine translation)"
TEST_WARNING = ("translated with test packages (random weights): the text is gibberish by "
                "construction")


def made_by_test_models(signature: str | None) -> bool:
    """The output came (partly) from packages built by the test recipe."""
    return signature is not None and TEST_MARK in signature


def pivot_signature(signature: str | None, pivot_text: str, pivot: str = PIVOT) -> str | None:
    """The signature of a translation made from a reviewed pivot text: the engine's own for
    the pivot → target pair plus a short hash of that text, so the output is reused only
    while the text stays as reviewed (None: nothing translates the pair)."""
    if signature is None:
        return None
    digest = hashlib.sha256(pivot_text.encode("utf-8")).hexdigest()[:12]
    return f"{signature}|{pivot}:{digest}"


ENGINES = {
    "argos": "pipeline.mt.argos:ArgosEngine",
    "pseudo": "pipeline.mt.pseudo:PseudoEngine",
}


@dataclass(frozen=True)
class Request:
    """Translate ``texts`` from ``source`` into ``target``.

    ``pivot``, when given, holds per text a translation into the pivot language (English) to
    translate from instead of the source, or None for texts without one; ``n`` is how many
    hypotheses to return per text, best first.
    """

    source: str
    target: str
    texts: tuple[str, ...]
    pivot: tuple[str | None, ...] | None = None
    n: int = 1

    def __post_init__(self) -> None:
        if self.n < 1:
            raise ValueError(f"n must be at least 1, not {self.n}")
        if self.pivot is not None and len(self.pivot) != len(self.texts):
            raise ValueError("pivot must hold one entry per text")

    @property
    def pivots(self) -> tuple[str | None, ...]:
        """The given pivot text per text, None where there is none."""
        return self.pivot if self.pivot is not None else (None,) * len(self.texts)


@dataclass(frozen=True)
class Hypothesis:
    """One candidate translation; ``score`` is what the model ranks by (a log-probability,
    maybe length-normalised; higher is better) and ``logprob`` its log-probability per token,
    comparable across hypotheses of any length (what choosing another one costs); None when
    the engine has no scores."""

    text: str
    score: float | None = None
    logprob: float | None = None


@dataclass(frozen=True)
class Result:
    """The answer to one request: per text, its hypotheses, best first."""

    request: Request
    hypotheses: tuple[tuple[Hypothesis, ...], ...]

    def __post_init__(self) -> None:
        if len(self.hypotheses) != len(self.request.texts):
            raise ValueError("a result must hold hypotheses for every text of its request")

    @property
    def best(self) -> list[str]:
        """The best hypothesis per text, aligned with the request's texts."""
        return [found[0].text for found in self.hypotheses]


class Engine(Protocol):
    """What a run needs from an engine."""

    name: str
    #: its output is a translation the memory may keep (pseudo-localization is not)
    memorable: bool

    def check(self, source: str, targets: Sequence[str]) -> None:
        """Raise before any work if a target cannot be reached."""

    def translate(self, requests: Sequence[Request]) -> list[Result]:
        """Answer every request, in order; work shared between requests (a pivot pass) is
        done once."""

    def signature(self, source: str, target: str) -> str | None:
        """What would translate this pair (engine and model versions), to know stale output."""

    def via(self, source: str, target: str) -> str | None:
        """The language this pair is translated through (``PIVOT``), None for a direct route
        (or none at all: ``check`` names what is missing)."""


def load_engine(name: str, **options: object) -> Engine:
    """Instantiate an engine by registry name; imports happen only for the one chosen."""
    try:
        module_name, class_name = ENGINES[name].split(":")
    except KeyError:
        raise ModelError(f"unknown engine {name!r} (choose from {', '.join(ENGINES)})") from None
    cls = getattr(importlib.import_module(module_name), class_name)
    engine: Engine = cls(**options)
    return engine
