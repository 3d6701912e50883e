"""The eight ways a reviewer's work was lost (issue 13), each driven through the CLI in a real
child process, with real signals at exact points of the write phase (tests/store/hook)."""

from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess

import polib
import pytest
from lxml import etree

from ..helpers import toolkit
from .child import Child, run_cli
from .outputs import (
    SENTENCES,
    XLIFF,
    edit_po,
    edit_xliff,
    entry_of,
    ok,
    po_file,
    run_args,
    store_statuses,
    xliff_target,
)

#: files a run replaces per article in one language without a glossary: PO, Markdown, JSONL,
#: XLIFF, then the review page
RENAMES = 5


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(" ".join(SENTENCES) + "\n", encoding="utf-8")
    return path


# 1 -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("stop", range(1, RENAMES + 1))
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_a_kill_between_the_renames_keeps_a_draft(tmp_path, article, stop, sig):
    out = tmp_path / "out"
    ok(run_cli(*run_args(article, out)))
    edit_po(out, "A reviewer's draft.", fuzzy=True)
    child = Child(*run_args(article, out), scratch=tmp_path, out=out, STOP_REPLACE=str(stop))
    try:
        assert child.stopped().startswith(f"replace {stop} ")
        assert child.kill(sig) != 0
    finally:
        child.close()
    ok(run_cli(*run_args(article, out)))
    entry = entry_of(out)
    assert (entry.msgstr, entry.fuzzy) == ("A reviewer's draft.", True)
    assert xliff_target(out) == ("A reviewer's draft.", "translated")
    statuses = store_statuses(out)
    assert statuses.pop(SENTENCES[1]) == "draft"
    assert set(statuses.values()) == {"machine"}


# 2 -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("stop", [1, 2, 3, 4])
def test_a_kill_after_a_model_change_makes_no_human_drafts(tmp_path, article, stop):
    out = tmp_path / "out"
    ok(run_cli(*run_args(article, out)))
    child = Child(*run_args(article, out), scratch=tmp_path, out=out, STOP_REPLACE=str(stop),
                  PSEUDO="0.6")
    try:
        child.stopped()
        child.kill()
    finally:
        child.close()
    for more in ([], ["--retranslate"]):
        ok(run_cli(*run_args(article, out, *more), PIPELINE_TEST_PSEUDO="0.6"))
        assert set(store_statuses(out).values()) == {"machine"}
        catalog = polib.pofile(str(po_file(out)))
        assert all(e.fuzzy and "machine translation" in e.comment.splitlines() for e in catalog)
        assert all("~~~~~~~" in e.msgstr or len(e.msgstr) > len(e.msgid) for e in catalog)


# 3 -------------------------------------------------------------------------------------------
def test_an_edit_saved_during_a_run_is_kept(tmp_path, article):
    out = tmp_path / "out"
    ok(run_cli(*run_args(article, out)))
    child = Child(*run_args(article, out, "--retranslate"), scratch=tmp_path, out=out,
                  resume=True, STOP_TRANSLATE="1")
    try:
        assert child.stopped() == "translate"
        edit_po(out, "Saved while the run translated.", fuzzy=False)  # this process, now
        child.resume()
        done = child.finish()
    finally:
        child.close()
    assert done.returncode == 0, done.stderr
    assert "changed by a person during this run" in done.stderr
    entry = entry_of(out)
    assert (entry.msgstr, entry.fuzzy) == ("Saved while the run translated.", False)
    assert any(line.startswith("machine translation now: ") for line in entry.comment.splitlines())
    assert store_statuses(out)[SENTENCES[1]] == "reviewed"


