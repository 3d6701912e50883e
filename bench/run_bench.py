"""The benchmark (issue 7): the pipeline against Argos's own path and against raw CTranslate2.

    python bench/run_bench.py [--quick] [--repeats N] [--out bench/results] [--skip-venv]
                              [--cache bench/.cache] [--keep]

Builds (once, cached in bench/.cache/) Argos packages with the shape of real ones and random
weights, installs them into a temporary models folder, makes a German corpus of 200+
distinct sentences from the sample article, and measures, in isolated subprocesses with the
same decoding cap, beam size and threads:
  (a) ``python -m pipeline run`` end to end (and, apart, in-process with a phase breakdown),
  (b) Argos Translate's own translate() per paragraph (bench/argos_baseline.py),
  (c) one sorted, token-batched translate_batch over the same segments (bench/raw_ct2.py),
plus three targets at once against three runs, a rerun of an unchanged article, the start-up
of ``--help`` and the size of a fresh venv. Writes JSON and a Markdown table to --out and
prints the table. Numbers, not pass/fail: the exit code is 0 whatever the targets say.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus import Corpus, build_corpus  # noqa: E402
from bench.measure import Measured, machine_info, median, run_measured, run_worker  # noqa: E402
from bench.model_cache import (  # noqa: E402
    CACHE,
    FULL,
    QUICK,
    TINY,
    ModelSpec,
    build_packages,
    install_packages,
)
from bench.report import render_markdown, summarize  # noqa: E402

RESULTS = ROOT / "bench" / "results"
TARGETS = ("en", "fr", "es")


@dataclass(frozen=True)
class BenchConfig:
    """Everything a run depends on; the smoke test shrinks it, the CLI sets a few fields."""

    spec: ModelSpec = FULL
    repeats: int = 3
    #: the three-targets comparison costs five pair passes per repeat: once by default
    multi_repeats: int = 1
    paragraphs: int = 54
    min_segments: int = 200
    #: paragraphs of the small article the in-process probe uses for structural checks
    probe_paragraphs: int = 3
    max_decoding_length: int = 64
    beam_size: int = 4
    threads: int = 2
    help_repeats: int = 10
    skip_venv: bool = False
    cache: Path = CACHE
    out: Path | None = RESULTS
    keep: bool = False


#: The smoke test's configuration: every code path, a tiny model, seconds.
SMOKE = BenchConfig(spec=TINY, repeats=1, paragraphs=4, min_segments=10, probe_paragraphs=2,
                    max_decoding_length=8, help_repeats=2, skip_venv=True)


@dataclass(frozen=True)
class Sandbox:
    """Temporary folders for one run; nothing is written to $HOME or the work tree."""

    root: Path
    models: Path
    env: dict

    @classmethod
    def create(cls) -> Sandbox:
        root = Path(tempfile.mkdtemp(prefix="pipeline-bench-"))
        env = dict(os.environ)
        for var, sub in {"XDG_DATA_HOME": "xdg/data", "XDG_CONFIG_HOME": "xdg/config",
                         "XDG_CACHE_HOME": "xdg/cache", "ARGOS_PACKAGES_DIR": "models"}.items():
            (root / sub).mkdir(parents=True, exist_ok=True)
            env[var] = str(root / sub)
        env.pop("PIPELINE_MODELS_DIR", None)
        return cls(root=root, models=root / "models", env=env)

    @contextlib.contextmanager
    def isolated(self) -> Iterator[None]:
        """This process too: argostranslate creates folders from these when first imported.

        Restored afterwards, so a caller's environment (a test session's) is left as it was.
        """
        names = ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "ARGOS_PACKAGES_DIR",
                 "PIPELINE_MODELS_DIR")
        saved = {name: os.environ.get(name) for name in names}
        for name in names:
            if name in self.env:
                os.environ[name] = self.env[name]
            else:
                os.environ.pop(name, None)
        try:
            yield
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value

    def dir(self, name: str) -> Path:
        path = self.root / name
        path.mkdir(parents=True, exist_ok=True)
        return path


class CaptureEngine:
    """An engine that records what the runner asks to translate, so (c) decodes the same."""

    name = "capture"
    memorable = False

    def __init__(self) -> None:
        self.texts: list[str] = []

    def check(self, source: str, targets: Sequence[str]) -> None:
        """Every target is reachable: nothing is translated."""

    def signature(self, source: str, target: str) -> str:
        return "capture"

    def via(self, source: str, target: str) -> str | None:
        """Direct: the bench measures one pass per pair."""
        return None

    def translate(self, requests: Sequence[Any]) -> list[Any]:
        from pipeline.mt.engine import Hypothesis, Result

        self.texts = sorted({text for request in requests for text in request.texts})
        return [Result(r, tuple((Hypothesis(text),) for text in r.texts)) for r in requests]


@contextlib.contextmanager
def _in_root() -> Iterator[None]:
    """The CLI finds ./glossary relative to the working directory, as a user's shell would."""
    previous = Path.cwd()
    os.chdir(ROOT)
    try:
        yield
    finally:
        os.chdir(previous)


def capture_segments(args: Sequence[str]) -> list[str]:
    """The exact texts the CLI sends to the engine (masked, deduplicated, glossary applied).

    The real CLI runs in-process with the engine swapped for one that records and echoes,
    so (c) decodes what (a) decodes, whatever the CLI's defaults (term base, chunking) are.
    """
    from pipeline.cli import cli
    from pipeline.mt import engine as engine_module

    capture = CaptureEngine()
    original = engine_module.load_engine
    engine_module.load_engine = lambda name, **options: capture
    try:
        with _in_root():
            code = cli.main(args=list(args), prog_name="python -m pipeline",
                            standalone_mode=False)
    finally:
        engine_module.load_engine = original
    if code:
        raise RuntimeError(f"capturing the segments failed (exit code {code})")
    return capture.texts


def decode_settings(config: BenchConfig, models: Path) -> dict:
    """The settings every variant shares; batch size and length penalty are the pipeline's."""
    from pipeline.mt.argos import DecodeOptions

    defaults = DecodeOptions()
    return {"models_dir": str(models), "compute_type": "int8", "beam_size": config.beam_size,
            "max_decoding_length": config.max_decoding_length, "intra_threads": config.threads,
            "inter_threads": 1, "max_batch_tokens": defaults.max_batch_tokens,
            "length_penalty": defaults.length_penalty}


def cli_args(config: BenchConfig, articles: Sequence[Path], targets: Sequence[str],
             out: Path, models: Path, *, as_json: bool = False) -> list[str]:
    """``run`` arguments exactly as a user would type them; every other option at its default."""
    return ["run", *map(str, articles), "--to", ",".join(targets), "--models-dir", str(models),
            "--max-length", str(config.max_decoding_length),
            "--beam-size", str(config.beam_size), "--threads", str(config.threads),
            "--quiet", *(["--json"] if as_json else []), "--out", str(out)]


def cli_command(config: BenchConfig, articles: Sequence[Path], targets: Sequence[str],
                out: Path, models: Path, *, as_json: bool = False) -> list[str]:
    """``python -m pipeline run …``, the command (a) times."""
    return [sys.executable, "-m", "pipeline",
            *cli_args(config, articles, targets, out, models, as_json=as_json)]


def measure_variants(config: BenchConfig, box: Sandbox, article: Path,
                     segments_file: Path) -> dict[str, list]:
    """(a), (a) in-process, (b) and (c), interleaved per repeat so drift hits all alike."""
    decode = decode_settings(config, box.models)
    runs: dict[str, list] = {"a_cli": [], "a_inprocess": [], "b_argos": [], "c_raw": []}
    for repeat in range(config.repeats):
        out = box.dir(f"out-a-{repeat}")
        measured = run_measured(cli_command(config, [article], ["en"], out, box.models),
                                env=box.env).check("(a) pipeline run")
        runs["a_cli"].append({"wall_s": measured.wall_s, "peak_rss_mb": measured.peak_rss_mb,
                              "cpu_s": measured.cpu_s,
                              "foreign_cpu_s": measured.foreign_cpu_s, "out_dir": str(out)})
        for key, script, worker_config in (
            ("b_argos", "argos_baseline.py", {**decode, "article": str(article)}),
            ("c_raw", "raw_ct2.py", {**decode, "segments_file": str(segments_file)}),
            ("a_inprocess", "inprocess.py", {"jobs": [
                {"label": "en", "args": cli_args(config, [article], ["en"],
                                                 box.dir(f"out-inprocess-{repeat}"),
                                                 box.models)}]}),
        ):
            measured, result = run_worker(script, worker_config, env=box.env,
                                          scratch=box.root, label=f"{key}-{repeat}")
            runs[key].append({**result, "wall_s": measured.wall_s,
                              "peak_rss_mb": measured.peak_rss_mb, "cpu_s": measured.cpu_s,
                              "foreign_cpu_s": measured.foreign_cpu_s})
        foreign = sum(runs[key][-1]["foreign_cpu_s"] for key in runs)
        print(f"  repeat {repeat + 1}/{config.repeats}: a {runs['a_cli'][-1]['wall_s']:.1f} s, "
              f"b {runs['b_argos'][-1]['loop_s']:.1f} s, c {runs['c_raw'][-1]['decode_s']:.1f} s"
              f" (other processes: {foreign:.1f} CPU s)", file=sys.stderr)
    return runs


