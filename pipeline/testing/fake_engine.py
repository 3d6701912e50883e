"""An engine for tests of the run's logic: records every request, answers ``<target>:<text>``.

``version`` is the knob for "a new model was installed": its signature changes, so output
of the old version counts as stale; ``pivot`` (say ``"en"``) routes every pair with that
language on neither side through it, as Argos does without a direct package. ``lists`` gives
scored n-best lists for chosen inputs, for tests of choosing among hypotheses.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from pipeline.mt.engine import Hypothesis, Request, Result


@dataclass
class FakeEngine:
    """Deterministic, instant, and it remembers what it was asked."""

    version: str = "1"
    name: str = "fake"
    memorable: bool = True
    pivot: str | None = None
    requests: list[Request] = field(default_factory=list)
    #: (target, input text) → the hypotheses to answer, best first: (text, log-prob per token)
    lists: Mapping[tuple[str, str], Sequence[tuple[str, float]]] = field(default_factory=dict)
    #: seconds each call takes, and a file each call first appends its process id to: for
    #: tests that kill the process translating (a Ray actor) mid-call
    delay: float = 0.0
    announce: str | None = None

    def check(self, source: str, targets: Sequence[str]) -> None:
        """Every pair is available."""

    def signature(self, source: str, target: str) -> str:
        return f"fake:{self.version}"

    def via(self, source: str, target: str) -> str | None:
        return self.pivot if self.pivot not in (None, source, target) else None

    def translate(self, requests: Sequence[Request]) -> list[Result]:
        if self.announce is not None:
            with open(self.announce, "a", encoding="utf-8") as file:
                file.write(f"{os.getpid()}\n")
        time.sleep(self.delay)
        self.requests.extend(requests)
        return [Result(r, tuple(self._hypotheses(r, pivot or text)
                                for text, pivot in zip(r.texts, r.pivots, strict=True)))
                for r in requests]

    def _hypotheses(self, request: Request, text: str) -> tuple[Hypothesis, ...]:
        listed = self.lists.get((request.target, text))
        if listed:
            return tuple(Hypothesis(out, score, score) for out, score in listed[:request.n])
        return tuple(Hypothesis(f"{request.target}{'+' * k}:{text}", -float(k), -float(k))
                     for k in range(request.n))

    @property
    def decoded(self) -> list[tuple[str, str, str]]:
        """Every (source, target, text) the engine was asked to translate, in order."""
        return [(r.source, r.target, text) for r in self.requests for text in r.texts]
