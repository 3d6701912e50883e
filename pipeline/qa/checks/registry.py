"""The check registry: what a check is, the context it gets, and running them all.

A check looks at one source/target pair and returns None (pass) or a one-line message. Checks
are registered with a name and a severity; ``run_checks`` runs them all and returns typed
findings (text for files is made in :mod:`pipeline.formats.notes`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pipeline.model.annotations import Finding, Severity, TermDecision

#: Checks to leave out for text kept as written (a tweet kept verbatim): copying is intended
#: and its numbers are not in the source locale's format.
VERBATIM_SKIP = frozenset({"unchanged", "numbers"})


@dataclass(frozen=True)
class CheckContext:
    """What a check may know besides the two strings; the ratio bounds are tunable."""

    source_lang: str = "de"
    target_lang: str = "en"
    glossary: Sequence[TermDecision] = ()
    min_ratio: float = 0.5
    max_ratio: float = 2.5
    min_length: int = 20
    disabled: frozenset[str] = frozenset()
    #: the article's inline markup (``markdown``, ``html``), whose codes must come back
    markup: str | None = None


CheckFunc = Callable[[str, str, CheckContext], "str | None"]


@dataclass(frozen=True)
class Check:
    """A registered check: its name, how bad a failure is and the function."""

    name: str
    severity: Severity
    func: CheckFunc


CHECKS: dict[str, Check] = {}


def register(name: str, severity: str) -> Callable[[CheckFunc], CheckFunc]:
    """Add a check to the registry; the registry's order is the order findings come in."""
    level = Severity(severity)  # an unknown severity is a ValueError at import

    def add(func: CheckFunc) -> CheckFunc:
        CHECKS[name] = Check(name, level, func)
        return func

    return add


def run_checks(source: str, target: str, ctx: CheckContext | None = None) -> list[Finding]:
    """Every enabled check on one pair; an empty target gets only ``untranslated``."""
    ctx = ctx or CheckContext()
    names = ["untranslated"] if not target.strip() else list(CHECKS)
    findings = []
    for name in names:
        check = CHECKS[name]
        if name in ctx.disabled:
            continue
        message = check.func(source, target, ctx)
        if message is not None:
            findings.append(Finding(name, check.severity, message))
    return findings
