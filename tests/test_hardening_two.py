"""Hardening, round two: each finding of the second adversarial trial, driven through the CLI
(so it holds whatever the package layout): one clear line and exit 1, or success."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from pipeline.cli import cli

from .conftest import ROOT, SAMPLE
from .helpers import msgfmt_check

TEXT = "Die Regisseure wollen KI.\n\nDer Streik dauert an.\n"


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def one_line_error(result, *needles):
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert "internal error" not in result.output
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def pseudo_run(*args):
    return invoke("run", *args, "--engine", "pseudo", "--no-glossary", "--quiet")


# --- 1. bounded input ----------------------------------------------------------------------

def test_an_endless_device_is_refused_at_the_limit(tmp_path):
    line = one_line_error(pseudo_run("/dev/zero", "--to", "en", "--out", tmp_path / "o"),
                          "/dev/zero", "larger than 2 MB")
    assert "--max-size" in line
    assert not (tmp_path / "o").exists()


def test_a_pipe_cannot_bypass_the_size_limit(tmp_path):
    fifo = tmp_path / "article.txt"
    os.mkfifo(fifo)

    def feed():
        try:
            with open(fifo, "wb") as pipe:
                for _ in range(300):
                    pipe.write(("Ein Satz. " * 1000).encode())  # 3 MB in all
        except BrokenPipeError:
            pass  # the reader stopped at the limit, as it should

    writer = threading.Thread(target=feed, daemon=True)  # never holds up the test run
    writer.start()
    result = pseudo_run(fifo, "--to", "en", "--out", tmp_path / "o")
    writer.join(timeout=30)
    one_line_error(result, "article.txt", "larger than 2 MB")
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(("command", "name"), [
    (["import", "{file}", "--memory", "{tmp}/m.sqlite"], "a.po"),
    (["check", "{file}"], "a.xlf"),
    (["glossary", "--dir", "{tmp}/g", "import", "{file}"], "t.tbx"),
])
def test_every_reader_is_bounded(tmp_path, command, name):
    """Other inputs have their own, larger limits: a device is refused there too."""
    target = tmp_path / name
    target.symlink_to("/dev/zero")
    (tmp_path / "g").mkdir()
    shutil.copy(ROOT / "glossary" / "ai.tsv", tmp_path / "g" / "ai.tsv")
    args = [part.format(file=target, tmp=tmp_path) for part in command]
    one_line_error(invoke(*args), name, "larger than")


# --- 2. linear time ------------------------------------------------------------------------

@pytest.mark.parametrize("junk", ["a" * 100_000, "1.1." * 25_000, "a.a." * 25_000,
                                  "@" * 100_000, "a.b" * 33_000])
def test_long_runs_without_spaces_go_through_the_whole_run(tmp_path, junk):
    """These took minutes before (quadratic patterns, SoMaJo on long tokens). The timeout is
    a hang guard for CI, not a speed goal (that lives in nox -s bench)."""
    article = tmp_path / "junk.txt"
    article.write_text(f"Ein Satz davor.\n\n{junk}\n\nEin Satz danach.\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pipeline", "run", str(article), "--to", "en",
                           "--engine", "pseudo", "--quiet", "--out", str(tmp_path / "o")],
                          cwd=ROOT, capture_output=True, text=True, timeout=240, check=False)
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in (tmp_path / "o" / "en" / "junk.jsonl").open()]
    assert "".join(r["source"] for r in records).replace(" ", "") == \
        f"Ein Satz davor.{junk}Ein Satz danach.".replace(" ", "")


# --- 3. expected bad input is never an internal error --------------------------------------

def _first_run(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "o"
    assert pseudo_run(article, "--to", "en", "--out", out).exit_code == 0
    return article, out


def _surrogate_xliff(out):
    path = out / "en" / "a.xlf"
    xml = path.read_text(encoding="utf-8")
    start = xml.index("<target>") + len("<target>")
    path.write_text(xml[:start] + 'A<cp hex="D800"/>' + xml[xml.index("</target>"):],
                    encoding="utf-8")
    return path


def test_a_lone_surrogate_in_a_reviewers_xliff(tmp_path):
    article, out = _first_run(tmp_path)
    bad = _surrogate_xliff(out)
    one_line_error(pseudo_run(article, "--to", "en", "--out", out), "a.xlf", "D800")
    good = out / "en" / "LC_MESSAGES" / "a.po"
    catalog = polib.pofile(str(good))
    catalog[0].msgstr, catalog[0].flags = "Reviewed.", []
    catalog.save(str(good))
    memory = tmp_path / "m.sqlite"
    one_line_error(invoke("import", good, bad, "--memory", memory), "a.xlf")
    assert not memory.exists() or sqlite3.connect(memory).execute(
        "SELECT count(*) FROM unit").fetchone() == (0,)  # good.po was not committed first


def test_a_garbage_tokenizer_in_an_installed_package(tmp_path, models_dir):
    models = tmp_path / "models"
    shutil.copytree(models_dir, models)
    [spm] = [p for p in models.glob("*/sentencepiece.model") if "de_en" in p.parent.name]
    spm.write_bytes(b"this is not a sentencepiece model")
    article = tmp_path / "a.txt"
    article.write_text(TEXT, encoding="utf-8")
    result = invoke("run", article, "--to", "en", "--models-dir", models, "--out",
                    tmp_path / "o", "--quiet", "--max-length", "8")
    one_line_error(result, "tokenizer")


@pytest.mark.parametrize(("column", "value"), [("updated", "yesterday"), ("origin", "robot")])
def test_a_damaged_memory_row(tmp_path, column, value):
    _, out = _first_run(tmp_path)
    memory = out / "memory.sqlite"
    assert invoke("import", out / "en" / "a.xlf", "--memory", memory).exit_code == 0
    with sqlite3.connect(memory) as conn:
        conn.execute("INSERT INTO unit (source_lang, target_lang, source, source_key, key_len,"
                     " target, origin, created, updated) VALUES ('de', 'en', 'Satz.', 'Satz.',"
                     " 5, 'Sentence.', 'human', '2026-01-01T00:00:00.000000Z',"
                     " '2026-01-01T00:00:00.000000Z')")
        conn.execute("PRAGMA ignore_check_constraints = 1")
        conn.execute(f"UPDATE unit SET {column} = ?", (value,))  # noqa: S608 - test table
    one_line_error(invoke("tm", "export", "--memory", memory, "-o", tmp_path / "x.tmx"),
                   "memory.sqlite", "damaged row")
    assert not (tmp_path / "x.tmx").exists()


# --- 4. packages ---------------------------------------------------------------------------

def _repack(source: Path, dest: Path, top: str, metadata_update: dict) -> Path:
    """The package file with another top folder name and/or metadata."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(dest, "w") as new:
        old_top = old.namelist()[0].split("/")[0]
        for info in old.infolist():
            data = old.read(info)
            name = top + info.filename[len(old_top):]
            if info.filename.endswith("metadata.json"):
                data = json.dumps({**json.loads(data), **metadata_update}).encode()
            new.writestr(name, data)
    return dest


