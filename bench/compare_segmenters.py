#!/usr/bin/env python3
"""Compare German sentence segmenters on tests/data/segmentation_cases.json.

Candidates: the pipeline's own segmenter (SoMaJo plus two repair rules), raw SoMaJo
(de_CMC), pysbd, syntok and a naive regex baseline. A case counts as correct when the list
of sentences, each stripped of surrounding whitespace, equals the gold list exactly.

    python bench/compare_segmenters.py [--cases PATH] [--verbose] [--json]
"""

from __future__ import annotations

import argparse
import inspect
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

Segmenter = Callable[[str], list[str]]
DEFAULT_CASES = (
    Path(__file__).resolve().parent.parent / "tests" / "data" / "segmentation_cases.json"
)
NOTES: dict[str, str] = {}


def make_somajo() -> Segmenter:
    """SoMaJo de_CMC; sentence surfaces are cut from the input using token character offsets."""
    from somajo import SoMaJo, __version__

    kwargs: dict[str, Any] = {"split_camel_case": False, "split_sentences": True}
    in_call = "character_offsets" in inspect.signature(SoMaJo.tokenize_text).parameters
    in_init = "character_offsets" in inspect.signature(SoMaJo.__init__).parameters
    if in_init and not in_call:
        kwargs["character_offsets"] = True
    tokenizer = SoMaJo("de_CMC", **kwargs)
    call_kwargs: dict[str, Any] = {"character_offsets": True} if in_call else {}
    where = "tokenize_text()" if in_call else "SoMaJo()" if in_init else "unsupported"
    NOTES["somajo"] = f"version {__version__}; character_offsets via {where}"

    def segment(text: str) -> list[str]:
        out: list[str] = []
        cursor = 0
        for sentence in tokenizer.tokenize_text([text], **call_kwargs):
            offsets = [tok.character_offset for tok in sentence]
            if all(offsets):
                start, end = offsets[0][0], offsets[-1][1]
            else:  # fallback: locate each token's surface text left to right
                start = -1
                for tok in sentence:
                    i = text.find(tok.original_spelling or tok.text, cursor)
                    if i < 0:
                        continue
                    start = i if start < 0 else start
                    cursor = i + len(tok.original_spelling or tok.text)
                end = cursor
            out.append(text[start:end])
        return out

    return segment


def make_pysbd() -> Segmenter:
    import pysbd

    seg = pysbd.Segmenter(language="de", clean=False, char_span=True)
    NOTES["pysbd"] = f"version {pysbd.__version__}"
    return lambda text: [span.sent for span in seg.segment(text)]


def make_syntok() -> Segmenter:
    from syntok import segmenter

    def segment(text: str) -> list[str]:
        return [
            text[sent[0].offset : sent[-1].offset + len(sent[-1].value)]
            for paragraph in segmenter.analyze(text)
            for sent in paragraph
        ]

    return segment


def make_regex() -> Segmenter:
    boundary = re.compile(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ])")
    return lambda text: boundary.split(text)


def make_pipeline() -> Segmenter:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from pipeline.ingest.segment import sentence_spans

    return lambda text: [text[a:b] for a, b in sentence_spans(text)]


CANDIDATES: dict[str, Callable[[], Segmenter]] = {
    "pipeline": make_pipeline,
    "somajo": make_somajo,
    "pysbd": make_pysbd,
    "syntok": make_syntok,
    "regex": make_regex,
}


def evaluate(name: str, factory: Callable[[], Segmenter], cases: list[dict]) -> dict[str, Any]:
    t0 = time.perf_counter()
    segment = factory()
    setup_ms = (time.perf_counter() - t0) * 1000
    segment(cases[0]["text"])  # warm-up (lazy compilation, caches)
    failures: list[dict[str, Any]] = []
    elapsed = 0.0
    for case in cases:
        t0 = time.perf_counter()
        got = segment(case["text"])
        elapsed += time.perf_counter() - t0
        got = [s.strip() for s in got if s.strip()]
        if got != [s.strip() for s in case["sentences"]]:
            failures.append({"id": case["id"], "gold": case["sentences"], "got": got})
    n_sents = sum(len(c["sentences"]) for c in cases)
    return {
        "segmenter": name,
        "correct": len(cases) - len(failures),
        "total": len(cases),
        "percent": round(100 * (len(cases) - len(failures)) / len(cases), 1),
        "ms_per_case": round(elapsed * 1000 / len(cases), 3),
        "ms_per_sentence": round(elapsed * 1000 / n_sents, 3),
        "setup_ms": round(setup_ms, 1),
        "note": NOTES.get(name, ""),
        "failures": failures,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=DEFAULT_CASES)
    parser.add_argument("--verbose", action="store_true", help="show each failing case")
    parser.add_argument("--json", action="store_true", help="print results as JSON")
    parser.add_argument("--only", nargs="*", choices=sorted(CANDIDATES), help="subset to run")
    args = parser.parse_args(argv)

    cases = json.loads(args.cases.read_text(encoding="utf-8"))
    results = []
    for name in args.only or CANDIDATES:
        try:
            results.append(evaluate(name, CANDIDATES[name], cases))
        except ImportError as exc:
            print(f"skipping {name}: {exc}", file=sys.stderr)

    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
        return 0
    header = (
        f"{'segmenter':<10} {'correct':>9} {'%':>6} {'ms/case':>9} {'ms/sent':>9} {'setup ms':>9}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        score = f"{r['correct']}/{r['total']}"
        print(
            f"{r['segmenter']:<10} {score:>9} {r['percent']:>6} {r['ms_per_case']:>9.3f} "
            f"{r['ms_per_sentence']:>9.3f} {r['setup_ms']:>9.1f}"
        )
    for r in results:
        if r["note"]:
            print(f"{r['segmenter']}: {r['note']}")
    if args.verbose:
        for r in results:
            print(f"\n== {r['segmenter']} failures ({len(r['failures'])}) ==")
            for f in r["failures"]:
                print(f"\n[{f['id']}]")
                for s in f["gold"]:
                    print(f"  gold: {s}")
                for s in f["got"]:
                    print(f"  got:  {s}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