def _json_report(measured: Measured) -> list[dict]:
    return json.loads(measured.stdout)


def measure_rerun(config: BenchConfig, box: Sandbox, article: Path, out_dir: Path) -> dict:
    """A second ``run`` on an output folder (a) already filled: what does it redo?"""
    measured = run_measured(cli_command(config, [article], ["en"], out_dir, box.models,
                                        as_json=True), env=box.env).check("rerun")
    return {"wall_s": measured.wall_s, "peak_rss_mb": measured.peak_rss_mb,
            "foreign_cpu_s": measured.foreign_cpu_s, "report": _json_report(measured)}


def measure_three_targets(config: BenchConfig, box: Sandbox, article: Path) -> dict:
    """One ``--to en,fr,es`` against three single-target runs (each pivots on its own)."""
    combined, separate, reports = [], [], []
    for repeat in range(config.multi_repeats):
        measured = run_measured(
            cli_command(config, [article], TARGETS, box.dir(f"out-multi-{repeat}"), box.models,
                        as_json=True), env=box.env).check("three targets")
        combined.append(measured)
        reports = _json_report(measured)
        separate.append({target: run_measured(
            cli_command(config, [article], [target], box.dir(f"out-single-{target}-{repeat}"),
                        box.models), env=box.env).check(f"--to {target}")
            for target in TARGETS})
    return {
        "combined_wall_s": median([m.wall_s for m in combined]),
        "combined_peak_rss_mb": max(m.peak_rss_mb for m in combined),
        "separate_wall_s": {t: median([s[t].wall_s for s in separate]) for t in TARGETS},
        "separate_total_s": median([sum(s[t].wall_s for t in TARGETS) for s in separate]),
        "report": reports,
        "repeats": config.multi_repeats,
        "foreign_cpu_s": sum(m.foreign_cpu_s for m in combined)
        + sum(m.foreign_cpu_s for s in separate for m in s.values()),
    }


def probe_structure(config: BenchConfig, box: Sandbox, corpus: Corpus) -> dict:
    """In-process on a small article: pairs decoded for three targets, and what a rerun loads.

    Which pairs are decoded and whether a rerun loads a model do not depend on the article's
    length, so a few paragraphs answer it without another full-size decode.
    """
    small = Corpus(corpus.paragraphs[:config.probe_paragraphs], ()).write(
        box.dir("probe-article"), "probe.txt")
    rerun_out = box.dir("probe-rerun")
    jobs = [
        {"label": "three_targets",
         "args": cli_args(config, [small], TARGETS, box.dir("probe-multi"), box.models)},
        {"label": "first_run", "args": cli_args(config, [small], ["en"], rerun_out, box.models)},
        {"label": "rerun", "args": cli_args(config, [small], ["en"], rerun_out, box.models)},
    ]
    _, result = run_worker("inprocess.py", {"jobs": jobs}, env=box.env, scratch=box.root,
                           label="probe")
    return {job["label"]: job for job in result["jobs"]}


def measure_help(config: BenchConfig, box: Sandbox) -> dict:
    """``python -m pipeline --help``: what every command pays before doing anything."""
    walls = [run_measured([sys.executable, "-m", "pipeline", "--help"], env=box.env)
             .check("--help").wall_s for _ in range(config.help_repeats)]
    return {"median_s": median(walls), "runs_s": walls}


def measure_venv(box: Sandbox) -> dict:
    """A fresh venv with the pipeline and argostranslate --no-deps, as the README installs it.

    Installed from a copy of the sources, so pip's in-tree build leaves the work tree alone.
    """
    source = box.dir("venv-src")
    shutil.copy2(ROOT / "pyproject.toml", source)
    shutil.copy2(ROOT / "README.md", source)
    shutil.copytree(ROOT / "pipeline", source / "pipeline",
                    ignore=shutil.ignore_patterns("__pycache__"))
    venv = box.root / "venv"
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, env=box.env)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    requirements = ROOT / "requirements"
    subprocess.run([*pip, "-c", str(requirements / "lock.txt"), str(source)], check=True,
                   env=box.env)
    subprocess.run([*pip, "--no-deps", "-r", str(requirements / "argos.txt")], check=True,
                   env=box.env)
    install_s = time.perf_counter() - start
    du = subprocess.run(["du", "-sk", str(venv)], capture_output=True, text=True, check=True)
    return {"size_mb": int(du.stdout.split()[0]) / 1024, "install_s": install_s}


