"""Inside a run, structured data stays structured: nothing in the run package parses text
back into data (that happens once per format, in pipeline/formats and pipeline/store), and no
plan is dispatched on tuples. This scan is the guard; it fails on the first relapse."""

from __future__ import annotations

import ast

import pytest

from ..conftest import ROOT

RUN = sorted((ROOT / "pipeline" / "run").glob("*.py"))
#: What parsing text back into data looks like in Python.
STRING_METHODS = {"startswith", "endswith", "split", "rsplit", "partition", "rpartition",
                  "removeprefix", "removesuffix"}
FORBIDDEN_MODULES = {"re", "json", "polib", "lxml", "lxml.etree"}
FORBIDDEN_NAMES = {"parse_finding", "parse_repair", "parse_terms", "is_verbatim",
                   "read_catalog", "read_xliff", "read_jsonl"}


def _problems(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in STRING_METHODS:
            found.append(f"line {node.lineno}: .{node.func.attr}()")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id == "isinstance" and len(node.args) == 2 \
                and "tuple" in ast.unparse(node.args[1]):
            found.append(f"line {node.lineno}: isinstance(…, tuple)")
        if isinstance(node, ast.Import):
            found += [f"line {node.lineno}: import {a.name}" for a in node.names
                      if a.name in FORBIDDEN_MODULES]
        if isinstance(node, ast.ImportFrom):
            if node.module in FORBIDDEN_MODULES:
                found.append(f"line {node.lineno}: from {node.module} import …")
            found += [f"line {node.lineno}: {a.name}" for a in node.names
                      if a.name in FORBIDDEN_NAMES]
    return found


@pytest.mark.parametrize("path", RUN, ids=lambda p: p.name)
def test_the_run_parses_no_strings_and_dispatches_on_no_tuples(path):
    assert _problems(ast.parse(path.read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize("code", [
    "note.startswith('qa: error')", "isinstance(item, tuple)", "import re",
    "from pipeline.formats.notes import parse_finding", "line.split(':')",
])
def test_the_guard_catches_each_relapse(code):
    assert _problems(ast.parse(code))
