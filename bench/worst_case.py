"""Worst-case articles against an ordinary one of the same size: the time of a whole run
(pseudo engine: every stage but the model) as a ratio. Goal: every ratio ≤ 3.

    python bench/worst_case.py [--size-mb 2] [--out bench/results/worst_case.json]

The hostile shapes are the ones an adversarial trial found super-linear before: one long
token, dot and digit runs, @ runs, e-mail-like runs, nested brackets; each fills the article
in lines of words around runs, as scraped junk would.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SAMPLE = ROOT / "articles" / "de" / "sora-hollywood.txt"


def shapes(size: int) -> dict[str, str]:
    """Article texts of about ``size`` characters."""
    sample = SAMPLE.read_text(encoding="utf-8")

    def fill(unit: str) -> str:
        return (unit * (size // len(unit) + 1))[:size]

    return {
        "ordinary": fill(sample + "\n\n"),
        "one-long-token": "Am Anfang steht ein Satz.\n\n" + "a" * size,
        "dot-runs": fill("Das Ergebnis: " + "1.1." * 2000 + " Danach ein Satz.\n\n"),
        "letter-dot-runs": fill("Siehe " + "a.a." * 2500 + " und weiter.\n\n"),
        "at-runs": fill("Kontakt " + "@" * 5000 + " und x@" * 500 + "\n\n"),
        "email-like": fill("Mail an " + "a.b" * 3000 + " bitte.\n\n"),
        "digit-runs": fill("Nummer " + "1" * 8000 + " Ende.\n\n"),
        "nested-brackets": fill("Klammern " + "(" * 3000 + "x" + ")" * 3000 + " zu.\n\n"),
        "short-lines": fill("KI.\n"),
    }


#: Not a cliff: 40× the segments of an ordinary article, each with its fixed cost.
PER_SEGMENT = {"short-lines"}


def run_once(text: str, folder: Path) -> float:
    from pipeline import translate_articles, write_results

    article = folder / "article.txt"
    article.write_text(text, encoding="utf-8")
    start = time.perf_counter()
    results = translate_articles([article], targets=["en"], engine="pseudo",
                                 glossary=ROOT / "glossary", max_bytes=len(text.encode()) + 1)
    write_results(results, folder / "out")
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-mb", type=float, default=2.0)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    size = int(args.size_mb * 1024 * 1024)
    from pipeline.ingest.segment import sentence_spans

    sentence_spans("Aufwärmen.")  # SoMaJo's start-up is not part of any shape
    times = {}
    for name, text in shapes(size).items():
        with tempfile.TemporaryDirectory() as tmp:
            times[name] = run_once(text, Path(tmp))
        print(f"{name:16} {times[name]:7.1f} s", flush=True)
    report = summarize(size, times)
    print(f"worst ratio {report['worst']['ratio']:.2f} ({report['worst']['shape']}); goal ≤ 3; "
          + ", ".join(f"{n} {report['ratios'][n]:.2f} (per-segment cost, not a cliff)"
                      for n in sorted(PER_SEGMENT)))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


def summarize(size: int, times: dict[str, float]) -> dict:
    base = times["ordinary"]
    ratios = {name: round(t / base, 2) for name, t in times.items()}
    worst = max((r, n) for n, r in ratios.items() if n != "ordinary" and n not in PER_SEGMENT)
    return {"size_bytes": size, "seconds": times, "ratios": ratios,
            "worst": {"shape": worst[1], "ratio": worst[0]}, "per_segment": sorted(PER_SEGMENT)}


if __name__ == "__main__":
    sys.exit(main())