def prepare(config: BenchConfig, box: Sandbox) -> tuple[Corpus, Path, Path, dict]:
    """Corpus, packages (cached) and the captured segments; checks the corpus is fair."""
    corpus = build_corpus(config.paragraphs)
    article = corpus.write(box.dir("articles"))
    start = time.perf_counter()
    files = build_packages(config.spec, corpus.paragraphs, config.cache)
    build_s = time.perf_counter() - start
    start = time.perf_counter()
    install_packages(files, box.models)
    install_s = time.perf_counter() - start
    segments = capture_segments(cli_args(config, [article], ["en"], box.dir("capture"),
                                         box.models))
    if len(segments) < config.min_segments:
        raise RuntimeError(f"the corpus gives {len(segments)} distinct segments; "
                           f"{config.min_segments} needed")
    segments_file = box.root / "segments.json"
    segments_file.write_text(json.dumps(segments, ensure_ascii=False), encoding="utf-8")
    info = {"paragraphs": len(corpus.paragraphs), "segments": len(segments),
            "package_build_s": build_s, "package_install_s": install_s,
            "package_mb": sum(f.stat().st_size for f in files) / 1024**2 / len(files)}
    return corpus, article, segments_file, info


def collect(config: BenchConfig, box: Sandbox) -> dict:
    """Every measurement, raw; the slow variants first, then the structural checks."""
    corpus, article, segments_file, corpus_info = prepare(config, box)
    print(f"corpus: {corpus_info['segments']} segments in {corpus_info['paragraphs']} "
          f"paragraphs; model {config.spec.name}", file=sys.stderr)
    runs = measure_variants(config, box, article, segments_file)
    return {
        "machine": machine_info(),
        "config": {**asdict(config), "decode": decode_settings(config, box.models),
                   "cache": None, "out": None},
        "corpus": corpus_info,
        "runs": runs,
        "rerun": measure_rerun(config, box, article, Path(runs["a_cli"][-1]["out_dir"])),
        "three_targets": measure_three_targets(config, box, article),
        "probe": probe_structure(config, box, corpus),
        "help": measure_help(config, box),
        "venv": None if config.skip_venv else _venv_or_error(box),
    }


def _venv_or_error(box: Sandbox) -> dict:
    """pip needs its index; a failure there should not throw away half an hour of timings."""
    try:
        return measure_venv(box)
    except (OSError, subprocess.CalledProcessError) as exc:
        return {"error": str(exc)}


def run_benchmark(config: BenchConfig) -> dict:
    """Measure, summarize, write config.out/latest.{json,md}; returns the result."""
    box = Sandbox.create()
    try:
        with box.isolated():
            result = summarize(collect(config, box))
    finally:
        if not config.keep:
            shutil.rmtree(box.root, ignore_errors=True)
    if config.out is not None:
        write_results(result, config)
    return result


def write_results(result: dict, config: BenchConfig) -> tuple[Path, Path]:
    """latest.json / latest.md for full runs; other model sizes get their own names."""
    assert config.out is not None
    config.out.mkdir(parents=True, exist_ok=True)
    stem = "latest" if config.spec == FULL else f"latest-{config.spec.name}"
    json_path, md_path = config.out / f"{stem}.json", config.out / f"{stem}.md"
    for path, text in ((json_path, json.dumps(result, indent=2, ensure_ascii=False) + "\n"),
                       (md_path, render_markdown(result))):
        tmp = path.with_name(path.name + ".tmp")  # never half a file where the README points
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    return json_path, md_path


def parse_args(argv: Sequence[str] | None = None) -> BenchConfig:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="1 repeat and a smaller model (3+3 layers, d_model 256)")
    parser.add_argument("--repeats", type=int, default=None, help="repeats (default 3)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="results folder")
    parser.add_argument("--skip-venv", action="store_true", help="skip the fresh-venv size")
    parser.add_argument("--cache", type=Path, default=CACHE, help="package cache folder")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--smoke", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    config = SMOKE if args.smoke else BenchConfig()
    config = replace(config, out=args.out, cache=args.cache, keep=args.keep,
                     skip_venv=args.skip_venv or config.skip_venv)
    if args.quick:
        config = replace(config, spec=QUICK, repeats=1)
    if args.repeats is not None:
        config = replace(config, repeats=max(1, args.repeats))
    return config


def main(argv: Sequence[str] | None = None) -> int:
    config = parse_args(argv)
    result = run_benchmark(config)
    print(render_markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
