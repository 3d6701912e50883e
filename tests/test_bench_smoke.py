"""The benchmark script runs end to end on a tiny configuration, so it cannot rot unnoticed.

Not a timed test: it checks that every measurement is made and reported, never how fast.
"""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT


def test_bench_smoke_runs_every_variant(tmp_path):
    out = tmp_path / "results"
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run_bench.py"), "--smoke", "--out", str(out),
         "--cache", str(tmp_path / "cache")],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads((out / "latest-tiny.json").read_text(encoding="utf-8"))
    assert (out / "latest-tiny.md").read_text(encoding="utf-8").startswith("### Benchmark")

    for key in ("a_cli", "a_inprocess", "b_argos", "c_raw"):
        variant = result["variants"][key]
        for field in ("time_s", "segments_per_s", "target_tokens_per_s", "peak_rss_mb",
                      "model_load_s"):
            assert variant[field] > 0, (key, field)
    assert all(value > 0 for value in result["ratios"].values())
    # Fair comparison: every variant decodes as many sentences as the CLI sends to the model.
    consistency = result["consistency"]
    assert (consistency["a_segments_decoded"] == consistency["b_segments_decoded"]
            == consistency["c_segments_decoded"] == consistency["segments_captured"] > 0)
    assert result["variants"]["b_argos"]["sentencizers"] == ["MiniSBDSentencizer"]

    assert result["three_targets"]["combined_wall_s"] > 0
    assert result["three_targets"]["separate_total_s"] > 0
    assert result["three_targets"]["decoded_pairs"]
    assert result["rerun"]["wall_s"] > 0
    assert result["help"]["median_s"] > 0
    assert result["machine"]["cores"] > 0
    assert [t["pass"] in (True, False, None) for t in result["targets"]] == [True] * 6
    assert len(result["argos_replaced"]) >= 3
