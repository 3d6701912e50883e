"""Score translations against references with sacrebleu: BLEU and chrF, corpus and per segment.

Scores come from sacrebleu's Python API with its defaults, so they equal what
``python -m sacrebleu REF -i HYP -m bleu chrf`` prints for the same lines; the signatures are
reported so numbers stay comparable across runs. Glossary term accuracy comes from the
decisions the pipeline records next to each translation.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.formats.bilingual import Entry, is_bilingual, read_bilingual
from pipeline.formats.notes import parse_terms
from pipeline.infra.files import LIMITS, read_text
from pipeline.model.errors import InputError, PipelineError
from pipeline.model.text import counted, source_key


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
    decisions = [d for segment in notes for d in parse_terms(segment)]
    if not decisions:
        return None
    correct = sum(d.action.correct for d in decisions)
    return {"accuracy": correct / len(decisions), "correct": correct, "total": len(decisions)}


def read_lines(path: Path) -> list[str]:
    """A plain text file, one segment per line, as sacrebleu reads it."""
    text = read_text(path, "a text file", LIMITS["text"])
    lines = [line.removesuffix("\r") for line in text.split("\n")]  # as sacrebleu: \n only
    return lines[:-1] if lines and lines[-1] == "" else lines


def evaluate_files(hyp_path: Path, ref_path: Path) -> dict:
    """Scores of HYP against REF: by segment id when both have ids (by German source when the
    reference is a PO without msgctxt), else line by line."""
    if is_bilingual(hyp_path):
        entries = read_bilingual(hyp_path).entries
    else:
        entries = [Entry(str(n), "", text, n)
                   for n, text in enumerate(read_lines(hyp_path), start=1)]
    aligned = _align(hyp_path, entries, ref_path)
    result = evaluate(aligned.hyps, aligned.refs)
    for seg_id, scores in zip(aligned.ids, result["per_segment"], strict=True):
        scores["id"] = seg_id
    glossary = glossary_accuracy(e.notes for e in entries)
    result.update(hyp=str(hyp_path), ref=str(ref_path), missing=aligned.missing,
                  extra=aligned.extra, glossary_accuracy=glossary and glossary["accuracy"],
                  glossary_terms=glossary)
    return result


def _align(hyp_path: Path, hyps: list[Entry], ref_path: Path) -> Aligned:
    """Pair hypotheses with references; every way it can fail names the file at fault."""
    if not hyps:
        raise InputError("nothing to score: no segments", path=hyp_path)
    pairs = [(e.id, e.target) for e in hyps]
    if is_bilingual(ref_path):
        refs = read_bilingual(ref_path).entries
        if not is_bilingual(hyp_path):
            aligned = align_in_order(pairs, _same_count(hyp_path, len(hyps), ref_path,
                                                        [e.target for e in refs]))
        elif any(e.id for e in refs):
            aligned = align_by_id(pairs, [(e.id, e.target) for e in refs])
        else:
            aligned = align_by_source(hyps, refs)
    else:
        aligned = align_in_order(pairs, _same_count(hyp_path, len(hyps), ref_path,
                                                    read_lines(ref_path)))
    if not aligned.hyps:
        raise InputError(f"nothing to score: none of the {counted(len(hyps), 'segment')} of "
                         f"{hyp_path} has a reference with text here (matched by segment id, "
                         "or by German source in a PO without msgctxt)", path=ref_path)
    return aligned


def _same_count(hyp_path: Path, count: int, ref_path: Path, refs: list[str]) -> list[str]:
    """References aligned in order must be exactly one per hypothesis segment."""
    if len(refs) != count:
        raise InputError(f"the reference has {counted(len(refs), 'line')} but {hyp_path} has "
                         f"{counted(count, 'segment')}; they must align one to one", path=ref_path)
    return refs


def align_by_source(hyps: list[Entry], refs: list[Entry]) -> Aligned:
    """Pair by German source (white space collapsed), for a reference PO without msgctxt.

    Ids stay the hypothesis's (its line where it has none); a reference source no hypothesis
    has is listed as extra.
    """

    by_source = {source_key(e.source): e.target for e in refs if e.target.strip()}
    kept = [e for e in hyps if source_key(e.source) in by_source]
    used = {source_key(e.source) for e in hyps}
    return Aligned(
        ids=[e.id or f"line {e.line}" for e in kept], hyps=[e.target for e in kept],
        refs=[by_source[source_key(e.source)] for e in kept],
        missing=[e.id or f"line {e.line}" for e in hyps if source_key(e.source) not in by_source],
        extra=list(dict.fromkeys(e.source for e in refs if source_key(e.source) not in used)),
    )


