"""The window no lock closes: per PO/XLIFF file, the time between a run's last read of it
(the harvest in its locked write section) and the rename that replaces it. An editor that
saves inside this window loses that save to the rename (README, "The review store").

    python bench/write_window.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    import pipeline.store.harvest as harvest
    from pipeline.mt.pseudo import PseudoEngine
    from pipeline.run.options import RunOptions
    from pipeline.run.runner import run

    out = Path(tempfile.mkdtemp()) / "out"
    article = ROOT / "articles" / "de" / "sora-hollywood.txt"
    options = RunOptions(targets=("en", "fr", "es"), out_dir=out, quiet=True,
                         glossary=ROOT / "glossary")
    run([article], options, PseudoEngine())
    marks: dict[str, list[float]] = {}
    real_read, real_replace = harvest.read_input, os.replace

    def read(path, *rest, **options):  # noqa: ANN001, ANN002, ANN003, ANN202
        if path.suffix in (".po", ".xlf"):
            marks.setdefault(str(path), []).append(time.perf_counter())
        return real_read(path, *rest, **options)

    def replace(src, dst, *rest, **options):  # noqa: ANN001, ANN002, ANN003, ANN202
        done = real_replace(src, dst, *rest, **options)
        if str(dst) in marks:
            marks[str(dst)].append(time.perf_counter())
        return done

    harvest.read_input, os.replace = read, replace
    windows = []
    try:
        for _ in range(args.runs):
            marks.clear()
            po = out / "en" / "LC_MESSAGES" / "sora-hollywood.po"
            po.write_text(po.read_text(encoding="utf-8").replace("#, fuzzy\n", "", 1),
                          encoding="utf-8")  # a reviewer's sign-off: the run has work
            run([article], options, PseudoEngine())
            windows += [(ts[-1] - ts[-2]) * 1000 for ts in marks.values() if len(ts) >= 2]
    finally:
        harvest.read_input, os.replace = real_read, real_replace
    print(f"window per file over {len(windows)} files: median "
          f"{statistics.median(windows):.0f} ms, at most {max(windows):.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