# 4 -------------------------------------------------------------------------------------------
def test_a_po_xliff_conflict_stays_visible_until_a_person_settles_it(tmp_path, article):
    out = tmp_path / "out"
    ok(run_cli(*run_args(article, out)))
    edit_po(out, "The PO's text.", fuzzy=False)
    edit_xliff(out, "The XLIFF's text.", "final")
    for _ in range(3):
        ok(run_cli(*run_args(article, out)))
        entries = {entry_of(out).msgstr, xliff_target(out)[0]}
        assert len(entries) == 1
        [chosen] = entries
        other = ({"The PO's text.", "The XLIFF's text."} - {chosen}).pop()
        assert any(line.startswith("also edited in ") and line.endswith(other)
                   for line in entry_of(out).comment.splitlines())
        xliff = (out / "en" / "a.xlf").read_text(encoding="utf-8")
        assert other in xliff
    edit_po(out, "Settled.", fuzzy=False)  # the reviewer decides
    ok(run_cli(*run_args(article, out)))
    assert entry_of(out).msgstr == "Settled."
    assert not any(line.startswith("also edited in") for line in entry_of(out).comment.splitlines())


# 5 -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("fuzzy", [True, False], ids=["draft", "reviewed"])
def test_a_persons_translation_survives_a_changed_sentence(tmp_path, article, fuzzy):
    out = tmp_path / "out"
    ok(run_cli(*run_args(article, out)))
    edit_po(out, "The studios gave in.", fuzzy=fuzzy)
    ok(run_cli(*run_args(article, out)))
    changed = "Die Studios haben endlich nachgegeben."
    article.write_text(article.read_text(encoding="utf-8").replace(SENTENCES[1], changed),
                       encoding="utf-8")
    ok(run_cli(*run_args(article, out)))
    entry = entry_of(out, changed)
    assert (entry.msgstr, entry.fuzzy, entry.previous_msgid) == (
        "The studios gave in.", True, SENTENCES[1])
    assert any(line.startswith("machine translation now: ") for line in entry.comment.splitlines())
    page = (out / "review" / "a.html").read_text(encoding="utf-8")
    assert "The studios gave in." in page
    assert store_statuses(out)[changed] == "draft"


# 6 -------------------------------------------------------------------------------------------
def test_a_tmx_dated_ahead_of_the_clock_does_not_pin_the_memory(tmp_path, article):
    out = tmp_path / "out"
    memory = out / "memory.sqlite"
    ok(run_cli(*run_args(article, out)))
    tmx = tmp_path / "future.tmx"
    tmx.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="t" '
        'creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" srclang="de" '
        'datatype="plaintext"/><body><tu tuid="1" creationdate="20990101T000000Z" '
        'changedate="20990101T000000Z"><prop type="x-origin">human</prop>'
        f'<tuv xml:lang="de"><seg>{SENTENCES[1]}</seg></tuv>'
        '<tuv xml:lang="en"><seg>From the future.</seg></tuv></tu></body></tmx>\n',
        encoding="utf-8")
    ok(run_cli("import", tmx, "--memory", memory))
    edit_po(out, "Fixed today.", fuzzy=False)
    ok(run_cli(*run_args(article, out)))
    with sqlite3.connect(memory) as conn:
        rows = conn.execute("SELECT target FROM unit WHERE source = ? AND origin = 'human'",
                            (SENTENCES[1],)).fetchall()
    assert rows == [("Fixed today.",)]


