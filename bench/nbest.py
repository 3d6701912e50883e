"""What choosing among n hypotheses by the glossary costs (issue 16): n = 1 against n = 4.

    python bench/nbest.py [--quick] [--repeats N] [--out bench/results/nbest.json]

The benchmark's packages (Transformer-base shape, random weights, cached in bench/.cache/)
and corpus; the project's term base; beam 4, decoding cap 64, 2 threads, as run_bench.py.
Measured in one process, models loaded once (loading does not depend on n):

* the engine alone: one German → English pass over the run's segments asking for n
  hypotheses (beam max(4, n)): the search is the same, so this is what returning n costs;
* whole runs (``--to en,fr``, fr through English) with ``--term-strategy n-best`` and
  ``--n-best 1`` or ``4``: wall and CPU time, time in the engine, time choosing.

Random weights never emit the end token, so every hypothesis runs to the cap with either
n; a trained model stops earlier, and with n = 4 only once 4 hypotheses have finished
(CTranslate2's early exit), which these numbers cannot show. Numbers, not pass/fail.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus import build_corpus  # noqa: E402
from bench.measure import machine_info, median  # noqa: E402
from bench.model_cache import CACHE, FULL, QUICK, TINY, ModelSpec, build_packages  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "nbest.json"
GLOSSARY = ROOT / "glossary"
NS = (1, 4)


@dataclass(frozen=True)
class Config:
    spec: ModelSpec = FULL
    repeats: int = 3
    paragraphs: int = 54
    beam_size: int = 4
    max_decoding_length: int = 64
    threads: int = 2
    cache: Path = CACHE
    out: Path | None = RESULTS


SMOKE = Config(spec=TINY, repeats=1, paragraphs=3, max_decoding_length=8)


@dataclass
class Clock:
    """Seconds spent inside wrapped functions."""

    spent: dict[str, float] = field(default_factory=dict)

    def wrap(self, name: str, func: Callable) -> Callable:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                self.spent[name] = self.spent.get(name, 0.0) + time.perf_counter() - start

        return timed


def engine_pass(engine: Any, texts: Sequence[str], n: int) -> dict:
    """One German → English pass over ``texts`` asking for ``n`` hypotheses: wall and CPU
    seconds (all threads; what other processes on the machine take does not count)."""
    from pipeline.mt.engine import Request

    start, cpu = time.perf_counter(), time.process_time()
    [result] = engine.translate([Request("de", "en", tuple(texts), n=n)])
    assert all(len(found) == n for found in result.hypotheses)
    return {"wall_s": time.perf_counter() - start, "cpu_s": time.process_time() - cpu}


def whole_run(engine: Any, article: Path, out: Path, n: int) -> dict:
    """``run --to en,fr`` in-process with the n-best strategy and ``n``; what it spent."""
    from pipeline import translate_articles, write_results
    from pipeline.run import select

    clock = Clock()
    select._COUNTED.clear()  # choosing measured cold, as in a run of its own
    translate, output = engine.translate, select.output
    engine.translate = clock.wrap("engine", translate)
    select.output = clock.wrap("choose", output)
    try:
        start, cpu = time.perf_counter(), time.process_time()
        results = write_results(translate_articles(
            [article], targets=["en", "fr"], engine=engine, glossary=GLOSSARY,
            term_strategy="n-best", n_best=n), out)
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    finally:
        engine.translate, select.output = translate, output
    return {"wall_s": wall, "cpu_s": cpu, "engine_s": clock.spent.get("engine", 0.0),
            "choose_s": clock.spent.get("choose", 0.0),
            "chosen": sum(r.terms.get("chosen", 0) for r in results),
            "terms_found": sum(r.terms.get("found", 0) for r in results)}


def texts_asked(engine: Any, article: Path, folder: Path) -> dict:
    """The texts the run sends to the engine, and how many have terms to choose by."""
    from pipeline import translate_articles, write_results
    from pipeline.run import select

    seen: list = []
    with_terms: set[str] = set()
    translate, parts = engine.translate, select.parts

    def counted(text: str, hits: Sequence) -> list:
        found = parts(text, hits)
        with_terms.update(p.text for p in found if p.hits)
        return found

    engine.translate = lambda requests: (seen.extend(requests), translate(requests))[1]
    select.parts = counted
    try:
        write_results(translate_articles([article], targets=["en"], engine=engine,
                                         glossary=GLOSSARY, n_best=4), folder)
    finally:
        engine.translate, select.parts = translate, parts
    return {"texts": sum(len(r.texts) for r in seen), "with_terms": len(with_terms),
            "segments": [t for r in seen for t in r.texts]}


def measure(config: Config) -> dict:
    from pipeline.mt.argos import ArgosEngine, DecodeOptions
    from pipeline.mt.packages import install_file

    corpus = build_corpus(config.paragraphs)
    scratch = Path(os.environ["PIPELINE_NBEST_SCRATCH"])
    models = scratch / "models"
    for file in build_packages(config.spec, corpus.paragraphs, config.cache):
        install_file(file, models)
    article = corpus.write(scratch / "articles")
    options = DecodeOptions(beam_size=config.beam_size, intra_threads=config.threads,
                            max_decoding_length=config.max_decoding_length)
    engine = ArgosEngine(models, options, quiet=True)
    asked = texts_asked(engine, article, scratch / "probe")
    passes: dict[int, list[dict]] = {n: [] for n in NS}
    runs: dict[int, list[dict]] = {n: [] for n in NS}
    for repeat in range(config.repeats):
        order = NS if repeat % 2 == 0 else tuple(reversed(NS))  # drift hits both alike
        for n in order:
            passes[n].append(engine_pass(engine, asked["segments"], n))
            runs[n].append(whole_run(engine, article, scratch / f"out-{n}-{repeat}", n))
        print(f"  repeat {repeat + 1}/{config.repeats}: " + ", ".join(
            f"n={n} pass {passes[n][-1]['wall_s']:.1f} s ({passes[n][-1]['cpu_s']:.1f} CPU s), "
            f"run {runs[n][-1]['wall_s']:.1f} s ({runs[n][-1]['cpu_s']:.1f} CPU s)"
            for n in NS), file=sys.stderr)
    summary = {str(n): {
        "engine_pass_s": median([p["wall_s"] for p in passes[n]]),
        "engine_pass_cpu_s": median([p["cpu_s"] for p in passes[n]]),
        "run_wall_s": median([r["wall_s"] for r in runs[n]]),
        "run_cpu_s": median([r["cpu_s"] for r in runs[n]]),
        "run_engine_s": median([r["engine_s"] for r in runs[n]]),
        "run_choose_s": median([r["choose_s"] for r in runs[n]]),
        "chosen": runs[n][-1]["chosen"], "terms_found": runs[n][-1]["terms_found"],
    } for n in NS}
    one, four = summary["1"], summary["4"]
    return {
        "machine": machine_info(),
        "config": {"model": config.spec.name, "repeats": config.repeats,
                   "beam_size": config.beam_size, "threads": config.threads,
                   "max_decoding_length": config.max_decoding_length,
                   "targets": ["en", "fr"]},
        "corpus": {"paragraphs": len(corpus.paragraphs), "texts": asked["texts"],
                   "texts_with_terms": asked["with_terms"]},
        "n": summary,
        "ratios": {"engine_pass": four["engine_pass_s"] / one["engine_pass_s"],
                   "engine_pass_cpu": four["engine_pass_cpu_s"] / one["engine_pass_cpu_s"],
                   "run_wall": four["run_wall_s"] / one["run_wall_s"],
                   "run_cpu": four["run_cpu_s"] / one["run_cpu_s"]},
        "raw": {"engine_pass_s": {str(n): passes[n] for n in NS},
                "runs": {str(n): runs[n] for n in NS}},
    }


def render(result: dict) -> str:
    one, four = result["n"]["1"], result["n"]["4"]
    rows = [("German → English pass over the run's texts, wall", "engine_pass_s"),
            ("the same, CPU (all threads)", "engine_pass_cpu_s"),
            ("run `--to en,fr`, wall", "run_wall_s"),
            ("the same, CPU (all threads)", "run_cpu_s"),
            ("run: in the engine (wall)", "run_engine_s"),
            ("run: choosing (wall)", "run_choose_s")]
    lines = ["| | n = 1 | n = 4 | 4 / 1 |", "|---|---:|---:|---:|"]
    lines += [f"| {label} | {one[key]:.2f} s | {four[key]:.2f} s | "
              f"{four[key] / one[key]:.2f} |" if one[key] else
              f"| {label} | {one[key]:.2f} s | {four[key]:.2f} s | – |" for label, key in rows]
    corpus, machine = result["corpus"], result["machine"]
    lines.append(f"\n{corpus['texts']} texts, {corpus['texts_with_terms']} with terms "
                 f"to choose by; model {result['config']['model']}; {machine['cpu']}, "
                 f"{machine['cores']} cores; median of {result['config']['repeats']}.")
    return "\n".join(lines) + "\n"


def parse_args(argv: Sequence[str] | None) -> Config:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller model, 1 repeat")
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--smoke", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    config = SMOKE if args.smoke else Config()
    if args.quick:
        config = replace(config, spec=QUICK, repeats=1)
    if args.repeats is not None:
        config = replace(config, repeats=max(1, args.repeats))
    return replace(config, out=args.out, cache=args.cache)


def main(argv: Sequence[str] | None = None) -> int:
    config = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="pipeline-nbest-") as scratch:
        # argostranslate makes its folders when first imported: never in $HOME
        for var, sub in {"XDG_DATA_HOME": "xdg/data", "XDG_CONFIG_HOME": "xdg/config",
                         "XDG_CACHE_HOME": "xdg/cache", "ARGOS_PACKAGES_DIR": "argos"}.items():
            (Path(scratch) / sub).mkdir(parents=True, exist_ok=True)
            os.environ[var] = str(Path(scratch) / sub)
        os.environ["PIPELINE_NBEST_SCRATCH"] = scratch
        result = measure(config)
    if config.out is not None:
        config.out.parent.mkdir(parents=True, exist_ok=True)
        tmp = config.out.with_name(config.out.name + ".tmp")
        tmp.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n",
                       encoding="utf-8")
        os.replace(tmp, config.out)
    print(render(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
