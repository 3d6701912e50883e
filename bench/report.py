"""Turn raw benchmark runs into medians, ratios, target verdicts and a Markdown report.

Kept apart from the measuring so the report can be re-rendered from a saved JSON file
(``python bench/report.py bench/results/latest.json``) without re-running anything.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.argos_baseline import REPLACED  # noqa: E402
from bench.measure import median  # noqa: E402

#: The issue's targets.
A_OVER_C = 0.90
A_OVER_B = 3.5
HELP_S = 0.5
VENV_MB = 1024


def _med(runs: list[dict], key: str) -> float:
    return median([run[key] for run in runs])


def _variant(runs: list[dict], key: str, segments: int, tokens: int, load_s: float | None,
             **extra: object) -> dict:
    """Median time of ``key`` over the repeats, its spread, and how busy the machine was."""
    times = [run[key] for run in runs]
    time_s = median(times)
    return {"time_s": time_s, "range_s": [min(times), max(times)], "segments": segments,
            "target_tokens": tokens, "segments_per_s": segments / time_s,
            "target_tokens_per_s": tokens / time_s,
            "peak_rss_mb": max(run["peak_rss_mb"] for run in runs), "model_load_s": load_s,
            "foreign_cpu_s": [run.get("foreign_cpu_s", 0.0) for run in runs], **extra}


def _variants(raw: dict) -> dict:
    runs, n = raw["runs"], raw["corpus"]["segments"]
    jobs = [dict(run["jobs"][0], wall_s=run["wall_s"], peak_rss_mb=run["peak_rss_mb"],
                 foreign_cpu_s=run.get("foreign_cpu_s", 0.0))
            for run in runs["a_inprocess"]]
    tokens_a = int(_med(jobs, "target_tokens"))
    b, c = runs["b_argos"], runs["c_raw"]
    return {
        "a_cli": _variant(runs["a_cli"], "wall_s", n, tokens_a, _med(jobs, "load_s"),
                          what="python -m pipeline run, wall time end to end"),
        "a_inprocess": _variant(jobs, "translate_s", n, tokens_a, _med(jobs, "load_s"),
                                what="engine pass in-process, model load excluded",
                                run_s=_med(jobs, "run_s")),
        "b_argos": _variant(b, "loop_s", b[0]["segments"], b[0]["target_tokens"],
                            _med(b, "load_s"),
                            what="argostranslate translate() per paragraph, lazy load included",
                            translate_excl_load_s=_med(b, "translate_s"),
                            decode_s=_med(b, "decode_s"), paragraphs=b[0]["paragraphs"],
                            translate_batch_calls=b[0]["translate_batch_calls"],
                            sentencizers=b[0]["sentencizers"]),
        "c_raw": _variant(c, "decode_s", c[0]["segments"], c[0]["target_tokens"],
                          _med(c, "load_s"), what="one sorted translate_batch, decode only",
                          tokenize_s=_med(c, "tokenize_s")),
    }


def _ratios(variants: dict) -> dict:
    def ratio(x: str, y: str) -> float:
        return variants[x]["segments_per_s"] / variants[y]["segments_per_s"]

    return {"a_over_c": ratio("a_cli", "c_raw"), "a_over_b": ratio("a_cli", "b_argos"),
            "a_inprocess_over_c": ratio("a_inprocess", "c_raw"),
            "a_inprocess_over_b": ratio("a_inprocess", "b_argos")}


def _breakdown(raw: dict, variants: dict) -> dict:
    """Where (a)'s wall time goes: in-process medians; what they miss is left over."""
    runs = raw["runs"]["a_inprocess"]
    inner = [r["jobs"][0]["breakdown"] for r in runs]
    parts = {"interpreter + CLI start (`--help` median)": raw["help"]["median_s"],
             "import pipeline.run.runner/engine": _med(runs, "import_s"),
             "SoMaJo load": _med(runs, "somajo_load_s"),
             **{key: median([b.get(key, 0.0) for b in inner]) for key in inner[0]}}
    parts["left over: (a)'s median minus the parts above (CLI, exit, noise)"] = (
        variants["a_cli"]["time_s"] - sum(parts.values()))
    return parts


