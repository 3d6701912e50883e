"""An output folder to serve: the sample and an article full of hostile text, two languages."""

from __future__ import annotations

import shutil

import pytest

from pipeline.mt.pseudo import PseudoEngine
from pipeline.run.options import RunOptions
from pipeline.run.runner import run

from ..conftest import ROOT, SAMPLE

HOSTILE = ('Ein <script>alert("x")</script> Satz mit </textarea> und "Anführung". '
           'Ein \u202eumgedreht\u202c Satz. <img src=x onerror=alert(1)> Ende.\n')


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("served")
    shutil.copyfile(SAMPLE, folder / "sora.txt")
    (folder / "boese.txt").write_text(HOSTILE, encoding="utf-8")
    out = folder / "out"
    run([folder / "sora.txt", folder / "boese.txt"],
        RunOptions(targets=("en", "fr"), out_dir=out, quiet=True, glossary=ROOT / "glossary"),
        PseudoEngine())
    return out


@pytest.fixture
def editable(served, tmp_path):
    """A copy of the served folder a test may change."""
    out = tmp_path / "out"
    shutil.copytree(served, out)
    return out