def test_a_package_cannot_replace_another_pair(tmp_path, package_files):
    models = tmp_path / "models"
    assert invoke("models", "install", package_files["de-en"], "--models-dir",
                  models).exit_code == 0
    [installed] = list(models.iterdir())
    before = {p.name: p.stat().st_size for p in installed.rglob("*")}
    liar = _repack(package_files["en-fr"], tmp_path / "liar.argosmodel", installed.name, {})
    one_line_error(invoke("models", "install", liar, "--models-dir", models),
                   "does not name the pair")
    assert {p.name: p.stat().st_size for p in installed.rglob("*")} == before
    assert [p.name for p in models.iterdir()] == [installed.name]  # no staging left


def test_a_hidden_package_folder_is_refused_and_leaves_nothing(tmp_path, package_files):
    models = tmp_path / "models"
    hidden = _repack(package_files["de-en"], tmp_path / "h.argosmodel", ".translate-de_en", {})
    one_line_error(invoke("models", "install", hidden, "--models-dir", models), "not a plain")
    assert not models.exists() or list(models.iterdir()) == []


_KILLED_INSTALL = """
import os, sys, time
from pathlib import Path
from pipeline.mt import packages
packages._exchange = lambda a, b: False          # take the two-rename path
real = os.replace
def slow(src, dst):
    real(src, dst)
    if str(dst).endswith(".replaced"):            # the old package is set aside: stop here
        Path(sys.argv[3]).write_text("aside")
        time.sleep(60)
packages.os.replace = slow
packages.install_file(Path(sys.argv[1]), Path(sys.argv[2]))
"""


def test_replacing_a_package_survives_a_kill_between_the_renames(tmp_path, package_files):
    models = tmp_path / "models"
    assert invoke("models", "install", package_files["de-en"], "--models-dir",
                  models).exit_code == 0
    flag = tmp_path / "flag"
    process = subprocess.Popen([sys.executable, "-c", _KILLED_INSTALL,
                                str(package_files["de-en"]), str(models), str(flag)], cwd=ROOT)
    try:
        for _ in range(600):
            if flag.exists() or process.poll() is not None:
                break
            threading.Event().wait(0.1)
        assert flag.exists(), "the install never reached the swap"
        os.kill(process.pid, signal.SIGKILL)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)
    listed = json.loads(invoke("models", "list", "--json", "--models-dir", models).output)
    assert [row["pair"] for row in listed] == ["de-en"]  # the old package is back, whole
    assert sorted(p.name for p in models.iterdir()) == [Path(listed[0]["path"]).name]


# --- 5. names and paths --------------------------------------------------------------------

def test_a_newline_in_the_article_name(tmp_path):
    article = tmp_path / "zwei\nzeilen.txt"
    article.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "o"
    for _ in range(2):  # the second run reads the first run's PO
        assert pseudo_run(article, "--to", "en", "--out", out).exit_code == 0
    po = out / "en" / "LC_MESSAGES" / "zwei-zeilen.po"
    assert "#: zwei%0Azeilen.txt:1" in po.read_text(encoding="utf-8")
    assert msgfmt_check(po).returncode == 0


