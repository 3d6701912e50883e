"""Two writers of one output folder: the second waits and says so, or with --no-wait fails
at once with one line; the lock is held only around short sections, never for translation."""

from __future__ import annotations

import subprocess
import sys
import time

import polib

from ..conftest import ROOT
from .child import LIMIT, Child, pipeline_env, run_cli


def _args(article, out, *more):
    return ["run", article, "--to", "en", "--engine", "pseudo", "--out", out, "--no-glossary",
            "--quiet", *more]


def test_a_second_run_waits_or_fails_at_once(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Der Streik ist vorbei. Die Studios haben nachgegeben.\n", encoding="utf-8")
    out = tmp_path / "out"
    assert run_cli(*_args(article, out)).returncode == 0
    holder = Child(*_args(article, out, "--retranslate"), scratch=tmp_path, out=out,
                   resume=True, STOP_REPLACE="2")  # in the middle of writing: lock held
    waiter = None
    try:
        assert holder.stopped().startswith("replace 2 ")
        refused = run_cli(*_args(article, out, "--no-wait"))
        assert refused.returncode == 1
        [line] = refused.stderr.strip().splitlines()
        assert line.startswith(f"error: {out}: the output folder is in use by another process "
                               f"(pid {holder.process.pid})"), line
        waiter = subprocess.Popen(
            [sys.executable, "-m", "pipeline", *map(str, _args(article, out))], cwd=ROOT,
            env=pipeline_env(), stderr=subprocess.PIPE, text=True)
        said = ""
        deadline = time.monotonic() + LIMIT
        while "waiting for another process" not in said and time.monotonic() < deadline:
            said += waiter.stderr.readline()
        assert f"waiting for another process (pid {holder.process.pid}) to finish" in said
        assert waiter.poll() is None
        holder.resume()
        assert holder.finish().returncode == 0
        _, rest = waiter.communicate(timeout=LIMIT)
        assert waiter.returncode == 0, rest
    finally:
        holder.close()
        if waiter is not None and waiter.poll() is None:
            waiter.kill()
            waiter.communicate()
    assert len(polib.pofile(str(out / "en" / "LC_MESSAGES" / "a.po"))) == 2


def test_translation_holds_no_lock(tmp_path):
    """While a run translates, another process can take the lock (a reviewer's save)."""
    from pipeline.infra.lock import hold

    article = tmp_path / "a.txt"
    article.write_text("Der Streik ist vorbei.\n", encoding="utf-8")
    out = tmp_path / "out"
    assert run_cli(*_args(article, out)).returncode == 0
    child = Child(*_args(article, out, "--retranslate"), scratch=tmp_path, out=out,
                  resume=True, STOP_TRANSLATE="1")
    try:
        assert child.stopped() == "translate"
        with hold(out, wait=False):
            pass
        child.resume()
        assert child.finish().returncode == 0
    finally:
        child.close()
