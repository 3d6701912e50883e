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
    _check_targets(result["targets"])
    assert len(result["argos_replaced"]) >= 3


#: The issue's six targets, in report order. Their verdicts are reported, not enforced.
TARGETS = [
    "(a) ≥ 0.9 × (c) throughput",
    "(a) ≥ 3.5 × (b) throughput",
    "de→en decoded once for three targets",
    "unchanged rerun loads no model",
    "`--help` under 0.5 s",
    "fresh venv ≤ 1 GB",
]


def _check_targets(targets: list[dict]) -> None:
    """Every target is measured and judged; the structural ones hold even on the tiny model.

    Speed verdicts depend on the machine, so only their shape is checked; decoding de→en once
    and loading no model on an unchanged rerun are properties of the code, not of the hardware.
    """
    assert [t["target"] for t in targets] == TARGETS
    for target in targets:
        assert isinstance(target["measured"], str) and target["measured"].strip(), target
        assert target["pass"] is None or isinstance(target["pass"], bool), target
    verdicts = {t["target"]: t["pass"] for t in targets}
    assert verdicts["de→en decoded once for three targets"] is True
    assert verdicts["unchanged rerun loads no model"] is True
    # --smoke skips building a venv: that target must say so rather than pass or fail.
    assert verdicts["fresh venv ≤ 1 GB"] is None
    assert targets[-1]["measured"] == "skipped"


def test_nbest_bench_smoke_measures_both_n(tmp_path):
    out = tmp_path / "nbest.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "nbest.py"), "--smoke", "--out", str(out),
         "--cache", str(tmp_path / "cache")],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["corpus"]["texts_with_terms"] > 0
    for n in ("1", "4"):
        assert result["n"][n]["engine_pass_s"] > 0 and result["n"][n]["run_wall_s"] > 0
        assert result["n"][n]["run_engine_s"] > 0
    assert result["n"]["4"]["run_choose_s"] > 0
    assert "| run `--to en,fr`, wall |" in done.stdout
    assert result["n"]["4"]["run_cpu_s"] > 0
