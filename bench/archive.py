"""Archive scale (issue 18): whole runs over generated articles of distinct sentences, with
the pseudo engine (every stage but a model), into English, French and Spanish.

    python bench/archive.py [--quick] [--sizes 100,1000] [--jobs 1,2] [--ray] [--once 10000]
                            [--real 100,1000] [--out FILE]

Per size and ``--jobs`` (``--ray``: also ``--executor ray`` on a local instance; ``--once``
articles with the last ``--jobs`` only: 10,000 take about 17 minutes on two cores; ``--real``:
the real path, a Transformer-base Argos package of random weights into English with the
memory on, decoding capped at 8 tokens with a beam of 1 since only memory is measured there):
wall time; non-MT milliseconds per segment × language (the wall
time over the segments × languages written: the pseudo engine costs next to nothing); CPU
time of the run's processes; the peak RSS of the driver and of all its processes together
(sampled from /proc every 50 ms); the CPU the rest of the machine used meanwhile (another
job on a two-core machine slows a run down, and this says when); and for the largest size
an unchanged rerun, which finds every article complete. Numbers, not pass/fail.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.measure import _busy_cpu_s, machine_info  # noqa: E402
from pipeline.testing.archive import write_archive  # noqa: E402

FULL = (100, 1000)
ONCE = 10000
QUICK = (20, 60)
TARGETS = "en,fr,es"
PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True)
class Sample:
    """One run: its size, its settings and what it took."""

    articles: int
    jobs: int
    wall_s: float
    segments_x_languages: int
    ms_per_segment_language: float
    cpu_s: float
    driver_peak_rss_mb: float
    all_peak_rss_mb: float
    foreign_cpu_s: float
    rerun: bool = False
    #: ``local``, ``ray``, or ``argos`` (the real path, --jobs 1)
    executor: str = "local"


class Watch:
    """Peak RSS of a process (its own high-water mark) and of it with every descendant."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.driver_kb = 0
        self.all_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            self.driver_kb = max(self.driver_kb, _status_kb(self.pid, "VmHWM"))
            self.all_kb = max(self.all_kb, sum(_rss_kb(p) for p in _family(self.pid)))

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def _status_kb(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _rss_kb(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE // 1024
    except (OSError, ValueError, IndexError):
        return 0


def _family(pid: int) -> list[int]:
    """``pid`` and every process below it."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                parent = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            parents.setdefault(parent, []).append(int(entry.name))
    family, todo = [], [pid]
    while todo:
        current = todo.pop()
        family.append(current)
        todo += parents.get(current, [])
    return family


def run_once(folder: Path, names: list[str], out: Path, jobs: int, executor: str = "local",
             models: Path | None = None) -> Sample:
    """One CLI run over ``names`` (in ``folder``) into ``out``, measured."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "RAY_USAGE_STATS_ENABLED": "0"}
    command = [sys.executable, "-m", "pipeline", "run", *names, "--out", str(out), "--quiet",
               "--jobs", str(jobs), "--glossary", str(ROOT / "glossary")]
    if executor == "argos":
        assert models is not None
        command += ["--to", "en", "--engine", "argos", "--models-dir", str(models),
                    "--max-length", "8", "--beam-size", "1"]
    else:
        command += ["--to", TARGETS, "--engine", "pseudo"]
    if executor == "ray":
        command += ["--executor", "ray"]
    busy, ours = _busy_cpu_s(), _own_cpu_s()
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=folder, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    watch = Watch(process.pid)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    watch.stop()
    error = process.stderr.read().decode() if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"the run failed:\n{error[-3000:]}")
    cpu = usage.ru_utime + usage.ru_stime
    with sqlite3.connect(out / "review.sqlite") as conn:
        (written,) = conn.execute("SELECT count(*) FROM segment WHERE position IS NOT NULL"
                                  ).fetchone()
    return Sample(len(names), jobs if executor == "local" else 1, round(wall, 2), written,
                  round(wall * 1000 / written, 3), round(cpu, 1),
                  round(watch.driver_kb / 1024, 1), round(watch.all_kb / 1024, 1),
                  round(max(0.0, _busy_cpu_s() - busy - cpu - (_own_cpu_s() - ours)), 1),
                  executor=executor)


def real_models(folder: Path) -> Path:
    """A de→en Argos package of Transformer-base shape (random weights), installed."""
    from bench.model_cache import FULL, install_packages
    from pipeline.testing.archive import SAMPLE
    from pipeline.testing.synthetic import build_argos_package

    corpus = SAMPLE.read_text(encoding="utf-8").splitlines()
    file = build_argos_package(folder / "packages", from_code="de", to_code="en",
                               corpus=corpus, **FULL.build_kwargs())
    return install_packages([file], folder / "models")


def _own_cpu_s() -> float:
    """This process's CPU (the watching thread's): not the run's, nor the others'."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"sizes {QUICK}")
    parser.add_argument("--sizes", type=lambda s: tuple(int(n) for n in s.split(",")))
    parser.add_argument("--jobs", type=lambda s: tuple(int(n) for n in s.split(",")),
                        default=(1, 2))
    parser.add_argument("--once", type=int, default=None,
                        help=f"a size run with the last --jobs only [{ONCE}; --quick: none]")
    parser.add_argument("--ray", action="store_true",
                        help="also --executor ray (a local instance) at each size")
    parser.add_argument("--real", type=lambda s: tuple(int(n) for n in s.split(",")),
                        default=(), help="sizes for the real path (Argos, memory on)")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    sizes = args.sizes or (QUICK if args.quick else FULL)
    once = args.once if args.once is not None else (0 if args.quick or args.sizes else ONCE)
    runs = [(size, jobs, "local") for size in sizes for jobs in args.jobs]
    runs += [(size, 1, "ray") for size in sizes] if args.ray else []
    runs.sort(key=lambda run: run[0])
    runs += [(once, args.jobs[-1], "local")] if once else []
    runs += [(size, 1, "argos") for size in args.real]
    samples: list[Sample] = []
    with tempfile.TemporaryDirectory(prefix="bench-archive-") as tmp:
        folder = Path(tmp) / "articles"
        names = [p.name for p in write_archive(folder, max(size for size, _, _ in runs))]
        models = real_models(Path(tmp)) if args.real else None
        last = None
        for size, jobs, executor in runs:
            out = Path(tmp) / f"out-{size}-{jobs}-{executor}"
            samples.append(run_once(folder, names[:size], out, jobs, executor, models))
            print(_line(samples[-1]), flush=True)
            save(args.out, samples)  # what is measured is kept, if a later run fails
            if executor == "local":
                last = (size, out, jobs)
        assert last is not None, "no local run to rerun"
        size, out, jobs = last
        rerun = run_once(folder, names[:size], out, jobs)
        samples.append(Sample(**{**asdict(rerun), "rerun": True}))
        print(_line(samples[-1]), flush=True)
    save(args.out, samples)
    print(table(samples))
    return 0


def save(out: Path | None, samples: list[Sample]) -> None:
    """The report so far as JSON, and its table as Markdown beside it."""
    if out is None:
        return
    report = {"machine": machine_info(), "targets": TARGETS,
              "samples": [asdict(s) for s in samples]}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    out.with_suffix(".md").write_text(table(samples) + "\n", encoding="utf-8")


def _what(s: Sample, code: str = "") -> str:
    if s.rerun:
        return "unchanged rerun"
    return {"ray": f"{code}--executor ray{code}",
            "argos": f"real path ({code}--engine argos{code}, memory on, en)"}.get(
        s.executor, f"{code}--jobs {s.jobs}{code}")


def _line(s: Sample) -> str:
    what = _what(s)
    return (f"{s.articles:6} articles, {what}: {s.wall_s:7.1f} s, "
            f"{s.ms_per_segment_language:.3f} ms per segment × language, driver "
            f"{s.driver_peak_rss_mb:.0f} MB, all {s.all_peak_rss_mb:.0f} MB "
            f"(others used {s.foreign_cpu_s:.0f} CPU s meanwhile)")


def table(samples: list[Sample]) -> str:
    rows = ["| articles | run | wall (s) | non-MT ms / segment × language | CPU (s) | "
            "driver peak RSS (MB) | all processes (MB) | others' CPU (s) |",
            "|---:|---|---:|---:|---:|---:|---:|---:|"]
    for s in samples:
        what = _what(s, "`")
        rows.append(f"| {s.articles:,} | {what} | {s.wall_s:.1f} | "
                    f"{s.ms_per_segment_language:.2f} | {s.cpu_s:.0f} | "
                    f"{s.driver_peak_rss_mb:.0f} | {s.all_peak_rss_mb:.0f} | "
                    f"{s.foreign_cpu_s:.0f} |")
    return "\n".join(rows)


if __name__ == "__main__":
    sys.exit(main())
