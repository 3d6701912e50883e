"""Pseudo-localization engine, like Translate Toolkit's podebug: no model, fully deterministic.

Text is accented, padded by about 30 % and bracketed, so untranslated strings, truncation and
lost placeholders stand out in every output, while placeholders pass through untouched.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_ACCENTS = str.maketrans(
    "AaCcEeIiLlNnOoSsUuYyZz",
    "ÅåÇçÉéÎîĻļÑñÖöŠšÛûÝýŽž",
)
_KEEP = re.compile(r"(\[\d+\])")


@dataclass
class PseudoEngine:
    """Pseudo-translates into any target; the target code is shown in the brackets."""

    name: str = "pseudo"
    expansion: float = 0.3
    quiet: bool = False

    def check(self, source: str, targets: Sequence[str]) -> None:
        """Every pair is available."""

    def signature(self, source: str, target: str) -> str:
        """Reused pseudo output stays pseudo output; it never passes for a model's."""
        return f"pseudo:{self.expansion}"

    def translate(
        self, texts: Sequence[str], source: str, targets: Sequence[str]
    ) -> dict[str, list[str]]:
        return {target: [self.pseudo(text, target) for text in texts] for target in targets}

    def pseudo(self, text: str, target: str) -> str:
        parts = _KEEP.split(text)
        body = "".join(p if _KEEP.fullmatch(p) else p.translate(_ACCENTS) for p in parts)
        pad = "~" * max(1, round(len(text) * self.expansion / 3))
        return f"⟦{target}: {pad} {body}⟧"
