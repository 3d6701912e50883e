"""The README's Python example runs as written: typed results per article, files only at the
end. If it breaks, the README is wrong."""

from __future__ import annotations

import contextlib
import io
import re
import shutil

from .conftest import ROOT


def _example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Python API", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S)[1]


def test_the_python_example_runs_and_writes_only_at_the_end(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "articles", tmp_path / "articles")
    shutil.copytree(ROOT / "glossary", tmp_path / "glossary")
    monkeypatch.chdir(tmp_path)
    code = _example()
    compute, write = code.split("write_results(results", 1)
    printed = io.StringIO()
    namespace: dict = {}
    with contextlib.redirect_stdout(printed):
        exec(compile(compute, "README.md", "exec"), namespace)  # noqa: S102 - our own README
        assert not (tmp_path / "locales").exists()  # computing touched no file
        exec(compile("write_results(results" + write, "README.md", "exec"), namespace)  # noqa: S102
    assert printed.getvalue().startswith("sora-hollywood {'machine': 30} 0 QA errors")
    for lang in ("en", "fr"):
        assert (tmp_path / "locales" / lang / "LC_MESSAGES" / "sora-hollywood.po").is_file()
    assert (tmp_path / "locales" / "review" / "sora-hollywood.html").is_file()
