"""Sessions: tests (what CI runs), lint, sample (the main job on the sample article), bench."""

from __future__ import annotations

import nox

nox.options.sessions = ["lint", "tests"]
nox.options.reuse_existing_virtualenvs = True
ARGOS = "argostranslate==1.11.0"


def install(session: nox.Session, *extras: str) -> None:
    """The project, then argostranslate without its heavy dependencies (see README)."""
    spec = f".[{','.join(extras)}]" if extras else "."
    session.install("-e", spec)
    session.install("--no-deps", ARGOS)


@nox.session
def tests(session: nox.Session) -> None:
    """The whole test suite, including the real Argos/CTranslate2 path. Exit 5 (no tests) fails."""
    install(session, "test")
    session.install("translate-toolkit>=3.13")
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff over the package, tests and tools."""
    session.install("ruff>=0.6")
    session.run("ruff", "check", "pipeline", "tests", "bench", "noxfile.py")


@nox.session
def sample(session: nox.Session) -> None:
    """Run the pipeline on the sample article into locales/ (offline test models if none)."""
    install(session, "test")
    session.run("python", "bench/sample.py", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """The benchmark (issue 7): numbers, not pass/fail."""
    install(session, "test")
    session.run("python", "bench/run_bench.py", *session.posargs)
