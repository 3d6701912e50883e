"""Run the main job on the sample article, on any machine, offline.

With real Argos packages installed (``python -m pipeline models install de-en en-fr en-es``)
they are used. Without them, seeded random test packages are built into .models-synthetic/
first: the outputs then have the real structure and gibberish text, and go to
locales-test-models/ so they never mix with real work.

Afterwards it prints the commands to type next, each runnable as printed from the project
folder: they name the sample's own interpreter (the package is installed there, nowhere
else) and the folders this run used.
"""

from __future__ import annotations

import argparse
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SAMPLE = ROOT / "articles" / "de" / "sora-hollywood.txt"
SYNTHETIC = ROOT / ".models-synthetic"
#: Random weights never emit </s>: test-model decodes are capped to keep the sample quick.
TEST_MODEL_MAX_LENGTH = "48"


def _shown(path: Path | str) -> str:
    """A path as a person types it from the project folder: relative when it lies inside."""
    path = Path(path)
    try:
        return str(path.relative_to(ROOT)) if path.is_absolute() else str(path)
    except ValueError:
        return str(path)


def _build_test_models(cache: Path, targets: list[str]) -> Path:
    """Seeded random Argos packages for de→en and en→each target; returns the models folder."""
    from pipeline.mt.packages import install_file
    from pipeline.testing.synthetic import build_argos_package

    corpus = SAMPLE.read_text(encoding="utf-8").splitlines()
    pairs = [("de", "en")] + [("en", t) for t in targets if t != "en"]
    for source, target in pairs:
        file = build_argos_package(cache / "files", from_code=source, to_code=target,
                                   corpus=corpus, seed=7)
        install_file(file, cache / "packages")
    return cache / "packages"


def next_steps(out: Path, targets: list[str], model_args: list[str]) -> list[str]:
    """The commands a newcomer types next, quoted for a POSIX shell."""
    python = _shown(Path(sys.executable).absolute())
    first = targets[0]
    po = out / first / "LC_MESSAGES" / f"{SAMPLE.stem}.po"
    memory = out / "memory.sqlite"

    def command(*args: str | Path) -> str:
        return shlex.join([python, "-m", "pipeline", *map(_shown, args)])

    return [
        command("check", po),
        command("tm", "stats", "--memory", memory),
        command("import", po, "--memory", memory),
        command("run", SAMPLE, "--to", ",".join(targets), "--out", out, "--quiet",
                *model_args),
    ]


def workspace_command(out: Path) -> str:
    return shlex.join([_shown(Path(sys.executable)), "-m", "pipeline", "review", "--out",
                       _shown(out)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--to", default="en,fr,es")
    parser.add_argument("--out", type=Path, default=None,
                        help="output root [locales/, or locales-test-models/ with test models]")
    parser.add_argument("--models-cache", type=Path, default=SYNTHETIC,
                        help="where test models are built when no real ones are installed")
    args, rest = parser.parse_known_args()

    from pipeline.mt.packages import default_models_dir, find_package

    targets = args.to.split(",")
    models = default_models_dir()
    real = find_package(models, "de", "en") and all(
        t == "en" or find_package(models, "de", t) or find_package(models, "en", t)
        for t in targets)
    model_args: list[str] = []
    if not real:
        print(f"no real de-en package in {models}: building offline TEST packages "
              f"(random weights, gibberish output) into {args.models_cache}", file=sys.stderr)
        packages = _build_test_models(args.models_cache.resolve(), targets)
        model_args = ["--models-dir", _shown(packages), "--max-length", TEST_MODEL_MAX_LENGTH]
    out = (args.out or ROOT / ("locales" if real else "locales-test-models")).resolve()
    print(f"output: {_shown(out)}", file=sys.stderr)
    command = [sys.executable, "-m", "pipeline", "run", str(SAMPLE), "--to", args.to,
               "--out", str(out), *model_args, *rest]
    code = subprocess.call(command, cwd=ROOT)
    if code == 0:
        print("\nNext, from this folder (the sample's environment has the pipeline installed;"
              "\nthe README explains each command):")
        for line in next_steps(out, targets, model_args):
            print(f"  {line}")
        print(f"  # and open {_shown(out / 'review' / (SAMPLE.stem + '.html'))} in a browser")
        print(f"  # or review and fix it in the workspace (Ctrl-C stops it), then open "
              f"http://127.0.0.1:8765/ :\n  #   {workspace_command(out)}")
    return code


if __name__ == "__main__":
    sys.exit(main())
