"""Hostile files at every entry point: the only outcomes are success or one clear line with
exit 1 — never "internal error", never a traceback, never a partial import.

Files are valid outputs of a real run, mutated (a slice replaced by a hostile snippet, cut
short, bytes inserted), plus free-form junk. The example budget is fixed and derandomized,
so CI runs the same cases in well under a minute.
"""

from __future__ import annotations

import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.cli import cli

from .conftest import ROOT

BUDGET = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                  suppress_health_check=[HealthCheck.function_scoped_fixture,
                                         HealthCheck.too_slow])
TEXT = ("# KI im Kino\n\nDie Regisseure wollen KI. Sie sagen: \"204.000 Jobs.\"\n\n"
        "Ein Tweet mit Link. https://t.co/abc #KI @jane\n"
        "- Jane Doe (@jane) 22. März 2024\n")
SNIPPETS = [
    b"", b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\xed\xa0\x80", b"\r", b"\n\n\n", b"\t",
    b'<cp hex="D800"/>', b'<cp hex="110000"/>', b'<cp hex="zz"/>', b'<cp hex="0007"/>',
    b"<!DOCTYPE x [<!ENTITY a 'b'>]>", b"&a;", b"<![CDATA[x]]>", b"</target>", b"<target>",
    b'state="final"', b'state="bogus"', b'msgstr "', b'"\n#~ msgid "x"', b"#, fuzzy\n",
    b"msgctxt", b'{"id": 1}', b"[", b"null", b"\\", b"\xe2\x80\xae", b"a" * 5000,
    b"1.1." * 500, b"@" * 2000, b"(" * 500, b"<p>" * 300, b"**" * 100, b"\xc3",
    b"- Reid Southen (@Rahll) 31. Februar 2024\n", b"Language: xx\\n", b"Language: en_US\\n",
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, bytes]:
    """Valid files of every kind the entry points read, made by a real run."""
    root = tmp_path_factory.mktemp("corpus")
    article = root / "a.md"
    article.write_text(TEXT, encoding="utf-8")
    out = root / "o"
    run = CliRunner().invoke(cli, ["run", str(article), "--to", "en", "--out", str(out),
                                   "--engine", "pseudo", "--glossary", str(ROOT / "glossary"),
                                   "--quiet"])
    assert run.exit_code == 0, run.output
    po = out / "en" / "LC_MESSAGES" / "a.po"
    assert CliRunner().invoke(cli, ["import", str(po), "--memory",
                                    str(out / "m.sqlite")]).exit_code == 0
    tmx, tbx = root / "m.tmx", root / "g.tbx"
    assert CliRunner().invoke(cli, ["tm", "export", "--memory", str(out / "memory.sqlite"),
                                    "-o", str(tmx)]).exit_code == 0
    assert CliRunner().invoke(cli, ["glossary", "--dir", str(ROOT / "glossary"), "export",
                                    "-o", str(tbx)]).exit_code == 0
    return {"md": article.read_bytes(), "po": po.read_bytes(),
            "xlf": (out / "en" / "a.xlf").read_bytes(),
            "jsonl": (out / "en" / "a.jsonl").read_bytes(), "tmx": tmx.read_bytes(),
            "tbx": tbx.read_bytes(), "tsv": (ROOT / "glossary" / "ai.tsv").read_bytes()}


#: Places where a reader takes text a person wrote: edits there reach deep into a run.
ANCHORS = (b"<target>", b'msgstr "', b'"target": "', b"<seg>", b"<source>", b'state="')


@st.composite
def mutated(draw, base: bytes) -> bytes:
    """``base`` with a few hostile edits, often right inside a translation."""
    data = base
    for _ in range(draw(st.integers(1, 3))):
        start = draw(st.integers(0, len(data)))
        end = draw(st.integers(start, min(len(data), start + 200)))
        kind = draw(st.sampled_from(["inside", "inside", "snippet", "cut", "bytes"]))
        anchors = [i + len(a) for a in ANCHORS for i in _find_all(data, a)]
        if kind == "inside" and anchors:
            at = draw(st.sampled_from(anchors))
            data = data[:at] + draw(st.sampled_from(SNIPPETS)) + data[at:]
        elif kind == "cut":
            data = data[:start]
        elif kind == "bytes":
            data = data[:start] + draw(st.binary(max_size=40)) + data[end:]
        else:
            data = data[:start] + draw(st.sampled_from(SNIPPETS)) + data[end:]
    return data


def _find_all(data: bytes, needle: bytes) -> list[int]:
    found, start = [], data.find(needle)
    while start >= 0 and len(found) < 50:
        found.append(start)
        start = data.find(needle, start + 1)
    return found


def assert_clean(result, *files: Path) -> None:
    """Success, or exactly one line ``error: …`` naming what failed, with exit 1."""
    output = result.output
    assert "internal error" not in output and "Traceback" not in output, output
    assert result.exit_code in (0, 1), (result.exit_code, output)
    if result.exit_code == 1:
        lines = [line for line in output.splitlines() if line.startswith("error: ")]
        assert len(lines) == 1, output


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


#: Where a run into ``o`` keeps each kind of file a reviewer edits.
OUTPUT = {"po": "en/LC_MESSAGES/a.po", "xlf": "en/a.xlf", "jsonl": "en/a.jsonl"}


def rerun_over(folder: Path, markdown: bytes, kind: str, data: bytes):
    """Run ``a.md`` into ``folder/o`` where the ``kind`` output already holds ``data``."""
    article = folder / "a.md"
    article.write_bytes(markdown)
    target = folder / "o" / OUTPUT[kind]
    target.parent.mkdir(parents=True)
    target.write_bytes(data)
    return invoke("run", article, "--to", "en", "--out", folder / "o", "--engine", "pseudo",
                  "--no-glossary", "--quiet")