def _targets(raw: dict, variants: dict, ratios: dict) -> list[dict]:
    probe, three = raw["probe"], raw["three_targets"]
    pairs = probe["three_targets"]["decoded_pairs"]
    rerun = probe["rerun"]
    venv = raw["venv"]
    return [
        {"target": f"(a) ≥ {A_OVER_C} × (c) throughput",
         "measured": f"{ratios['a_over_c']:.2f} × (in-process {ratios['a_inprocess_over_c']:.2f})",
         "pass": ratios["a_over_c"] >= A_OVER_C},
        {"target": f"(a) ≥ {A_OVER_B} × (b) throughput",
         "measured": f"{ratios['a_over_b']:.2f} × (in-process {ratios['a_inprocess_over_b']:.2f})",
         "pass": ratios["a_over_b"] >= A_OVER_B},
        {"target": "de→en decoded once for three targets",
         "measured": f"pairs decoded: {', '.join(pairs)}; `--to en,fr,es` "
                     f"{three['combined_wall_s']:.1f} s vs three runs "
                     f"{three['separate_total_s']:.1f} s",
         "pass": pairs.count("de-en") == 1},
        {"target": "unchanged rerun loads no model",
         "measured": f"models loaded: {', '.join(rerun['models_loaded']) or 'none'}; "
                     f"{rerun['texts_translated']} texts re-translated; rerun "
                     f"{raw['rerun']['wall_s']:.1f} s vs first run "
                     f"{variants['a_cli']['time_s']:.1f} s",
         "pass": not rerun["models_loaded"]},
        {"target": f"`--help` under {HELP_S} s",
         "measured": f"{raw['help']['median_s']:.3f} s", "pass": raw["help"]["median_s"] < HELP_S},
        {"target": "fresh venv ≤ 1 GB",
         "measured": "skipped" if venv is None else (
             f"{venv['size_mb']:.0f} MB" if "size_mb" in venv else f"failed: {venv['error']}"),
         "pass": None if venv is None or "size_mb" not in venv else venv["size_mb"] <= VENV_MB},
    ]


def _consistency(raw: dict) -> dict:
    """Do the variants decode the same work? If not, their ratios compare different things."""
    runs = raw["runs"]
    job = runs["a_inprocess"][0]["jobs"][0]
    return {"segments_captured": raw["corpus"]["segments"],
            "a_segments_decoded": job["segments_decoded"],
            "b_segments_decoded": runs["b_argos"][0]["segments"],
            "c_segments_decoded": runs["c_raw"][0]["segments"],
            "a_target_tokens": job["target_tokens"],
            "b_target_tokens": runs["b_argos"][0]["target_tokens"],
            "c_target_tokens": runs["c_raw"][0]["target_tokens"],
            "b_source_tokens": runs["b_argos"][0]["source_tokens"],
            "c_source_tokens": runs["c_raw"][0]["source_tokens"]}


def summarize(raw: dict) -> dict:
    """Medians, ratios, breakdown and verdicts; the raw runs are kept alongside."""
    variants = _variants(raw)
    ratios = _ratios(variants)
    return {
        "machine": raw["machine"], "config": raw["config"], "corpus": raw["corpus"],
        "variants": variants, "ratios": ratios,
        "breakdown_a_s": _breakdown(raw, variants),
        "three_targets": {**raw["three_targets"],
                          "decoded_pairs": raw["probe"]["three_targets"]["decoded_pairs"],
                          "models_loaded": raw["probe"]["three_targets"]["models_loaded"]},
        "rerun": {**raw["rerun"], "probe": raw["probe"]["rerun"],
                  "probe_first_run": raw["probe"]["first_run"]},
        "consistency": _consistency(raw),
        "help": raw["help"], "venv": raw["venv"],
        "targets": _targets(raw, variants, ratios),
        "argos_replaced": list(REPLACED),
        "runs": raw["runs"],
    }


_LABELS = {
    "a_cli": "(a) `python -m pipeline run` end to end",
    "a_inprocess": "(a) in-process engine pass (load excluded)",
    "b_argos": "(b) Argos `translate()` per paragraph",
    "c_raw": "(c) one sorted `translate_batch` (decode only)",
}


def _verdict(value: bool | None) -> str:
    return {True: "pass", False: "**miss**", None: "n/a"}[value]


def _header(result: dict) -> list[str]:
    m, c, spec, corpus = result["machine"], result["config"], result["config"]["spec"], \
        result["corpus"]
    d = c["decode"]
    return [
        f"### Benchmark — {m['date']}, commit {m['commit']}",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM, {m['os']}; "
        f"Python {m['python']}, CTranslate2 {m['ctranslate2']}, SentencePiece "
        f"{m['sentencepiece']}, argostranslate {m['argostranslate']}, SoMaJo {m['somajo']}.",
        "",
        f"Model ({spec['name']}, seeded random weights, shape of a real Argos package): "
        f"{spec['num_layers'][0]}+{spec['num_layers'][1]} layers, d_model {spec['d_model']}, "
        f"{spec['num_heads']} heads, FFN {spec['ffn_dim']}, vocabulary {spec['vocab_size']}, "
        f"{spec['quantization']}, {corpus['package_mb']:.0f} MB per package. Corpus: "
        f"{corpus['segments']} distinct segments in {corpus['paragraphs']} paragraphs (de→en). "
        f"Every variant: beam {d['beam_size']}, max_decoding_length {d['max_decoding_length']} "
        f"(random weights never stop early), intra_threads {d['intra_threads']}, inter_threads "
        f"{d['inter_threads']}, CPU; medians of {c['repeats']} repeat(s), each variant in its own "
        "process.",
        "",
    ]


