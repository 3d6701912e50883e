"""Timing and memory of isolated subprocesses, and what machine the numbers came from.

Each measured thing runs in its own process and is reaped with ``os.wait4``, whose rusage
belongs to that child alone: ``RUSAGE_CHILDREN`` would report the largest child so far, so
one big variant would mask the peaks of the others.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Measured:
    """One finished subprocess: wall time, exit status, its own peak RSS and its output.

    ``foreign_cpu_s`` is the CPU time the rest of the machine used meanwhile: on a shared
    two-core machine a test run elsewhere slows the child down, and this says when.
    """

    wall_s: float
    returncode: int
    peak_rss_mb: float
    stdout: str
    stderr: str
    cpu_s: float = 0.0
    foreign_cpu_s: float = 0.0

    def check(self, what: str) -> Measured:
        """Fail loudly: a benchmark that silently timed an error message is worse than none."""
        if self.returncode != 0:
            raise RuntimeError(f"{what} failed with exit code {self.returncode}:\n"
                               f"{self.stderr[-3000:]}")
        return self

    def last_json(self) -> dict:
        """Workers print their result as the last line of stdout."""
        return json.loads(self.stdout.strip().splitlines()[-1])


#: Run in a bare ``python -S`` between us and the measured command. The kernel carries the
#: pre-exec address space's high-water mark into the child's ru_maxrss, so a child forked
#: straight from this (large) process would report at least our size; forked from this
#: launcher, the floor is the launcher's few MB. It also times the child without counting
#: its own start-up.
_LAUNCHER = """
import os, sys, time
start = time.perf_counter()
pid = os.posix_spawnp(sys.argv[2], sys.argv[2:], os.environ)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
cpu = usage.ru_utime + usage.ru_stime
with open(sys.argv[1], "w") as out:
    out.write(f"{wall!r} {os.waitstatus_to_exitcode(status)} {usage.ru_maxrss} {cpu!r}")
"""


def _busy_cpu_s() -> float:
    """CPU seconds the whole machine has spent not idle since boot (all cores)."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except (OSError, IndexError):
        return 0.0
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_measured(command: Sequence[str], *, env: Mapping[str, str] | None = None,
                 cwd: Path = ROOT) -> Measured:
    """Run ``command`` to completion; output goes to files so no pipe can block the child."""
    with tempfile.TemporaryDirectory(prefix="measure-") as tmp:
        stats, out_path, err_path = (Path(tmp) / name for name in ("stats", "out", "err"))
        busy, ours = _busy_cpu_s(), _children_cpu_s()
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            subprocess.run([sys.executable, "-S", "-c", _LAUNCHER, str(stats), *command],
                           stdout=out, stderr=err, cwd=cwd, check=True,
                           env=dict(env) if env is not None else None)
        foreign = (_busy_cpu_s() - busy) - (_children_cpu_s() - ours)
        wall, returncode, maxrss_kib, cpu = stats.read_text().split()
        return Measured(wall_s=float(wall), returncode=int(returncode),
                        peak_rss_mb=int(maxrss_kib) / 1024, cpu_s=float(cpu),
                        foreign_cpu_s=max(0.0, foreign),
                        stdout=out_path.read_text("utf-8", "replace"),
                        stderr=err_path.read_text("utf-8", "replace"))


def run_worker(script: str, config: Mapping, *, env: Mapping[str, str], scratch: Path,
               label: str) -> tuple[Measured, dict]:
    """Run ``bench/<script>`` with a JSON config file; return the measurement and its result."""
    config_path = scratch / f"{label}.config.json"
    config_path.write_text(json.dumps(config, indent=2), encoding="utf-8")
    measured = run_measured([sys.executable, str(ROOT / "bench" / script), str(config_path)],
                            env=env).check(label)
    return measured, measured.last_json()


def median(values: Sequence[float]) -> float:
    """Median of repeats: one slow outlier (a page-cache miss, a cron job) does not count."""
    return float(statistics.median(values))


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024**2, 1)
    except OSError:
        pass
    return 0.0


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def _git_commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+uncommitted changes" if dirty else "")


def machine_info() -> dict:
    """What a reader needs to compare these numbers with theirs."""
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count() or 0,
        "ram_gib": _ram_gib(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "ctranslate2": _version("ctranslate2"),
        "sentencepiece": _version("sentencepiece"),
        "argostranslate": _version("argostranslate"),
        "somajo": _version("SoMaJo"),
        "commit": _git_commit(),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }
