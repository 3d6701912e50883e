"""The CLI: the main job through real packages, models commands, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from pipeline.cli import cli

from ..conftest import MAX_LENGTH, ROOT, SAMPLE
from ..helpers import msgfmt_check


def invoke(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_install_from_file_then_run(package_files, tmp_path):
    models = tmp_path / "models"
    for pair in ("de-en", "en-fr"):
        result = invoke("models", "install", package_files[pair], "--models-dir", models)
        assert result.exit_code == 0, result.output
        assert f"installed {pair}" in result.output
    listed = json.loads(invoke("models", "list", "--json", "--models-dir", models).output)
    assert [row["pair"] for row in listed] == ["de-en", "en-fr"]
    out = tmp_path / "locales"
    result = invoke("run", SAMPLE, "--to", "en,fr", "--out", out, "--models-dir", models,
                    "--max-length", MAX_LENGTH, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [(r["lang"], r["segments"]) for r in report] == [("en", 30), ("fr", 30)]
    # the test recipe's packages say what they are: on stderr, in --json and in the files
    assert "test packages (random weights)" in result.stderr
    assert all(r["test_models"] for r in report)
    assert "X-Test-Models: translated with test packages" in \
        (out / "en" / "LC_MESSAGES" / "sora-hollywood.po").read_text(encoding="utf-8")
    assert 'id="test-models"' in (out / "fr" / "sora-hollywood.xlf").read_text(encoding="utf-8")
    for lang in ("en", "fr"):
        assert (out / lang / "sora-hollywood.md").is_file()
        assert (out / lang / "sora-hollywood.jsonl").is_file()
    for lang in ("en", "fr"):  # last: without msgfmt the test skips here
        assert msgfmt_check(out / lang / "LC_MESSAGES" / "sora-hollywood.po").returncode == 0


def _run_module(*args, env=None):
    """The real entry point in a subprocess, to see exactly what a user sees."""
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, env={**os.environ, **(env or {})},
                          timeout=120, check=False)


@pytest.mark.parametrize(("setup", "args", "message"), [
    (lambda d: (d / "empty.txt").write_text(""), ["empty.txt", "--to", "en"], "file is empty"),
    (lambda d: (d / "bin.txt").write_bytes(b"\x00\x01\x02\xff" * 50), ["bin.txt", "--to", "en"],
     "binary file"),
    (lambda d: None, ["missing.txt", "--to", "en"], "no such file"),
    (lambda d: None, [SAMPLE, "--to", "xx"], "unknown language code 'xx'"),
    (lambda d: None, [SAMPLE, "--to", "it"], "models install de-it"),
])
def test_bad_input_is_one_clear_line(tmp_path, setup, args, message):
    setup(tmp_path)
    args = [tmp_path / a if isinstance(a, str) and a.endswith(".txt") else a for a in args]
    result = _run_module("run", *args, "--out", tmp_path / "out", "--models-dir", tmp_path / "m")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], lines
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_debug_shows_traceback(tmp_path):
    result = _run_module("--debug", "run", tmp_path / "missing.txt", "--to", "en")
    assert result.returncode == 1 and "Traceback" in result.stderr


def test_install_bad_file_is_one_line(tmp_path):
    bad = tmp_path / "x.argosmodel"
    bad.write_bytes(b"nope")
    result = _run_module("models", "install", bad, "--models-dir", tmp_path / "m")
    assert result.returncode == 1
    assert result.stderr.strip() == f"error: {bad}: not an Argos package (not a zip archive)"


def test_install_pair_offline_names_the_file_route(tmp_path, monkeypatch):
    monkeypatch.setattr("pipeline.mt.packages.INDEX_URL", "http://127.0.0.1:9/index.json")
    result = CliRunner().invoke(cli, ["models", "install", "de-en", "--models-dir",
                                      str(tmp_path)])
    assert result.exit_code == 1
    assert "127.0.0.1:9" not in result.output
    assert "cannot reach the Argos package index" in result.output
    assert "models install FILE.argosmodel" in result.output


def test_pseudo_engine_quiet(tmp_path):
    result = invoke("run", SAMPLE, "--to", "es", "--engine", "pseudo", "--out", tmp_path,
                    "--quiet")
    assert result.exit_code == 0 and result.output == ""
    assert (tmp_path / "es" / "LC_MESSAGES" / "sora-hollywood.po").is_file()


def test_help_does_not_import_heavy_modules():
    code = ("import sys; from pipeline.cli import cli; "
            "heavy = [m for m in ('ctranslate2', 'argostranslate', 'somajo', 'lxml', 'torch') "
            "if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(("args", "message"), [
    (["run"], "Missing argument 'ARTICLES...'"),
    (["frobnicate"], "No such command 'frobnicate'"),
    (["run", SAMPLE, "--to", "en", "--out", SAMPLE], "is a file"),
    (["run", SAMPLE, "--to", "en", "--beam-size", "0"], "--beam-size"),
])
def test_usage_errors_are_one_line_too(args, message):
    result = _run_module(*args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], lines
    assert "--help)" in lines[0]
