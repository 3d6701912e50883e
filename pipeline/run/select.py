"""Choosing among the engine's n hypotheses by the glossary (``--term-strategy n-best``).

Per chunk the engine saw, the best-scoring hypothesis that renders the most of the chunk's
required target terms wins; ties go to the model's order (its score). Names are masked and
come back by themselves, so only the terms left to the model count. A target reached
through English is chosen twice: the English hypothesis by the English terms, then the
target's own hypothesis (translated from that English) by its terms. Each choice is kept,
with its cost in log-probability per token, for the term decisions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from pipeline.model.annotations import Choice, TermAction
from pipeline.mt.chunks import mt_chunks
from pipeline.mt.engine import PIVOT, Engine, Hypothesis, Request, Result

if TYPE_CHECKING:
    from pipeline.glossary.match import TermHit

#: the strategy that chooses; the others take the model's best (see glossary.enforcement)
STRATEGY = "n-best"
#: hypotheses asked for by default: the beam's width, so no more search is needed
DEFAULT_N = 4
_RENDERED = (TermAction.PRESENT, TermAction.DNT)


@dataclass(frozen=True)
class Part:
    """One chunk of a masked text as the engine sees it, and the hits in it the model has to
    render."""

    text: str
    hits: tuple[TermHit, ...]


@dataclass(frozen=True)
class Candidates:
    """The engine's hypotheses for one chunk, best first; ``via``: the English chosen on
    the way when the target is reached through English."""

    hypotheses: tuple[Hypothesis, ...]
    via: Choice | None = None


#: the engine's output per (source, target) language pair and chunk
Machine = Mapping[tuple[str, str], Mapping[str, Candidates]]
#: what a run still lacks per (source, target) pair: each chunk and the hits it must render
Pending = Mapping[tuple[str, str], Mapping[str, "tuple[TermHit, ...]"]]


def asks(strategy: str, n: int) -> int:
    """How many hypotheses a text with required terms is translated into."""
    return n if strategy == STRATEGY else 1


def parts(text: str, hits: Sequence[TermHit]) -> list[Part]:
    """``text`` (masked) in the engine's chunks, each with the hits found in it: a hit's
    words are unmasked, so they stand in the masked text in the same order."""
    chunks = mt_chunks(text)
    ends, position = [], 0
    for chunk in chunks:
        position = text.find(chunk, position) + len(chunk)
        ends.append(position)
    at = 0
    placed: list[list[TermHit]] = [[] for _ in chunks]
    for hit in hits:
        where = text.find(hit.surface, at)
        if where < 0:
            continue
        at = where + len(hit.surface)
        placed[next((k for k, end in enumerate(ends) if where < end), len(chunks) - 1)].append(hit)
    return [Part(chunk, tuple(mine)) for chunk, mine in zip(chunks, placed, strict=True)]


def rendered(hits: Sequence[TermHit], text: str, lang: str) -> int:
    """How many of ``hits`` the text renders (each term counted as often as it is needed).

    Remembered by the concepts and the text: a sentence repeated many times (a list of
    ``KI.`` lines) is judged once, not once per occurrence."""
    if not hits:
        return 0
    key = (tuple(h.concept for h in hits), text, lang)
    if (known := _COUNTED.get(key)) is not None:
        return known
    from pipeline.glossary.enforcement import check_target

    if len(_COUNTED) >= _COUNTED_MAX:
        _COUNTED.clear()
    count = _COUNTED[key] = sum(d.action in _RENDERED for d in check_target(hits, text, lang))
    return count


#: rendered() by (concepts, text, language); concepts compare by value, so another term
#: base's concept of the same id is another key
_COUNTED: dict[tuple, int] = {}
_COUNTED_MAX = 65536


def choose(found: Candidates, hits: Sequence[TermHit], lang: str, part: int = 1,
           parts_: int = 1) -> tuple[str, Choice | None]:
    """The hypothesis to use and the choice made (None where there was nothing to choose)."""
    hypotheses = found.hypotheses
    if not hits or (len(hypotheses) < 2 and found.via is None):
        return hypotheses[0].text, None
    counts = [rendered(hits, h.text, lang) for h in hypotheses]
    rank = max(range(len(hypotheses)), key=lambda k: (counts[k], -k))
    return hypotheses[rank].text, Choice(
        rank + 1, len(hypotheses), counts[rank], counts[0], len(hits),
        hypotheses[rank].logprob, hypotheses[0].logprob, part, parts_, found.via)


def output(masked: str, hits: Sequence[TermHit], table: Mapping[str, Candidates], lang: str
           ) -> tuple[str, tuple[tuple[str, Choice], ...]]:
    """The engine's text for a masked text, chunk by chunk as chosen; with each choice, the
    concept of every hit it was made for (in order), so the decisions can carry it."""
    pieces, choices = [], []
    chunks = parts(masked, hits)
    for k, part in enumerate(chunks, start=1):
        text, choice = choose(table[part.text], part.hits, lang, k, len(chunks))
        pieces.append(text)
        if choice is not None:
            choices += [(hit.concept.id, choice) for hit in part.hits]
    return " ".join(pieces), tuple(choices)


def requests(pending: Pending, source: str, n: int) -> list[Request]:
    """One request per target and source language (the run's, then English), holding the
    chunks still lacking, sorted, each for ``n`` hypotheses: every chunk, so a pair is one
    pass and a chunk's output never depends on what else the run translates (a model's best
    of n may differ from its best of 1); chunks without terms take the best."""
    pairs = dict.fromkeys((language, lang) for lang in dict.fromkeys(t for _, t in pending)
                          for language in (source, PIVOT))
    return [Request(pair[0], pair[1], tuple(sorted(pending[pair])), n=n)
            for pair in pairs if pending.get(pair)]


def translate(asked: Sequence[Request], pending: Pending, engine: Engine
              ) -> dict[tuple[str, str], dict[str, Candidates]]:
    """Answer ``asked``. Targets reached through English that choose (n > 1) get their
    English first, chosen by the English terms, and are translated from it; everything else
    goes in one call."""
    routed = [r for r in asked if r.n > 1 and r.source != PIVOT
              and engine.via(r.source, r.target) == PIVOT]
    if not routed:
        return _table(engine.translate(asked), {})
    source = routed[0].source
    own = next((r for r in asked if (r.source, r.target) == (source, PIVOT) and r.n > 1), None)
    texts = {t for r in (*routed, *([own] if own else [])) for t in r.texts}
    first = Request(source, PIVOT, tuple(sorted(texts)), n=routed[0].n)
    [english] = engine.translate([first])
    needed = _merged(pending, [(source, r.target) for r in routed] + [(source, PIVOT)])
    chosen = {text: choose(Candidates(found), needed.get(text, ()), PIVOT)
              for text, found in zip(first.texts, english.hypotheses, strict=True)}
    rest = [replace(r, pivot=tuple(chosen[t][0] for t in r.texts)) if r in routed else r
            for r in asked if r is not own]
    via = {text: choice for text, (_, choice) in chosen.items()}
    table = _table(engine.translate(rest) if rest else [], via)
    if own is not None:  # the English target's own texts, from the same pass
        found = dict(zip(first.texts, english.hypotheses, strict=True))
        table.setdefault((source, PIVOT), {}).update(
            (text, Candidates(found[text])) for text in own.texts)
    return table


def _merged(pending: Pending, pairs: Iterable[tuple[str, str]]
            ) -> dict[str, tuple[TermHit, ...]]:
    """Per chunk, the hits the first of ``pairs`` that has it needs rendered there (they are
    found in the German, the same for every target)."""
    merged: dict[str, tuple[TermHit, ...]] = {}
    for pair in pairs:
        for text, found in pending.get(pair, {}).items():
            merged.setdefault(text, found)
    return merged


def _table(results: Sequence[Result], via: Mapping[str, Choice | None]
           ) -> dict[tuple[str, str], dict[str, Candidates]]:
    """The results by pair and chunk (a pair may have two requests: with and without n)."""
    table: dict[tuple[str, str], dict[str, Candidates]] = {}
    for result in results:
        routed = result.request.pivot is not None
        table.setdefault((result.request.source, result.request.target), {}).update(
            (text, Candidates(found, via.get(text) if routed else None))
            for text, found in zip(result.request.texts, result.hypotheses, strict=True))
    return table
