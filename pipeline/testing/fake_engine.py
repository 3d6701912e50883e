"""An engine for tests of the run's logic: records every request, answers ``<target>:<text>``.

``version`` is the knob for "a new model was installed": its signature changes, so output
of the old version counts as stale; ``pivot`` (say ``"en"``) routes every pair with that
language on neither side through it, as Argos does without a direct package.
"""

from __future__ import annotations

from collections.abc import Sequence
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

    def check(self, source: str, targets: Sequence[str]) -> None:
        """Every pair is available."""

    def signature(self, source: str, target: str) -> str:
        return f"fake:{self.version}"

    def via(self, source: str, target: str) -> str | None:
        return self.pivot if self.pivot not in (None, source, target) else None

    def translate(self, requests: Sequence[Request]) -> list[Result]:
        self.requests.extend(requests)
        return [Result(r, tuple(
            tuple(Hypothesis(f"{r.target}{'+' * k}:{pivot or text}", -float(k))
                  for k in range(r.n))
            for text, pivot in zip(r.texts, r.pivots, strict=True)))
            for r in requests]

    @property
    def decoded(self) -> list[tuple[str, str, str]]:
        """Every (source, target, text) the engine was asked to translate, in order."""
        return [(r.source, r.target, text) for r in self.requests for text in r.texts]
