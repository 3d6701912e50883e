"""Variant (a) in-process: the CLI's ``run`` command in this process, every phase timed.

Run as ``python bench/inprocess.py CONFIG.json``; prints one JSON line. The subprocess run
(a) gives the end-to-end wall time a user sees; this one runs the same command with the same
arguments through ``pipeline.cli`` and says where the time goes (imports, SoMaJo load,
segmentation, model load, tokenization, decoding, writing) and what the engine did: which
pairs it decoded, which models it loaded, how many texts it was asked to translate. It only
wraps the pipeline's functions from outside (the ArgosEngine is subclassed, module-level
functions are wrapped and restored); no pipeline code is changed.
"""

from __future__ import annotations

import functools
import json
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


@dataclass
class Stats:
    """What one run did and how long each part took."""

    phases: dict[str, float] = field(default_factory=dict)
    models_loaded: list[str] = field(default_factory=list)
    decoded_pairs: list[str] = field(default_factory=list)
    texts_translated: int = 0
    segments_decoded: int = 0
    target_tokens: int = 0

    def add(self, phase: str, seconds: float) -> None:
        self.phases[phase] = self.phases.get(phase, 0.0) + seconds


class TimedTranslator:
    """Wraps a ctranslate2.Translator: decoding time and output tokens, nothing changed."""

    def __init__(self, inner: Any, stats: Stats) -> None:
        self._inner = inner
        self._stats = stats

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def translate_iterable(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        return self._timed(self._inner.translate_iterable(*args, **kwargs))

    def translate_batch(self, *args: Any, **kwargs: Any) -> list[Any]:
        return list(self._timed(iter(self._inner.translate_batch(*args, **kwargs))))

    def _timed(self, results: Iterator[Any]) -> Iterator[Any]:
        """Time spent inside CTranslate2 is the time spent waiting for the next result."""
        while True:
            start = time.perf_counter()
            try:
                result = next(results)
            except StopIteration:
                self._stats.add("decode", time.perf_counter() - start)
                return
            self._stats.add("decode", time.perf_counter() - start)
            self._stats.segments_decoded += 1
            self._stats.target_tokens += len(result.hypotheses[0])
            yield result


def probed_engine(stats: Stats, **options: Any) -> Any:
    """An ArgosEngine whose model loads, pair passes and translate calls are recorded."""
    from pipeline.mt.argos import ArgosEngine

    class ProbedEngine(ArgosEngine):
        def _model(self, source: str, target: str) -> Any:
            if (source, target) in self._loaded:
                return super()._model(source, target)
            start = time.perf_counter()
            translator, package = super()._model(source, target)
            stats.add("model_load", time.perf_counter() - start)
            stats.models_loaded.append(f"{source}-{target}")
            self._loaded[(source, target)] = (TimedTranslator(translator, stats), package)
            return self._loaded[(source, target)]

        def _translate_pair(self, texts: Any, source: str, target: str, n: int = 1) -> Any:
            stats.decoded_pairs.append(f"{source}-{target}")
            start = time.perf_counter()
            loads = stats.phases.get("model_load", 0.0)
            out = super()._translate_pair(texts, source, target, n)
            loaded = stats.phases.get("model_load", 0.0) - loads
            stats.add("pair_pass_excl_load", time.perf_counter() - start - loaded)
            return out

        def check(self, source: str, targets: Any) -> None:
            start = time.perf_counter()
            try:
                super().check(source, targets)
            finally:
                stats.add("engine_check", time.perf_counter() - start)

        def translate(self, requests: Any) -> Any:
            stats.texts_translated += len({t for r in requests for t in r.texts})
            start = time.perf_counter()
            try:
                return super().translate(requests)
            finally:
                stats.add("engine_translate", time.perf_counter() - start)

    return ProbedEngine(**options)


def _timed(stats: Stats, phase: str, func: Callable) -> Callable:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            stats.add(phase, time.perf_counter() - start)

    return wrapper


#: Module-level names a run calls, by module; wrapped where they exist, so a refactor
#: degrades the breakdown instead of breaking the benchmark.
_RUNNER_PHASES = {("pipeline.run.runner", "read_article"): "read",
                  ("pipeline.run.runner", "segment_document"): "segment",
                  ("pipeline.run.compute", "plan"): "plan",
                  ("pipeline.run.compute", "finish"): "finish",
                  ("pipeline.run.write", "write_article"): "write"}


def run_job(job: dict) -> dict:
    """One CLI ``run`` in this process, the engine probed, with fresh stats and engine."""
    import importlib

    from pipeline import api
    from pipeline.cli import cli
    from pipeline.mt import engine as engine_module

    stats = Stats()
    reports: list = []
    originals = {}
    for (module_name, name), phase in _RUNNER_PHASES.items():
        module = importlib.import_module(module_name)
        if hasattr(module, name):
            originals[(module, name)] = getattr(module, name)
            setattr(module, name, _timed(stats, phase, getattr(module, name)))
    load_engine = engine_module.load_engine
    write_results = api.write_results

    def probed_load_engine(name: str, **options: Any) -> Any:
        return probed_engine(stats, **options) if name == "argos" else load_engine(name, **options)

    def recorded_write(*args: Any, **kwargs: Any) -> Any:
        reports.extend(write_results(*args, **kwargs))
        return reports

    engine_module.load_engine = probed_load_engine
    api.write_results = recorded_write  # type: ignore[assignment]
    start = time.perf_counter()
    try:
        code = cli.main(args=job["args"], prog_name="python -m pipeline", standalone_mode=False)
    finally:
        engine_module.load_engine = load_engine
        api.write_results = write_results  # type: ignore[assignment]
        for (module, name), func in originals.items():
            setattr(module, name, func)
    run_s = time.perf_counter() - start
    if code:
        raise SystemExit(f"pipeline run failed with exit code {code}: {job['args']}")
    return {"label": job["label"], "run_s": run_s,
            "translate_s": stats.phases.get("pair_pass_excl_load", 0.0),
            "load_s": stats.phases.get("model_load", 0.0), **asdict(stats),
            "breakdown": breakdown(stats, run_s),
            "outputs": [{"lang": r.lang, "segments": r.segments, "origins": r.counts}
                        for r in reports]}


def breakdown(stats: Stats, run_s: float) -> dict[str, float]:
    """Disjoint parts of one run() that add up to its time."""
    p = stats.phases
    pair = p.get("pair_pass_excl_load", 0.0)
    parts = {name: p[name] for name in ("read", "segment", "plan") if name in p}
    parts.update({
        "engine check (imports argostranslate, scans packages)": p.get("engine_check", 0.0),
        "model load": p.get("model_load", 0.0),
        "tokenize + detokenize + loop": pair - p.get("decode", 0.0),
        "CTranslate2 decode": p.get("decode", 0.0),
        "engine routing": p.get("engine_translate", 0.0) - pair - p.get("model_load", 0.0),
    })
    parts.update({name: p[name] for name in ("finish", "write") if name in p})
    parts["rest of the run command (TM, term base, checks)"] = run_s - sum(parts.values())
    return parts


def main() -> None:
    config = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    start = time.perf_counter()
    import pipeline.mt.engine
    import pipeline.run.runner  # noqa: F401 - timed: what the CLI imports before working
    import_s = time.perf_counter() - start
    somajo_s = 0.0
    from pipeline.ingest import segment

    if hasattr(segment, "_somajo"):  # loaded once per process; timed apart from segmenting
        start = time.perf_counter()
        segment._somajo()
        somajo_s = time.perf_counter() - start
    jobs = [run_job(job) for job in config["jobs"]]
    print(json.dumps({"import_s": import_s, "somajo_load_s": somajo_s, "jobs": jobs}))


if __name__ == "__main__":
    main()