# 7 -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("damage", ["deleted", "emptied", "half"])
def test_a_damaged_jsonl_relabels_nothing(tmp_path, article, damage):
    out = tmp_path / "out"
    ok(run_cli(*run_args(article, out)))
    jsonl = out / "en" / "a.jsonl"
    data = jsonl.read_bytes()
    if damage == "deleted":
        jsonl.unlink()
    else:
        jsonl.write_bytes(b"" if damage == "emptied" else data[: len(data) // 2])
    ok(run_cli(*run_args(article, out)))
    xliff = etree.parse(str(out / "en" / "a.xlf"))
    assert {s.get("state") for s in xliff.iterfind(".//x:segment", XLIFF)} == {"initial"}
    assert not any("a person's draft" in e.comment for e in polib.pofile(str(po_file(out))))
    assert set(store_statuses(out).values()) == {"machine"}


# 8 -------------------------------------------------------------------------------------------
def test_the_same_name_in_two_folders_gets_two_outputs(tmp_path):
    out = tmp_path / "out"
    for folder, text in (("politik", "Die Wahl ist vorbei."), ("sport", "Das Spiel ist aus.")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "index.txt").write_text(text + "\n", encoding="utf-8")
    ok(run_cli(*run_args("politik/index.txt", out), cwd=tmp_path))
    edit_po(out, "The election is over.", fuzzy=False, source="Die Wahl ist vorbei.",
             slug="index")
    ok(run_cli(*run_args("sport/index.txt", out), cwd=tmp_path))
    assert entry_of(out, "Die Wahl ist vorbei.", slug="index").msgstr == "The election is over."
    assert entry_of(out, "Das Spiel ist aus.", slug="index-2").fuzzy
    ok(run_cli(*run_args("politik/index.txt", out), cwd=tmp_path))  # the name is remembered
    assert entry_of(out, "Die Wahl ist vorbei.", slug="index").msgstr == "The election is over."
    assert not (out / "en" / "LC_MESSAGES" / "index-3.po").exists()


def test_a_translate_toolkit_round_trip_keeps_the_reviewers_entry(tmp_path, article):
    po2xliff, xliff2po = toolkit("po2xliff"), toolkit("xliff2po")
    out = tmp_path / "out"
    ok(run_cli(*run_args(article, out)))
    xlf, back = tmp_path / "rt.xlf", tmp_path / "rt.po"
    subprocess.run([po2xliff, str(po_file(out)), str(xlf)], check=True, capture_output=True)
    subprocess.run([xliff2po, str(xlf), str(back)], check=True, capture_output=True)
    round_tripped = polib.pofile(str(back))
    assert not any(e.msgctxt for e in round_tripped), "the round trip drops msgctxt"
    [entry] = [e for e in round_tripped if e.msgid == SENTENCES[1]]
    entry.msgstr, entry.flags = "Round-tripped review.", []
    round_tripped.save(str(back))
    shutil.copyfile(back, po_file(out))
    ok(run_cli(*run_args(article, out)))
    entry = entry_of(out)
    assert (entry.msgstr, entry.fuzzy, entry.msgctxt) == ("Round-tripped review.", False,
                                                          entry.msgctxt)
    assert entry.msgctxt and not any(e.obsolete for e in polib.pofile(str(po_file(out))))


def test_an_xliff_segment_without_id_keeps_its_final_target(tmp_path, article):
    out = tmp_path / "out"
    ok(run_cli(*run_args(article, out)))
    edit_xliff(out, "Final, without an id.", "final", drop_id=True)
    ok(run_cli(*run_args(article, out)))
    assert xliff_target(out) == ("Final, without an id.", "final")
    assert store_statuses(out)[SENTENCES[1]] == "final"


def test_a_lost_store_turns_no_machine_text_into_a_persons(tmp_path, article):
    """The files say what is machine output (a PO note, the XLIFF subState), so losing
    review.sqlite and the JSONL records costs no label: machine stays machine, people's stay."""
    out = tmp_path / "out"
    ok(run_cli(*run_args(article, out)))
    edit_po(out, "A draft.", fuzzy=True)
    edit_po(out, "Signed off.", fuzzy=False, source=SENTENCES[2])
    ok(run_cli(*run_args(article, out)))
    for path in [out / "review.sqlite", *out.rglob("*.jsonl")]:
        path.unlink()
    ok(run_cli(*run_args(article, out)))
    statuses = store_statuses(out)
    assert (statuses.pop(SENTENCES[1]), statuses.pop(SENTENCES[2])) == ("draft", "reviewed")
    assert set(statuses.values()) == {"machine"}
    assert (entry_of(out).msgstr, entry_of(out, SENTENCES[2]).msgstr) == ("A draft.", "Signed off.")