def _variant_table(result: dict) -> list[str]:
    lines = ["| variant | time (s), median | range (s) | segments/s | target tokens/s | "
             "peak RSS (MB) | model load (s) | other processes' CPU (s) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for key, label in _LABELS.items():
        v = result["variants"][key]
        low, high = v["range_s"]
        foreign = "/".join(f"{x:.1f}" for x in v["foreign_cpu_s"])
        lines.append(f"| {label} | {v['time_s']:.2f} | {low:.2f}–{high:.2f} | "
                     f"{v['segments_per_s']:.2f} | {v['target_tokens_per_s']:.0f} | "
                     f"{v['peak_rss_mb']:.0f} | {v['model_load_s']:.2f} | {foreign} |")
    r = result["ratios"]
    lines += ["", f"Throughput ratios: a/c = **{r['a_over_c']:.2f}**, a/b = "
              f"**{r['a_over_b']:.2f}** (in-process pass: a/c {r['a_inprocess_over_c']:.2f}, "
              f"a/b {r['a_inprocess_over_b']:.2f}). The last column is the CPU time the rest "
              "of the machine used during each repeat (other sessions' tests on the same "
              "cores); a large value there means that repeat was slowed down from outside.",
              ""]
    return lines


def _targets_table(result: dict) -> list[str]:
    lines = ["| target | measured | result |", "|---|---|---|"]
    lines += [f"| {t['target']} | {t['measured']} | {_verdict(t['pass'])} |"
              for t in result["targets"]]
    return lines + [""]


def _details(result: dict) -> list[str]:
    three, rerun, help_, venv = (result["three_targets"], result["rerun"], result["help"],
                                 result["venv"])
    sep = ", ".join(f"{t} {s:.1f} s" for t, s in three["separate_wall_s"].items())
    origins = "; ".join(f"{r['lang']}: {r['origins']}" for r in rerun["report"])
    lines = [
        f"Three targets: `--to en,fr,es` {three['combined_wall_s']:.1f} s against three runs "
        f"({sep}; total {three['separate_total_s']:.1f} s; other processes used "
        f"{three.get('foreign_cpu_s', 0.0):.1f} CPU s meanwhile). Pairs decoded in one "
        f"`--to en,fr,es` run: {', '.join(three['decoded_pairs'])}.",
        "",
        f"Rerun of the unchanged article into the same output folder: {rerun['wall_s']:.1f} s "
        f"(first run {result['variants']['a_cli']['time_s']:.1f} s); JSON report origins: "
        f"{origins}; in-process probe: {rerun['probe']['texts_translated']} texts sent to the "
        f"engine, models loaded: {', '.join(rerun['probe']['models_loaded']) or 'none'}.",
        "",
        f"`python -m pipeline --help`: median {help_['median_s']:.3f} s of "
        f"{len(help_['runs_s'])}.",
        "",
        "Fresh venv: skipped (--skip-venv)." if venv is None else
        f"Fresh venv: failed ({venv['error']})." if "size_mb" not in venv else
        f"Fresh venv (`pip install .` + `pip install --no-deps argostranslate==1.11.0`): "
        f"{venv['size_mb']:.0f} MB, installed in {venv['install_s']:.0f} s.",
        "",
        "Where (a)'s wall time goes (s, medians; in-process phases):",
        "",
        "| part | s |", "|---|---:|",
    ]
    lines += [f"| {k} | {v:.2f} |" for k, v in result["breakdown_a_s"].items()]
    c = result["consistency"]
    lines += ["", f"Same work in every variant: segments decoded a {c['a_segments_decoded']}, "
              f"b {c['b_segments_decoded']}, c {c['c_segments_decoded']} (captured from the "
              f"CLI: {c['segments_captured']}); target tokens a {c['a_target_tokens']}, b "
              f"{c['b_target_tokens']}, c {c['c_target_tokens']}; source tokens b "
              f"{c['b_source_tokens']}, c {c['c_source_tokens']} (the pipeline masks numbers "
              "and term-base names before translating, Argos does not)."]
    lines += ["", "What (b) replaced in Argos's path (everything else is Argos's own):", ""]
    lines += [f"- {item}" for item in result["argos_replaced"]]
    return lines + [""]


def render_markdown(result: dict) -> str:
    """The table the README quotes, with machine details and every verdict."""
    return "\n".join(_header(result) + _variant_table(result) + _targets_table(result)
                     + _details(result))


def main() -> None:
    print(render_markdown(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))))


if __name__ == "__main__":
    main()
