"""The term base around MT: steer before it, check and repair after it, report per article.

Before MT, names are masked (see :func:`steer_terms`); after MT every hit is checked and a
known wrong rendering replaced (:func:`enforce`). The report counts what happened per concept.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from pipeline.glossary.inflect import Number, agreeing, source_gender, source_number, term_spans
from pipeline.glossary.match import TermHit, off_limits
from pipeline.model.annotations import TermAction, TermDecision
from pipeline.model.errors import GlossaryError
from pipeline.model.text import counted
from pipeline.mt.engine import PIVOT

# --- after MT: check and repair ------------------------------------------------------------


def _free(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return all(span[1] <= a or span[0] >= b for a, b in taken)


def repair_text(found: str, avoid: str, hit: TermHit, lang: str) -> str:
    """What replaces ``found``, a known wrong rendering of ``hit``'s concept: the listed form
    that agrees with the source's number and gender (number from the German form, else from
    the wrong rendering's own ending), else the target with that ending; capitalised as
    ``found`` was."""
    concept, target = hit.concept, hit.concept.targets[lang]
    rest = found[len(avoid):] if found.lower().startswith(avoid.lower()) else ""
    plural = rest.lower() in ("s", "es", "x")
    number = source_number(hit.surface, concept.forms) or (Number.PL if plural else Number.SG)
    out = agreeing(target, concept.target_variants.get(lang, ()), number,
                   source_gender(hit.surface, concept.forms))
    if out is None:
        out = target + (rest if plural else "")
    return out[:1].upper() + out[1:] if found[:1].isupper() and out[:1].islower() else out


def enforce(hits: Sequence[TermHit], target_text: str, lang: str
            ) -> tuple[str, list[TermDecision]]:
    """Check every hit against the translation; replace known wrong renderings (``avoid``).

    A term counts in its inflected and listed forms (see :mod:`pipeline.glossary.inflect`).
    Counts matter: two KI in the source need two AI in the target. Longer target terms are
    looked for first and their spans are used up, so "AI" inside "AI model" is not counted
    twice and an avoided rendering that is another hit's correct target is left alone.
    """
    by_concept: dict[str, list[TermHit]] = defaultdict(list)
    for hit in hits:
        by_concept[hit.concept.id].append(hit)
    concepts = {cid: group[0].concept for cid, group in by_concept.items()}
    taken: list[tuple[int, int]] = off_limits(target_text)  # never inside markup or a URL
    present: dict[str, int] = {}
    for cid in sorted(concepts, key=lambda c: -len(concepts[c].targets.get(lang, ""))):
        spans = term_spans(concepts[cid].target_forms(lang), target_text, lang)
        spans = [s for s in spans if _free(s, taken)][:len(by_concept[cid])]
        taken += spans
        present[cid] = len(spans)
    edits: list[tuple[int, int, str]] = []
    replaced: dict[str, list[str]] = defaultdict(list)
    for cid, concept in concepts.items():
        missing = iter(by_concept[cid][present[cid]:])
        for avoid in sorted(concept.avoid.get(lang, ()), key=len, reverse=True):
            for span in term_spans([avoid], target_text, lang) if lang in concept.targets else ():
                if _free(span, taken) and (owner := next(missing, None)) is not None:
                    taken.append(span)
                    found = target_text[span[0]:span[1]]
                    edits.append((*span, repair_text(found, avoid, owner, lang)))
                    replaced[cid].append(found)
    repaired = target_text
    for start, end, text in sorted(edits, reverse=True):
        repaired = repaired[:start] + text + repaired[end:]
    decided: dict[int, TermDecision] = {}
    for cid, group in by_concept.items():
        target, fixes = concepts[cid].targets.get(lang, ""), iter(replaced[cid])
        for n, hit in enumerate(group):
            if n < present[cid]:
                action = TermAction.DNT if concepts[cid].dnt else TermAction.PRESENT
                detail = f"kept {target!r}" if concepts[cid].dnt else f"found {target!r}"
            elif (wrong := next(fixes, None)) is not None:
                action, detail = TermAction.REPLACED, f"replaced {wrong!r} with {target!r}"
            else:
                action = TermAction.FLAGGED
                detail = (f"{target!r} found {present[cid]} of {len(group)} times" if target
                          else f"no {lang} target in the glossary")
            decided[id(hit)] = TermDecision(cid, hit.surface, action, detail, target)
    return repaired, [decided[id(h)] for h in hits]


def check_target(hits: Sequence[TermHit], target_text: str, lang: str) -> list[TermDecision]:
    """The decisions :func:`enforce` makes, without the repaired text."""
    return enforce(hits, target_text, lang)[1]


# --- before MT: steering ---------------------------------------------------------------------

Span = tuple[int, int, str]


def _steer(hits: Sequence[TermHit], lang: str, names_only: bool) -> list[Span]:
    return [(h.start, h.end, h.concept.targets[lang]) for h in hits if h.kind == "word"
            and h.concept.targets.get(lang) and (h.concept.dnt or not names_only)]


#: Pre-MT strategies by name: (hits, lang) → (start, end, text to restore after MT) spans.
#: ``n-best`` masks as ``dnt-only`` does, then chooses among the engine's hypotheses the one
#: that renders the most terms (pipeline.run.select).
STRATEGIES: dict[str, Callable[[Sequence[TermHit], str], list[Span]]] = {
    "n-best": lambda hits, lang: _steer(hits, lang, names_only=True),
    "placeholder": lambda hits, lang: _steer(hits, lang, names_only=False),
    "dnt-only": lambda hits, lang: _steer(hits, lang, names_only=True),
    "none": lambda hits, lang: [],
}
DEFAULT_STRATEGY = "n-best"


def pivot_hits(hits: Sequence[TermHit], text: str, pivot: str = PIVOT) -> list[TermHit]:
    """The source's hits placed in ``text``, a translation into ``pivot`` (a reviewed English):
    each where the concept's ``pivot`` term stands, one occurrence per hit, longer terms
    first (so "AI" is not taken from inside "AI model"); hits without such a term, or with
    too few occurrences, are left out. Steering then works on the pivot text."""
    taken: list[tuple[int, int]] = []
    placed: list[TermHit] = []
    for hit in sorted(hits, key=lambda h: -len(h.concept.targets.get(pivot, ""))):
        spans = term_spans(hit.concept.target_forms(pivot), text, pivot)
        span = next((s for s in spans if _free(s, taken)), None)
        if span is not None:
            taken.append(span)
            placed.append(replace(hit, start=span[0], end=span[1], surface=text[slice(*span)]))
    return sorted(placed, key=lambda h: h.start)


def steer_terms(hits: Sequence[TermHit], lang: str, strategy: str = DEFAULT_STRATEGY
                ) -> list[Span]:
    """Spans to mask before MT, each with the text to put back after it.

    The default, ``n-best``, and ``dnt-only`` mask names only. Names never inflect, and NMT
    may translate or misspell them, so a placeholder is safe for them. ``placeholder`` also
    masks common terms. A masked term comes back as the bare target headword, so it loses
    number, case and agreement ("die Regisseure" → "the director", "des [1]" → "des IA
    générative"). It also hides the term from the model's context. So common terms are left
    to MT (``n-best``: to the hypothesis that renders most of them), then checked and
    repaired by :func:`enforce`. Only whole-word hits are masked: masking part of a word
    (KI-Fortschritte) would break that word.
    """
    if strategy not in STRATEGIES:
        raise GlossaryError(f"unknown term strategy {strategy!r} (known: {', '.join(STRATEGIES)})")
    return STRATEGIES[strategy](hits, lang)


# --- report ----------------------------------------------------------------------------------

def term_report(decisions_by_segment: Mapping[str, Iterable[TermDecision]]) -> dict:
    """Per concept: found, enforced (present + replaced + dnt), flagged, chosen (in a text
    that took a lower-ranked hypothesis for its terms), and flagged segments."""
    report: dict[str, dict] = {}
    for segment, decisions in decisions_by_segment.items():
        for d in decisions:
            row = report.setdefault(d.concept_id, {"found": 0, "enforced": 0, "flagged": 0,
                                                   "chosen": 0, "present": 0, "replaced": 0,
                                                   "dnt": 0, "flagged_segments": []})
            row["found"] += 1
            row[d.action] += 1
            row["enforced"] += d.action.correct
            row["chosen"] += d.choice is not None and d.choice.departs
            flagged = row["flagged_segments"]  # segments come one by one: compare the last
            if d.action is TermAction.FLAGGED and flagged[-1:] != [segment]:
                flagged.append(segment)
    return dict(sorted(report.items()))


@dataclass(frozen=True)
class Choices:
    """The choices among hypotheses behind a report: how many texts chose, how many of them
    took a lower-ranked hypothesis, and the log-probability per token that cost on average."""

    made: int
    departed: int
    cost: float | None


def choices_made(decisions_by_segment: Mapping[str, Iterable[TermDecision]]) -> Choices:
    """Each text's (or part's) choice counted once, from the decisions that carry it."""
    made = [c for decisions in decisions_by_segment.values()
            for c in dict.fromkeys(d.choice for d in decisions if d.choice is not None)]
    departed = [c for c in made if c.departs]
    costs = [c.cost for c in departed if c.cost is not None]
    return Choices(len(made), len(departed), sum(costs) / len(costs) if costs else None)


def render_term_report(report: Mapping[str, Mapping], markdown: bool = True,
                       choices: Choices | None = None) -> str:
    """The report as a Markdown table (or aligned plain text) with a total line, then what
    choosing among hypotheses did (when it was done)."""
    head = ("concept", "found", "enforced", "flagged", "chosen", "flagged in")
    keys = ("found", "enforced", "flagged", "chosen")
    rows: list[tuple[str, ...]] = [(cid, *(str(r[k]) for k in keys),
                                    ", ".join(r["flagged_segments"])) for cid, r in report.items()]
    rows.append(("total", *(str(sum(r[k] for r in report.values())) for k in keys), ""))
    tail = "" if choices is None or not choices.made else "\n" + choice_line(choices) + "\n"
    if markdown:
        lines = [head, ("---",) * len(head), *rows]
        return "\n".join("| " + " | ".join(r) + " |" for r in lines) + "\n" + tail
    widths = [max(len(r[i]) for r in (head, *rows)) for i in range(len(head))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
                     for r in (head, *rows)) + "\n" + tail


def choice_line(choices: Choices) -> str:
    """``n-best: a lower-ranked hypothesis rendered more terms in 2 of 9 texts (0.12
    log-prob per token given up on average).``"""
    cost = "" if choices.cost is None else (
        f" ({choices.cost:.2f} log-prob per token given up on average)")
    return (f"n-best: a lower-ranked hypothesis rendered more terms in {choices.departed} of "
            f"{counted(choices.made, 'text')}{cost}.")


def recheck(decisions: Sequence[TermDecision], target_text: str, lang: str
            ) -> tuple[TermDecision, ...]:
    """The decisions made on a text, made again on a person's new text from what they name
    (the required target term): present or flagged, counted as ``enforce`` counts; never a
    replacement, a person's text is not changed. For a save in the review workspace, where
    the term base is not at hand."""
    needed: dict[str, int] = defaultdict(int)
    for decision in decisions:
        if decision.target:
            needed[decision.target] += 1
    found = {target: len(term_spans([target], target_text, lang)) for target in needed}
    seen: dict[str, int] = defaultdict(int)
    out = []
    for d in (replace(d, choice=None) for d in decisions):  # a person's text, no hypothesis
        if not d.target:
            out.append(d)
            continue
        seen[d.target] += 1
        if seen[d.target] <= found[d.target]:
            dnt = d.action is TermAction.DNT
            out.append(replace(d, action=TermAction.DNT if dnt else TermAction.PRESENT,
                               detail=f"kept {d.target!r}" if dnt else f"found {d.target!r}"))
        else:
            out.append(replace(d, action=TermAction.FLAGGED, detail=(
                f"{d.target!r} found {found[d.target]} of {needed[d.target]} times")))
    return tuple(out)
