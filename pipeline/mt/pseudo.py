"""Pseudo-localization engine, like Translate Toolkit's podebug: no model, fully deterministic.

Text is accented, padded by about 30 % and bracketed, so untranslated strings, truncation and
lost placeholders stand out in every output, while placeholders pass through untouched.

Routes are modelled on the usual package sets (every language to and from English): a pair
with English on neither side goes through English, so pivoting can be tried without models.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.model import languages
from pipeline.mt.engine import PIVOT, Hypothesis, Request, Result

_ACCENTS = str.maketrans(
    "AaCcEeIiLlNnOoSsUuYyZz",
    "ÅåÇçÉéÎîĻļÑñÖöŠšÛûÝýŽž",
)
_KEEP = re.compile(r"(\[\d+\])")


@dataclass
class PseudoEngine:
    """Pseudo-translates into any target; the target code is shown in the brackets."""

    name: str = "pseudo"
    memorable: bool = False  # pseudo text is not a translation
    expansion: float = 0.3
    quiet: bool = False

    def check(self, source: str, targets: Sequence[str]) -> None:
        """Every pair is available."""

    def signature(self, source: str, target: str) -> str:
        """Reused pseudo output stays pseudo output; it never passes for a model's."""
        return f"pseudo:{self.expansion}"

    def via(self, source: str, target: str) -> str | None:
        """English, unless one side is English already."""
        return None if PIVOT in (languages.base(source), languages.base(target)) else PIVOT

    def translate(self, requests: Sequence[Request]) -> list[Result]:
        """Each text pseudo-translated (from its pivot text when one is given); hypotheses
        after the first carry one more pad mark and a lower score."""
        results = []
        for request in requests:
            results.append(Result(request, tuple(
                tuple(Hypothesis(self.pseudo(pivot or text, request.target, extra=k), -float(k),
                                 -float(k)) for k in range(request.n))
                for text, pivot in zip(request.texts, request.pivots, strict=True))))
        return results

    def pseudo(self, text: str, target: str, extra: int = 0) -> str:
        parts = _KEEP.split(text)
        body = "".join(p if _KEEP.fullmatch(p) else p.translate(_ACCENTS) for p in parts)
        pad = "~" * (max(1, round(len(text) * self.expansion / 3)) + extra)
        return f"⟦{target}: {pad} {body}⟧"
