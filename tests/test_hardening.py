"""Bad inputs, hostile files and failing disks: one clear line, exit 1, nothing half-written."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time

import polib
import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.ingest.article import read_article
from pipeline.ingest.inline import html_codes
from pipeline.model.document import plain_text

from .conftest import ROOT, SAMPLE


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def _write(name, data):
    def make(folder):
        path = folder / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        return path
    return make


BAD_INPUTS = [
    ("empty", _write("a.txt", b""), "file is empty"),
    ("whitespace-only", _write("a.txt", " \n\t \n"), "file is empty (only whitespace)"),
    ("binary", _write("a.txt", bytes(range(256)) * 8), "binary file"),
    ("invalid-utf8", _write("a.txt", b"Gr\xc3\x28 \x81\x8d\x90"), "not UTF-8"),
    ("10-mb", _write("a.txt", ("Ein Satz. " * 1_100_000)), "too large for an article"),
    ("attribution-only", _write("a.txt", "- Reid Southen (@Rahll) 22. März 2024\n"),
     "tweet attribution without a tweet body"),
    ("attribution-after-heading", _write("a.txt", "Titel\n- A B (@ab) 1. Mai 2024\n"),
     "a.txt:2: tweet attribution without a tweet body"),
    ("html-nested-5000", _write("a.html", "<div>" * 5000 + "<p>Tief.</p>"),
     "a.html:1: HTML too deeply nested"),
    ("html-only-script", _write("a.html", "<script>alert(1)</script><style>p{}</style>"),
     "no text to translate"),
    ("directory", lambda d: d, "is a directory"),
    ("missing", lambda d: d / "missing.txt", "no such file"),
]


@pytest.mark.parametrize(("make", "message"), [(m, msg) for _, m, msg in BAD_INPUTS],
                         ids=[row[0] for row in BAD_INPUTS])
def test_bad_input_table(tmp_path, make, message):
    article = make(tmp_path)
    out = tmp_path / "out"
    result = invoke("run", article, "--to", "en", "--engine", "pseudo", "--out", out)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], lines
    assert "Traceback" not in result.output
    assert not out.exists()


@pytest.mark.parametrize(("targets", "message"), [
    ("xx", "unknown language code 'xx'"), ("en,klingon", "unknown language code 'klingon'"),
    ("de", "is the source language"), (",", "no target language"),
])
def test_bad_language_codes(tmp_path, targets, message):
    result = invoke("run", SAMPLE, "--to", targets, "--engine", "pseudo", "--out", tmp_path / "o")
    assert result.exit_code == 1 and message in result.output


def _pseudo_run(tmp_path, text, name="a.txt"):
    article = tmp_path / name
    article.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    result = invoke("run", article, "--to", "en", "--engine", "pseudo", "--out", tmp_path / "o",
                    "--quiet")
    assert result.exit_code == 0, result.output
    po_path = tmp_path / "o" / "en" / "LC_MESSAGES" / f"{article.stem}.po"
    return [e for e in polib.pofile(str(po_path)) if not e.obsolete]


def test_cp1252_german_is_read_not_mangled(tmp_path):
    entries = _pseudo_run(tmp_path, "Größere Bühnen für Künstler – „Kreativität“.".encode("cp1252"))
    assert entries[0].msgid == "Größere Bühnen für Künstler – „Kreativität“."


def test_one_50000_character_line(tmp_path):
    line = " ".join(["wort"] * 10_000)
    entries = _pseudo_run(tmp_path, line)
    assert len(entries) == 1 and entries[0].msgid == line
    assert entries[0].msgstr.count("wört") == 10_000


@pytest.mark.parametrize(("html", "texts"), [
    ("<p>Offen <b>fett<p>Zweiter Absatz.", ["Offen fett", "Zweiter Absatz."]),
    ("<div><p>Eins.</div></p><p>Zwei.", ["Eins.", "Zwei."]),
    ("<p>Vorher.</p><iframe src='https://evil'>Rahmen</iframe><p>Nachher.</p>",
     ["Vorher.", "Nachher."]),
    ("<html><body>" + "<div>" * 1000 + "<p>Tief.</p>" + "</div>" * 1000,
     ["Tief."]),
])
def test_malformed_and_nested_html(tmp_path, html, texts):
    path = tmp_path / "a.html"
    path.write_text(html, encoding="utf-8")
    blocks = read_article(path).blocks
    assert [plain_text(b.text, html_codes(b.text)) for b in blocks] == texts


def test_unbalanced_quotes_lose_nothing(tmp_path):
    text = 'Er sagte: „Das ist gut. Und dann ging er. »Wirklich?'
    entries = _pseudo_run(tmp_path, text)
    assert " ".join(e.msgid for e in entries) == text


def test_article_of_only_tweets(tmp_path):
    text = ("Erster Tweet. https://t.co/a\n- A B (@ab) 1. Mai 2024\n"
            "Zweiter Tweet!\n- C D (@cd) May 2, 2024\n")
    entries = _pseudo_run(tmp_path, text)
    assert [e.comment.splitlines()[1] for e in entries] == ["tweet by A B (@ab)",
                                                            "tweet by C D (@cd)"]


def test_output_folder_not_writable(tmp_path):
    blocker = tmp_path / "out" / "en"
    blocker.parent.mkdir()
    blocker.write_text("I am a file, not a folder")
    result = invoke("run", SAMPLE, "--to", "en", "--engine", "pseudo", "--out", blocker.parent)
    assert result.exit_code == 1
    assert result.output.startswith("error: ") and "cannot write" in result.output
    assert blocker.read_text() == "I am a file, not a folder"


def test_full_disk_keeps_previous_outputs(tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert invoke("run", SAMPLE, "--to", "en", "--engine", "pseudo", "--out", out).exit_code == 0
    po_path = out / "en" / "LC_MESSAGES" / "sora-hollywood.po"
    before = po_path.read_bytes()

    def full(fd, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("pipeline.infra.atomic.os.fsync", full)
    result = invoke("run", SAMPLE, "--to", "en", "--engine", "pseudo", "--out", out,
                    "--tweets", "keep")
    assert result.exit_code == 1
    assert result.output.strip() == f"error: {po_path}: cannot write: disk full"
    assert po_path.read_bytes() == before
    assert not [p for p in po_path.parent.iterdir() if p.name.endswith(".tmp")]


def _run_cli(args, **kwargs):
    return subprocess.Popen([sys.executable, "-m", "pipeline", *map(str, args)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def test_sigkill_mid_translation_then_rerun_equals_clean_run(models_dir, tmp_path):
    article = tmp_path / "lang.txt"
    paragraphs = SAMPLE.read_text(encoding="utf-8").splitlines()
    article.write_text("\n".join(f"{p} (Teil {i})" if not p.startswith("-") else p
                                 for i in range(6) for p in paragraphs), encoding="utf-8")
    args = ["run", article, "--to", "en,fr", "--models-dir", models_dir, "--max-length", "120",
            "--beam-size", "4", "--threads", "1"]
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
    victim = _run_cli([*args, "--out", tmp_path / "killed"], env=env)
    seen = ""
    deadline = time.monotonic() + 60
    while "translate de-en" not in seen and time.monotonic() < deadline:
        seen += victim.stderr.read(1)
    assert "translate de-en" in seen, "the run never reached translation"
    time.sleep(0.3)
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=30)
    assert victim.returncode == -signal.SIGKILL
    assert not any((tmp_path / "killed").rglob("*.po")), "killed mid-translation, nothing written"
    for out in ("killed", "clean"):
        done = _run_cli([*args, "--out", tmp_path / out, "--quiet"], env=env)
        _, err = done.communicate(timeout=300)
        assert done.returncode == 0, err
    killed = sorted(p.relative_to(tmp_path / "killed") for p in (tmp_path / "killed").rglob("*")
                    if p.is_file())
    clean = sorted(p.relative_to(tmp_path / "clean") for p in (tmp_path / "clean").rglob("*")
                   if p.is_file())
    assert killed == clean and len(clean) >= 8
    for rel in clean:
        if rel.suffix == ".sqlite" or rel.name == ".pipeline.lock":  # times, pids
            continue
        assert (tmp_path / "killed" / rel).read_bytes() == (tmp_path / "clean" / rel).read_bytes()


HEADER = "id\tde\tvariants\tpos\tcase\tdnt\ten\tfr\tes\tavoid\tnote\n"
XXE = '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
BOMB = ('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'
                  for i in range(8)) + "]>\n")
XLIFF_BODY = ('<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="de" '
              'trgLang="en"><file id="f"><unit id="u"><segment id="s" state="final">'
              '<source>a</source><target>{}</target></segment></unit></file></xliff>')
TMX_BODY = ('<tmx version="1.4"><header creationtool="x" creationtoolversion="1" '
            'segtype="sentence" o-tmf="x" adminlang="en" srclang="de" datatype="plaintext"/>'
            '<body><tu><tuv xml:lang="de"><seg>a</seg></tuv><tuv xml:lang="en"><seg>{}</seg>'
            '</tuv></tu></body></tmx>')
TBX_BODY = ('<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" '
            'xml:lang="en"><text><body>{}</body></text></tbx>')


def _glossary_with_conflict(folder):
    path = folder / "glossary"
    path.mkdir()
    (path / "a.tsv").write_text(HEADER + "ki\tKI\t\tnoun\texact\tno\tAI\tIA\tIA\t\t\n"
                                "ki2\tKI\t\tnoun\texact\tno\tA.I.\tIA\tIA\t\t\n",
                                encoding="utf-8")
    return ["run", SAMPLE, "--to", "en", "--engine", "pseudo", "--glossary", path,
            "--out", folder / "out"]


def _file(name, text):
    def make(folder):
        path = folder / name
        path.write_text(text, encoding="utf-8")
        return path
    return make


def _import(name, text):
    return lambda folder: ["import", _file(name, text)(folder), "--memory", folder / "m.sqlite"]


def _install(data):
    def make(folder):
        path = folder / "p.argosmodel"
        path.write_bytes(data)
        return ["models", "install", path, "--models-dir", folder / "models"]
    return make


def _zip_with(entries):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


OTHER_COMMANDS = [
    ("glossary-conflict", _glossary_with_conflict, "a.tsv:3:", "KI"),
    ("po-syntax-error", _import("bad.po", 'msgid ""\nmsgstr ""\n\nmsgid "a"\nmsgstr b\n'),
     "bad.po:5: PO syntax error", None),
    ("xliff-external-entity", _import("x.xlf", XXE + XLIFF_BODY.format("&e;")),
     "x.xlf:2: refused: the DOCTYPE declares entities", None),
    ("xliff-entity-bomb", _import("b.xlf", BOMB + XLIFF_BODY.format("&i;")), "b.xlf:", "refused"),
    ("tmx-external-entity", _import("x.tmx", XXE + TMX_BODY.format("&e;")), "x.tmx:2: refused",
     None),
    ("tmx-entity-bomb", _import("b.tmx", BOMB + TMX_BODY.format("&i;")), "b.tmx:", "refused"),
    ("tbx-external-entity",
     lambda d: ["glossary", "--dir", d, "import", _file("x.tbx", XXE + TBX_BODY.format("&e;"))(d)],
     "x.tbx:2: refused", None),
    ("tbx-entity-bomb",
     lambda d: ["glossary", "--dir", d, "import", _file("b.tbx", BOMB + TBX_BODY.format("&i;"))(d)],
     "b.tbx:2: refused: entity expansion", None),
    ("argosmodel-not-zip", _install(b"just text"), "not an Argos package (not a zip archive)",
     None),
    ("argosmodel-truncated", _install(_zip_with({"p/metadata.json": "{}"})[:40]),
     "p.argosmodel", None),
    ("argosmodel-no-metadata", _install(_zip_with({"p/model/model.bin": "x"})),
     "package has no metadata.json", None),
    ("argosmodel-zip-slip", _install(_zip_with({"p/metadata.json": "{}", "p/../../evil": "x"})),
     "unsafe path in package archive", None),
]


@pytest.mark.parametrize(("make", "message", "also"), [row[1:] for row in OTHER_COMMANDS],
                         ids=[row[0] for row in OTHER_COMMANDS])
def test_hostile_and_broken_files_table(tmp_path, make, message, also):
    result = invoke(*make(tmp_path))
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], lines
    assert also is None or also in lines[0]
    assert "root:" not in result.output
    assert not (tmp_path / "m.sqlite").exists() and not (tmp_path / "out").exists()
    assert not (tmp_path.parent / "evil").exists()