@pytest.mark.parametrize("inside", ["en/a.jsonl", "en/LC_MESSAGES/a.po", "review/a.html",
                                    "en/tm.sqlite"])
def test_the_memory_cannot_be_an_output(tmp_path, inside):
    article = tmp_path / "a.txt"
    article.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "o"
    one_line_error(pseudo_run(article, "--to", "en", "--out", out, "--memory", out / inside),
                   "where the run writes its outputs")
    assert not (out / "en").exists()


# --- 6. region variants --------------------------------------------------------------------

@pytest.mark.parametrize("label", ["en_US", "en-GB"])
def test_poedit_region_labels_are_accepted(tmp_path, label):
    article, out = _first_run(tmp_path)
    po = out / "en" / "LC_MESSAGES" / "a.po"
    catalog = polib.pofile(str(po))
    catalog.metadata["Language"] = label
    catalog[0].msgstr, catalog[0].flags = "Reviewed by Poedit.", []
    catalog.save(str(po))
    assert pseudo_run(article, "--to", "en", "--out", out).exit_code == 0
    assert polib.pofile(str(po))[0].msgstr == "Reviewed by Poedit."
    imported = invoke("import", po, "--memory", tmp_path / "m.sqlite")
    assert imported.exit_code == 0 and "1 translations imported" in imported.output


# --- 7. bidi controls ----------------------------------------------------------------------

def test_a_bidi_override_in_an_edit_is_flagged(tmp_path):
    article, out = _first_run(tmp_path)
    po = out / "en" / "LC_MESSAGES" / "a.po"
    catalog = polib.pofile(str(po))
    catalog[0].msgstr, catalog[0].flags = "The directors want \u202eIA\u202c.", []
    catalog.save(str(po))
    checked = invoke("check", po, "--json")
    findings = json.loads(checked.stdout)["findings"]
    assert [(f["check"], f["severity"]) for f in findings if f["check"] == "invisible"] == [
        ("invisible", "error")]
    assert pseudo_run(article, "--to", "en", "--out", out).exit_code == 0
    page = (out / "review" / "a.html").read_text(encoding="utf-8")
    assert "\u202e" not in page and "⟨U+202E⟩" in page


def test_the_sample_still_runs(tmp_path):
    assert pseudo_run(SAMPLE, "--to", "en", "--out", tmp_path / "o").exit_code == 0


# --- a second adversarial pass over the finished change ------------------------------------

@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\u0085"])
def test_unicode_line_separators_in_a_review_are_text(tmp_path, separator):
    article, out = _first_run(tmp_path)
    po = out / "en" / "LC_MESSAGES" / "a.po"
    catalog = polib.pofile(str(po))
    catalog[0].msgstr, catalog[0].flags = f"Next{separator}line.", []
    catalog.save(str(po))
    for _ in range(2):
        assert pseudo_run(article, "--to", "en", "--out", out).exit_code == 0
    assert polib.pofile(str(po))[0].msgstr == f"Next{separator}line."
    hyp, ref = tmp_path / "h.txt", tmp_path / "r.txt"
    hyp.write_text(f"a{separator}b\nc\n", encoding="utf-8")
    ref.write_text(f"a{separator}b\nc\n", encoding="utf-8")
    assert invoke("eval", "--hyp", hyp, "--ref", ref).exit_code == 0  # two lines each


def test_deeply_nested_json_is_one_line(tmp_path):
    deep = tmp_path / "deep.jsonl"
    deep.write_text("[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    one_line_error(invoke("check", deep), "deep.jsonl:1", "bad JSONL record")


def test_a_csv_field_over_the_csv_limit_is_one_line(tmp_path):
    shutil.copytree(ROOT / "glossary", tmp_path / "g")
    csv_file = tmp_path / "l.csv"
    csv_file.write_text("id,de,variants,pos,case,dnt,en,fr,es,avoid,note,domain\n"
                        f"n,Wort,,noun,any,no,b,c,d,,{'N' * 200_000},ai\n", encoding="utf-8")
    one_line_error(invoke("glossary", "--dir", tmp_path / "g", "import", csv_file),
                   "l.csv:2", "not a usable CSV")


def test_a_term_with_bidi_controls_is_refused(tmp_path):
    shutil.copytree(ROOT / "glossary", tmp_path / "g")
    csv_file = tmp_path / "b.csv"
    csv_file.write_text("id,de,variants,pos,case,dnt,en,fr,es,avoid,note,domain\n"
                        "bidi,\u202eWort\u202c,,noun,any,no,word,mot,palabra,,,ai\n",
                        encoding="utf-8")
    one_line_error(invoke("glossary", "--dir", tmp_path / "g", "import", csv_file),
                   "invisible characters")


@pytest.mark.parametrize("memory", ["o", "o/sub/../"])
def test_the_memory_cannot_be_the_output_folder_or_hold_it(tmp_path, memory, monkeypatch):
    monkeypatch.chdir(tmp_path)
    article = tmp_path / "a.txt"
    article.write_text(TEXT, encoding="utf-8")
    one_line_error(pseudo_run(article, "--to", "en", "--out", "o", "--memory", memory),
                   "output folder")
    assert not (tmp_path / "o").exists()
