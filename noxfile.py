"""Sessions: tests, lint, typecheck (what CI runs), sample, cli, bench, latest, lock.

Every session but ``latest`` installs through ``requirements/lock.txt`` (exact versions of
everything, made by ``nox -s lock``), so a release of any dependency cannot change what a
fresh machine tests or what files users get. ``latest`` tests against the newest releases.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import nox

nox.options.sessions = ["lint", "typecheck", "tests"]
nox.options.reuse_existing_virtualenvs = True

LOCK = "requirements/lock.txt"
#: argostranslate stays outside the resolver: installed --no-deps, pinned in this file.
ARGOS = "requirements/argos.txt"


def install(session: nox.Session, *extras: str, locked: bool = True) -> None:
    """The project with ``extras`` (through the lock), then argostranslate without its deps."""
    spec = f".[{','.join(extras)}]" if extras else "."
    if locked:
        session.install("-c", LOCK, "-e", spec)
    else:
        session.install("--upgrade", "--upgrade-strategy", "eager", "-e", spec)
    session.install("--no-deps", "-r", ARGOS)


@nox.session
def tests(session: nox.Session) -> None:
    """The whole test suite, including the real Argos/CTranslate2 path. Exit 5 (no tests) fails."""
    install(session, "test", "ray")
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff over the package, tests and tools."""
    session.install("-c", LOCK, "ruff")
    session.run("ruff", "check", "pipeline", "tests", "bench", "noxfile.py")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy over the package (settings in pyproject.toml)."""
    install(session, "typecheck")
    session.run("mypy", *session.posargs)


@nox.session
def sample(session: nox.Session) -> None:
    """Run the pipeline on the sample article (offline test models if no real ones)."""
    install(session)
    session.run("python", "bench/sample.py", *session.posargs)


@nox.session
def cli(session: nox.Session) -> None:
    """Any pipeline command in the locked environment: ``nox -s cli -- tm stats``."""
    install(session)
    session.run("python", "-m", "pipeline", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """The benchmarks: numbers, not pass/fail. ``-- --worst-case-only`` runs the third and
    later ones, ``-- --archive-only`` just the sixth (``-- --archive-only --quick``: CI-sized).

    1. engine throughput against Argos and raw CTranslate2 (bench/run_bench.py);
    2. what choosing among n hypotheses by the glossary costs, n = 1 and 4 (bench/nbest.py);
    3. 2 MB worst-case articles against an ordinary one (bench/worst_case.py; goal ≤ 3×);
    4. the review workspace: opening an article, saves under 8 clients (bench/workspace.py);
    5. the window in which an editor's save can be lost (bench/write_window.py);
    6. archive scale: 100 / 1,000 / 10,000 generated articles, --jobs 1 and 2, time per
       segment × language and peak memory (bench/archive.py).
    """
    install(session, "test", "ray")
    args = list(session.posargs)
    quick = ["--quick"] if "--quick" in args else []
    if "--archive-only" in args:
        session.run("python", "bench/archive.py", *quick, "--out",
                    "bench/results/archive" + ("-quick" if quick else "") + ".json")
        return
    if "--worst-case-only" in args:
        args.remove("--worst-case-only")
    else:
        session.run("python", "bench/run_bench.py", *args)
        session.run("python", "bench/nbest.py", "--out", "bench/results/nbest.json",
                    *(["--quick"] if "--quick" in args else []))
    session.run("python", "bench/worst_case.py", "--out", "bench/results/worst_case.json")
    session.run("python", "bench/workspace.py", "--out", "bench/results/workspace.json")
    session.run("python", "bench/write_window.py")
    session.run("python", "bench/archive.py", *quick, "--out",
                "bench/results/archive" + ("-quick" if quick else "") + ".json")


@nox.session
def latest(session: nox.Session) -> None:
    """The tests against the newest release of every dependency (no lock). Not run by CI.

    A failure here is news about a release, found before ``nox -s lock -- --upgrade`` lets it
    into the lock.
    """
    install(session, "test", locked=False)
    session.run("python", "-m", "pip", "list", "--format=freeze", silent=False)
    session.run("pytest", *session.posargs)


@nox.session
def lock(session: nox.Session) -> None:
    """Re-make the lock: ``nox -s lock`` keeps pins that still fit, ``-- --upgrade`` moves all.

    One universal lock (markers where a version differs by Python) for every supported
    Python, from the lowest one in pyproject.toml's requires-python.
    """
    project = tomllib.loads(Path("pyproject.toml").read_text(encoding="utf-8"))["project"]
    floor = re.fullmatch(r">=\s*(\d+\.\d+)", project["requires-python"])
    if floor is None:
        session.error(f"requires-python {project['requires-python']!r} is not '>=X.Y'")
    session.install("-c", LOCK, "uv")
    session.run(
        "uv", "pip", "compile", "pyproject.toml", "requirements/tools.in",
        "--all-extras", "--universal", "--python-version", floor.group(1),
        "--custom-compile-command", "nox -s lock", "-o", LOCK, *session.posargs,
    )
