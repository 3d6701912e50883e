"""Score translations against references with sacrebleu: BLEU and chrF, corpus and per segment.

Scores come from sacrebleu's Python API with its defaults, so they equal what
``python -m sacrebleu REF -i HYP -m bleu chrf`` prints for the same lines; the signatures are
reported so numbers stay comparable across runs. Glossary term accuracy comes from the
decisions the pipeline records next to each translation.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from pipeline.model.errors import InputError, PipelineError
from pipeline.qa import glossary_decisions

#: Glossary actions that mean the term came out as the term base says.
CORRECT_ACTIONS = frozenset({"present", "replaced", "dnt"})


@dataclass(frozen=True)
class Aligned:
    """Hypotheses and references paired up, and the ids that found no partner."""

    ids: list[str]
    hyps: list[str]
    refs: list[str]
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)


def evaluate(hyps: Sequence[str], refs: Sequence[str]) -> dict:
    """Corpus and per-segment BLEU and chrF of ``hyps`` against one reference each."""
    if len(hyps) != len(refs):
        raise InputError(f"{len(hyps)} hypotheses but {len(refs)} references")
    if not hyps:
        raise InputError("nothing to score: no aligned segments")
    try:
        import sacrebleu
        from sacrebleu.metrics import BLEU, CHRF
    except ImportError:
        raise PipelineError("evaluation needs sacrebleu (pip install sacrebleu)") from None
    bleu, chrf = BLEU(), CHRF()
    corpus_bleu = bleu.corpus_score(list(hyps), [list(refs)])
    corpus_chrf = chrf.corpus_score(list(hyps), [list(refs)])
    return {
        "segments": len(hyps),
        "bleu": corpus_bleu.score,
        "chrf": corpus_chrf.score,
        "bleu_signature": str(bleu.get_signature()),
        "chrf_signature": str(chrf.get_signature()),
        "bleu_detail": str(corpus_bleu),
        "per_segment": [
            {"bleu": sacrebleu.sentence_bleu(h, [r]).score,
             "chrf": sacrebleu.sentence_chrf(h, [r]).score}
            for h, r in zip(hyps, refs, strict=True)
        ],
    }


def align_by_id(hyps: Sequence[tuple[str, str]], refs: Sequence[tuple[str, str]]) -> Aligned:
    """Pair (id, text) lists by id in hypothesis order; a reference without text is missing."""
    by_id = {seg_id: text for seg_id, text in refs if text.strip()}
    kept = [(seg_id, text) for seg_id, text in hyps if seg_id in by_id]
    hyp_ids = {seg_id for seg_id, _ in hyps}
    return Aligned(
        ids=[seg_id for seg_id, _ in kept],
        hyps=[text for _, text in kept],
        refs=[by_id[seg_id] for seg_id, _ in kept],
        missing=[seg_id for seg_id, _ in hyps if seg_id not in by_id],
        extra=[seg_id for seg_id, _ in refs if seg_id not in hyp_ids],
    )


def align_in_order(hyps: Sequence[tuple[str, str]], refs: Sequence[str]) -> Aligned:
    """Pair segments with reference lines one by one; the counts must agree."""
    if len(hyps) != len(refs):
        raise InputError(f"the reference has {len(refs)} lines but the hypothesis has "
                         f"{len(hyps)} segments; they must align one to one")
    return Aligned(ids=[seg_id for seg_id, _ in hyps], hyps=[text for _, text in hyps],
                   refs=list(refs))


def glossary_accuracy(notes: Iterable[Iterable[str]]) -> dict | None:
    """Share of glossary decisions that came out right; None when there are none."""
    decisions = [d for segment in notes for d in glossary_decisions(segment)]
    if not decisions:
        return None
    correct = sum(d.action in CORRECT_ACTIONS for d in decisions)
    return {"accuracy": correct / len(decisions), "correct": correct, "total": len(decisions)}
