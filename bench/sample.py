"""Run the main job on the sample article, on any machine, offline.

With real Argos packages installed (``python -m pipeline models install de-en en-fr en-es``)
they are used. Without them, seeded random test packages are built into .models-synthetic/
first: the outputs then have the real structure and gibberish text, and say so.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SAMPLE = ROOT / "articles" / "de" / "sora-hollywood.txt"
SYNTHETIC = ROOT / ".models-synthetic"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--to", default="en,fr,es")
    parser.add_argument("--out", default=None,
                        help="output root [locales/, or locales-test-models/ with test models]")
    args, rest = parser.parse_known_args()

    from pipeline.packages import default_models_dir, find_package

    targets = args.to.split(",")
    models = default_models_dir()
    real = find_package(models, "de", "en") and all(
        t == "en" or find_package(models, "de", t) or find_package(models, "en", t)
        for t in targets)
    extra: list[str] = []
    if not real:
        from pipeline.packages import install_file
        from pipeline.synthetic import build_argos_package

        print(f"no real de-en package in {models}: building offline TEST packages "
              f"(random weights, gibberish output) into {SYNTHETIC}", file=sys.stderr)
        corpus = SAMPLE.read_text(encoding="utf-8").splitlines()
        pairs = [("de", "en")] + [("en", t) for t in targets if t != "en"]
        for source, target in pairs:
            file = build_argos_package(SYNTHETIC / "files", from_code=source, to_code=target,
                                       corpus=corpus, seed=7)
            install_file(file, SYNTHETIC / "packages")
        extra = ["--models-dir", str(SYNTHETIC / "packages"), "--max-length", "48"]
    # gibberish from test models never lands where real, reviewed work lives
    out = args.out or str(ROOT / ("locales" if real else "locales-test-models"))
    print(f"output: {out}", file=sys.stderr)
    command = [sys.executable, "-m", "pipeline", "run", str(SAMPLE), "--to", args.to,
               "--out", out, *extra, *rest]
    return subprocess.call(command, cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main())