def _fresh(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("case")


@BUDGET
@given(data=st.data(), kind=st.sampled_from(["md", "txt", "html"]))
def test_run(corpus, tmp_path_factory, data, kind):
    folder = _fresh(tmp_path_factory)
    base = corpus["md"] if kind != "html" else b"<html><body><p>" + corpus["md"] + b"</p>"
    article = folder / f"a.{kind}"
    article.write_bytes(data.draw(mutated(base)))
    assert_clean(invoke("run", article, "--to", "en,fr", "--out", folder / "o", "--engine",
                        "pseudo", "--no-glossary", "--quiet"))


@BUDGET
@given(data=st.data(), previous=st.sampled_from(["po", "xlf", "jsonl"]))
def test_rerun_over_edited_outputs(corpus, tmp_path_factory, data, previous):
    """What a reviewer's tool (or a bad disk) can leave in the output folder."""
    folder = _fresh(tmp_path_factory)
    assert_clean(rerun_over(folder, corpus["md"], previous,
                            data.draw(mutated(corpus[previous]))))


@BUDGET
@given(data=st.data(), kind=st.sampled_from(["po", "xlf", "tmx"]))
def test_import_is_all_or_nothing(corpus, tmp_path_factory, data, kind):
    folder = _fresh(tmp_path_factory)
    good = folder / "good.po"
    good.write_bytes(corpus["po"].replace(b'#, fuzzy\n', b""))
    bad = folder / f"bad.{kind}"
    bad.write_bytes(data.draw(mutated(corpus[kind])))
    memory = folder / "m.sqlite"
    result = invoke("import", good, bad, "--memory", memory)
    assert_clean(result)
    if result.exit_code == 1 and memory.exists():
        with sqlite3.connect(memory) as conn:
            assert conn.execute("SELECT count(*) FROM unit").fetchone() == (0,)


@BUDGET
@given(data=st.data(), kind=st.sampled_from(["po", "xlf", "jsonl"]))
def test_check(corpus, tmp_path_factory, data, kind):
    folder = _fresh(tmp_path_factory)
    path = folder / f"a.{kind}"
    path.write_bytes(data.draw(mutated(corpus[kind])))
    assert_clean(invoke("check", path, "--to", "en"))


@BUDGET
@given(data=st.data(), kind=st.sampled_from(["po", "xlf", "jsonl"]))
def test_eval(corpus, tmp_path_factory, data, kind):
    folder = _fresh(tmp_path_factory)
    hyp, ref = folder / f"h.{kind}", folder / f"r.{kind}"
    hyp.write_bytes(data.draw(mutated(corpus[kind])))
    ref.write_bytes(corpus[kind])
    assert_clean(invoke("eval", "--hyp", hyp, "--ref", ref))


@BUDGET
@given(data=st.data(), kind=st.sampled_from(["tbx", "tsv"]))
def test_glossary_import(corpus, tmp_path_factory, data, kind):
    folder = _fresh(tmp_path_factory)
    shutil.copytree(ROOT / "glossary", folder / "g", ignore=shutil.ignore_patterns("*.md"))
    before = {p.name: p.read_bytes() for p in (folder / "g").glob("*.tsv")}
    path = folder / ("t.tbx" if kind == "tbx" else "t.csv")
    base = corpus["tbx"] if kind == "tbx" else corpus["tsv"].replace(b"\t", b",")
    path.write_bytes(data.draw(mutated(base)))
    result = invoke("glossary", "--dir", folder / "g", "import", path)
    assert_clean(result)
    if result.exit_code == 1:  # a refused import changes no term base file
        assert {p.name: p.read_bytes() for p in (folder / "g").glob("*.tsv")} == before


@settings(BUDGET, max_examples=15)
@given(data=st.data())
def test_models_install(package_files, tmp_path_factory, data):
    folder = _fresh(tmp_path_factory)
    source = package_files["de-en"]
    package = folder / "p.argosmodel"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(package, "w") as new:
        names = old.namelist()
        victim = data.draw(st.sampled_from(names))
        for name in names:
            content = old.read(name)
            if name == victim:
                content = data.draw(mutated(content[:4000]))
            new.writestr(name, content)
    models = folder / "models"
    result = invoke("models", "install", package, "--models-dir", models)
    assert_clean(result)
    if result.exit_code == 1:
        assert not models.exists() or list(models.iterdir()) == []


def _inside_first(data: bytes, snippet: bytes) -> bytes:
    """``snippet`` put inside the first translation the file holds."""
    at = min((i + len(a) for a in ANCHORS[:3] if (i := data.find(a)) >= 0), default=0)
    return data[:at] + snippet + data[at:]


@pytest.mark.parametrize("snippet", SNIPPETS, ids=lambda s: repr(s[:12]))
@pytest.mark.parametrize("kind", ["po", "xlf", "jsonl"])
def test_every_snippet_inside_a_translation(corpus, tmp_path, kind, snippet):
    """The systematic half: each hostile snippet where a person's text goes, through the
    three commands that read it (a rerun, check, import)."""
    data = _inside_first(corpus[kind], snippet)
    assert_clean(rerun_over(tmp_path, corpus["md"], kind, data))
    copy = tmp_path / f"copy.{kind}"
    copy.write_bytes(data)
    assert_clean(invoke("check", copy, "--to", "en"))
    if kind != "jsonl":
        memory = tmp_path / "m.sqlite"
        result = invoke("import", copy, "--memory", memory)
        assert_clean(result)
