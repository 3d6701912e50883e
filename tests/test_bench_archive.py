"""The archive benchmark runs end to end at a tiny size, so it cannot rot unnoticed.

Not a timed test: it checks that every measurement is made and reported, never how fast.
"""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT


def test_the_archive_benchmark_measures_every_run(tmp_path):
    out = tmp_path / "archive.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "archive.py"), "--sizes", "2,4", "--jobs", "1,2",
         "--ray", "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(out.read_text(encoding="utf-8"))
    runs = [(s["articles"], s["jobs"], s["executor"], s["rerun"]) for s in report["samples"]]
    assert runs == [(2, 1, "local", False), (2, 2, "local", False), (2, 1, "ray", False),
                    (4, 1, "local", False), (4, 2, "local", False), (4, 1, "ray", False),
                    (4, 2, "local", True)]
    for sample in report["samples"]:
        for field in ("wall_s", "segments_x_languages", "ms_per_segment_language",
                      "driver_peak_rss_mb", "all_peak_rss_mb"):
            assert sample[field] > 0, (sample, field)
    first, rerun = report["samples"][4], report["samples"][-1]
    assert rerun["segments_x_languages"] == first["segments_x_languages"]
    assert out.with_suffix(".md").read_text(encoding="utf-8").startswith("| articles |")
    assert report["machine"]["cores"] > 0
