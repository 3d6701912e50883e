"""The term base around MT: steer before it, check and repair after it, report per article.

Before MT, names are masked (see :func:`steer_terms`); after MT every hit is checked and a
known wrong rendering replaced (:func:`enforce`). The report counts what happened per concept.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from functools import lru_cache

from pipeline.glossary.match import TermHit, off_limits
from pipeline.model.annotations import TermAction, TermDecision
from pipeline.model.errors import GlossaryError
from pipeline.mt.engine import PIVOT

# --- after MT: check and repair ------------------------------------------------------------

#: Inflection a target word may show: plural and possessive endings.
_SUFFIX = {"en": "(?:s|es|'s|’s)?", "fr": "(?:s|x)?", "es": "(?:s|es)?"}
_STEM_SWAPS = {"en": (("y", "(?:y|ies)"),), "fr": (("al", "(?:al|aux)"), ("eau", "eaux?")),
               "es": (("ón", "(?:ón|ones)"), ("z", "(?:z|ces)"))}


@lru_cache(maxsize=4096)
def term_regex(term: str, lang: str) -> re.Pattern[str]:
    """A target term as a case-insensitive regex tolerant of plural endings in every word."""
    parts = []
    for word in re.split(r"[\s-]+", term.strip()):
        rx = re.escape(word) + _SUFFIX.get(lang, "(?:s|es)?")
        for end, alt in _STEM_SWAPS.get(lang, ()):
            if word.endswith(end) and len(word) > len(end) + 1:
                rx = re.escape(word[:-len(end)]) + alt
        parts.append(rx.replace("'", "['’]"))
    return re.compile(r"(?<!\w)" + r"[\s\u00a0-]+".join(parts) + r"(?!\w)", re.IGNORECASE)


def _free(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return all(span[1] <= a or span[0] >= b for a, b in taken)


def _like(found: str, avoid: str, target: str) -> str:
    """The target with the plural ending and the capital the wrong rendering had."""
    rest = found[len(avoid):] if found.lower().startswith(avoid.lower()) else ""
    out = target + (rest if rest.lower() in ("s", "es", "x") else "")
    return out[:1].upper() + out[1:] if found[:1].isupper() and out[:1].islower() else out


def enforce(hits: Sequence[TermHit], target_text: str, lang: str
            ) -> tuple[str, list[TermDecision]]:
    """Check every hit against the translation; replace known wrong renderings (``avoid``).

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
        target = concepts[cid].targets.get(lang, "")
        spans = [m.span() for m in term_regex(target, lang).finditer(target_text)] if target else []
        spans = [s for s in spans if _free(s, taken)][:len(by_concept[cid])]
        taken += spans
        present[cid] = len(spans)
    edits: list[tuple[int, int, str]] = []
    replaced: dict[str, list[str]] = defaultdict(list)
    for cid, concept in concepts.items():
        need, target = len(by_concept[cid]) - present[cid], concept.targets.get(lang, "")
        for avoid in sorted(concept.avoid.get(lang, ()), key=len, reverse=True):
            for m in term_regex(avoid, lang).finditer(target_text) if target else ():
                if need > 0 and _free(m.span(), taken):
                    taken.append(m.span())
                    edits.append((*m.span(), _like(m.group(), avoid, target)))
                    replaced[cid].append(m.group())
                    need -= 1
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
STRATEGIES: dict[str, Callable[[Sequence[TermHit], str], list[Span]]] = {
    "placeholder": lambda hits, lang: _steer(hits, lang, names_only=False),
    "dnt-only": lambda hits, lang: _steer(hits, lang, names_only=True),
    "none": lambda hits, lang: [],
}
DEFAULT_STRATEGY = "dnt-only"


def pivot_hits(hits: Sequence[TermHit], text: str, pivot: str = PIVOT) -> list[TermHit]:
    """The source's hits placed in ``text``, a translation into ``pivot`` (a reviewed English):
    each where the concept's ``pivot`` term stands, one occurrence per hit, longer terms
    first (so "AI" is not taken from inside "AI model"); hits without such a term, or with
    too few occurrences, are left out. Steering then works on the pivot text."""
    taken: list[tuple[int, int]] = []
    placed: list[TermHit] = []
    for hit in sorted(hits, key=lambda h: -len(h.concept.targets.get(pivot, ""))):
        term = hit.concept.targets.get(pivot, "")
        spans = [m.span() for m in term_regex(term, pivot).finditer(text)] if term else []
        span = next((s for s in spans if _free(s, taken)), None)
        if span is not None:
            taken.append(span)
            placed.append(replace(hit, start=span[0], end=span[1], surface=text[slice(*span)]))
    return sorted(placed, key=lambda h: h.start)


def steer_terms(hits: Sequence[TermHit], lang: str, strategy: str = DEFAULT_STRATEGY
                ) -> list[Span]:
    """Spans to mask before MT, each with the text to put back after it.

    The default, ``dnt-only``, masks names only. Names never inflect, and NMT may translate
    or misspell them, so a placeholder is safe for them. ``placeholder`` also masks common terms.
    A masked term comes back as the bare target headword, so it loses number, case and
    agreement ("die Regisseure" → "the director", "des [1]" → "des IA générative"). It also
    hides the term from the model's context. So common terms are left to MT, then checked and
    repaired by :func:`enforce`. Only whole-word hits are masked: masking part of a word
    (KI-Fortschritte) would break that word.
    """
    if strategy not in STRATEGIES:
        raise GlossaryError(f"unknown term strategy {strategy!r} (known: {', '.join(STRATEGIES)})")
    return STRATEGIES[strategy](hits, lang)


# --- report ----------------------------------------------------------------------------------

def term_report(decisions_by_segment: Mapping[str, Iterable[TermDecision]]) -> dict:
    """Per concept: found, enforced (present + replaced + dnt), flagged, and flagged segments."""
    report: dict[str, dict] = {}
    for segment, decisions in decisions_by_segment.items():
        for d in decisions:
            row = report.setdefault(d.concept_id, {"found": 0, "enforced": 0, "flagged": 0,
                                                   "present": 0, "replaced": 0, "dnt": 0,
                                                   "flagged_segments": []})
            row["found"] += 1
            row[d.action] += 1
            row["enforced"] += d.action.correct
            flagged = row["flagged_segments"]  # segments come one by one: compare the last
            if d.action is TermAction.FLAGGED and flagged[-1:] != [segment]:
                flagged.append(segment)
    return dict(sorted(report.items()))


def render_term_report(report: Mapping[str, Mapping], markdown: bool = True) -> str:
    """The report as a Markdown table (or aligned plain text) with a total line."""
    head = ("concept", "found", "enforced", "flagged", "flagged in")
    rows: list[tuple[str, ...]] = [(cid, str(r["found"]), str(r["enforced"]), str(r["flagged"]),
             ", ".join(r["flagged_segments"])) for cid, r in report.items()]
    rows.append(("total", *(str(sum(r[k] for r in report.values()))
                            for k in ("found", "enforced", "flagged")), ""))
    if markdown:
        lines = [head, ("---",) * len(head), *rows]
        return "\n".join("| " + " | ".join(r) + " |" for r in lines) + "\n"
    widths = [max(len(r[i]) for r in (head, *rows)) for i in range(len(head))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
                     for r in (head, *rows)) + "\n"


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
    found = {target: len(term_regex(target, lang).findall(target_text)) for target in needed}
    seen: dict[str, int] = defaultdict(int)
    out = []
    for d in decisions:
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
