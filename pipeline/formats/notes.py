"""The note lines a translation carries in PO comments, XLIFF notes and JSONL: made from the
typed fields here, and parsed back here, the one place that knows their wording.

    from the translation memory
    tweet kept verbatim (already in en)
    not machine-translated: names kept, label localised (credit)
    a person's draft from a.po
    restored dropped url https://…        removed repeated handle @x
    removed invented placeholder [7]
    also edited in a.xlf: <text>
    translated from the reviewed English: <English text>
    glossary: KI → AI (present)           glossary: Sora (flagged: no fr target in the glossary)
    glossary: hypothesis 2 of 4 chosen: renders 2 of 2 terms, the model's best 1; log-prob
        per token -0.52 against -0.39
    qa: error: numbers: 204.000 missing
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pipeline.model.annotations import (
    Choice,
    Conflict,
    Finding,
    MemoryOrigin,
    Repair,
    RepairKind,
    Reuse,
    Severity,
    Suggestion,
    TermAction,
    TermDecision,
)
from pipeline.model.document import Translation
from pipeline.model.status import Status

MEMORY_NOTE = "from the translation memory"
#: every machine output says so, so that a lost review store cannot make it a person's work
MACHINE_NOTE = "machine translation"
CARRIED_NOTE = "a person's translation of the sentence before it changed"
CONFLICT_NOTE = "also edited in"
VERBATIM_NOTE = "tweet kept verbatim"
#: machine output derived from the English a person reviewed (not from the source)
PIVOT_NOTE = "translated from the reviewed English"
#: a credit, byline, dateline or label: made by rule (ingest.credits), never by the engine
CREDIT_NOTE = "not machine-translated: names kept, label localised"
_ACTIONS = "|".join(action.value for action in TermAction)
_FINDING = re.compile(r"qa: (error|warning): ([\w-]+): (.*)")
_TERM = re.compile(rf"glossary:\s*(.*?)\s*\(({_ACTIONS})(?::.*)?\)")
_REPAIR = (
    (re.compile(r"restored dropped (\w+) (.*)"), RepairKind.DROPPED),
    (re.compile(r"removed repeated (\w+) (.*)"), RepairKind.REPEATED),
    (re.compile(r"removed invented (placeholder) (.*)"), RepairKind.INVENTED),
)


def render_notes(translation: Translation) -> list[str]:
    """Every note of a translation, in the order files show them."""
    notes = [*reuse_notes(translation), *(repair_note(r) for r in translation.repairs)]
    notes += [conflict_note(c) for c in translation.conflicts]
    notes += [term_note(d) for d in translation.terms]
    notes += [choice_note(c) for c in dict.fromkeys(d.choice for d in translation.terms)
              if c is not None and c.departs]
    notes += [finding_note(f) for f in translation.findings]
    return notes


def conflict_note(conflict: Conflict) -> str:
    return f"{CONFLICT_NOTE} {conflict.where}: {conflict.target}"


def reuse_notes(translation: Translation) -> list[str]:
    reuse = translation.reuse
    if translation.status is Status.MACHINE:
        return [MACHINE_NOTE, *([f"{PIVOT_NOTE}: {translation.pivot}"]
                                if translation.pivot is not None else [])]
    if reuse is Reuse.CARRIED:
        return [f"{CARRIED_NOTE} (was: {translation.previous_source})"]
    if reuse is Reuse.MEMORY:
        return [MEMORY_NOTE]
    if reuse is Reuse.TWEET_KEPT:
        return [f"{VERBATIM_NOTE} (--tweets keep)"]
    if reuse is Reuse.TWEET_IN_TARGET:
        return [f"{VERBATIM_NOTE} (already in {translation.lang})"]
    if reuse is Reuse.DRAFT:
        return [f"a person's draft from {translation.where}"]
    if reuse is Reuse.CREDIT:
        return [f"{CREDIT_NOTE} ({translation.segment.kind})"]
    return []


def repair_note(repair: Repair) -> str:
    if repair.kind is RepairKind.DROPPED:
        return f"restored dropped {repair.item} {repair.value}"
    if repair.kind is RepairKind.REPEATED:
        return f"removed repeated {repair.item} {repair.value}"
    return f"removed invented placeholder {repair.value}"


def term_note(decision: TermDecision) -> str:
    """``glossary: KI → AI (present)``; without a target, the detail says why."""
    if not decision.target:
        return f"glossary: {decision.source_surface} ({decision.action}: {decision.detail})"
    return f"glossary: {decision.source_surface} → {decision.target} ({decision.action})"


def choice_note(choice: Choice) -> str:
    """``glossary: hypothesis 2 of 4 chosen: renders 2 of 2 terms, the model's best 1;
    log-prob per token -0.52 against -0.39``; a part of a long segment says which, a target
    reached through English adds ``; through English hypothesis 3 of 4 (…)``."""
    part = f" (part {choice.part} of {choice.parts})" if choice.parts > 1 else ""
    note = f"glossary: hypothesis {choice.rank} of {choice.considered} chosen{part}: " \
           f"{_choice_detail(choice)}"
    if choice.via is not None and choice.via.departs:
        note += f"; through English hypothesis {choice.via.rank} of {choice.via.considered} " \
                f"({_choice_detail(choice.via)})"
    return note


def _choice_detail(choice: Choice) -> str:
    cost = "no scores" if choice.logprob is None or choice.best_logprob is None else (
        f"log-prob per token {choice.logprob:.2f} against {choice.best_logprob:.2f}")
    return (f"renders {choice.rendered} of {choice.required} terms, the model's best "
            f"{choice.best_rendered}; {cost}")


def finding_note(finding: Finding) -> str:
    """``qa: error: numbers: 204.000 missing``."""
    return f"qa: {finding.severity}: {finding.check}: {finding.message}"


# --- reading back ----------------------------------------------------------------------------

def parse_finding(line: str) -> Finding | None:
    match = _FINDING.fullmatch(line.strip())
    return Finding(match[2], Severity(match[1]), match[3]) if match else None


def parse_repair(line: str) -> Repair | None:
    for pattern, kind in _REPAIR:
        if match := pattern.fullmatch(line.strip()):
            return Repair(kind, match[1], match[2])
    return None


def parse_terms(notes: Iterable[str]) -> list[TermDecision]:
    """Decisions recorded in PO comments, XLIFF or JSONL notes (``concept_id`` is the term as
    the note names it); other notes are ignored."""
    found = []
    for note in notes:
        if match := _TERM.fullmatch(note.strip()):
            found.append(TermDecision(match[1], match[1], TermAction(match[2]), ""))
    return found


def parse_pivot(notes: Iterable[str]) -> str | None:
    """The reviewed English a machine translation was made from, as its note names it."""
    head = f"{PIVOT_NOTE}: "
    return next((note[len(head):] for note in notes if note.startswith(head)), None)


def is_verbatim(notes: Iterable[str]) -> bool:
    """The text was kept as written (a tweet, a credit): copying it is intended."""
    return any(note.startswith((VERBATIM_NOTE, CREDIT_NOTE)) for note in notes)


def suggestion_note(suggestion: Suggestion) -> str:
    """``tm 87% (human): …``; the engine's output for a sentence a person translated before
    it changed: ``machine translation now: …``; the engine's translation of the English a
    person reviewed since: ``translated from the reviewed English now: …``."""
    if suggestion.origin is MemoryOrigin.MT and suggestion.similarity >= 100:
        return f"{MACHINE_NOTE} now: {suggestion.target}"
    if suggestion.origin is MemoryOrigin.PIVOT:
        return f"{PIVOT_NOTE} now: {suggestion.target}"
    return f"tm {suggestion.similarity:g}% ({suggestion.origin}): {suggestion.target}"
