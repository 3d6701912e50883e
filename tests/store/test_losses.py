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

XLIFF = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
SENTENCES = ["Der Streik ist vorbei.", "Die Studios haben nachgegeben.",
             "Die Autoren feiern.", "Morgen wird wieder gedreht."]
#: files a run replaces per article in one language without a glossary: PO, Markdown, JSONL,
#: XLIFF, then the review page
RENAMES = 5


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(" ".join(SENTENCES) + "\n", encoding="utf-8")
    return path


def _args(article, out, *more):
    return ["run", article, "--to", "en", "--engine", "pseudo", "--out", out, "--no-glossary",
            "--quiet", *more]


def _ok(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, result.stderr
    return result


def _po(out, slug="a"):
    return out / "en" / "LC_MESSAGES" / f"{slug}.po"


def _entry(out, source=SENTENCES[1], slug="a"):
    [entry] = [e for e in polib.pofile(str(_po(out, slug))) if e.msgid == source and not e.obsolete]
    return entry


def _edit_po(out, text, *, fuzzy, source=SENTENCES[1], slug="a"):
    catalog = polib.pofile(str(_po(out, slug)))
    [entry] = [e for e in catalog if e.msgid == source and not e.obsolete]
    entry.msgstr = text
    entry.flags = ["fuzzy"] if fuzzy else []
    catalog.save(str(_po(out, slug)))


def _xliff_segment(tree, source=SENTENCES[1]):
    for segment in tree.iterfind(".//x:segment", XLIFF):
        if "".join(segment.find("x:source", XLIFF).itertext()) == source:
            return segment
    raise AssertionError(source)


def _edit_xliff(out, text, state, *, drop_id=False, slug="a"):
    path = out / "en" / f"{slug}.xlf"
    tree = etree.parse(str(path))
    segment = _xliff_segment(tree)
    segment.set("state", state)
    segment.find("x:target", XLIFF).text = text
    if drop_id:
        del segment.attrib["id"]
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")


def _xliff_target(out, slug="a"):
    segment = _xliff_segment(etree.parse(str(out / "en" / f"{slug}.xlf")))
    return segment.find("x:target", XLIFF).text, segment.get("state")


def _statuses(out):
    with sqlite3.connect(out / "review.sqlite") as conn:
        return dict(conn.execute("SELECT source, status FROM segment WHERE position IS NOT NULL"))


# 1 -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("stop", range(1, RENAMES + 1))
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_a_kill_between_the_renames_keeps_a_draft(tmp_path, article, stop, sig):
    out = tmp_path / "out"
    _ok(run_cli(*_args(article, out)))
    _edit_po(out, "A reviewer's draft.", fuzzy=True)
    child = Child(*_args(article, out), scratch=tmp_path, out=out, STOP_REPLACE=str(stop))
    try:
        assert child.stopped().startswith(f"replace {stop} ")
        assert child.kill(sig) != 0
    finally:
        child.close()
    _ok(run_cli(*_args(article, out)))
    entry = _entry(out)
    assert (entry.msgstr, entry.fuzzy) == ("A reviewer's draft.", True)
    assert _xliff_target(out) == ("A reviewer's draft.", "translated")
    statuses = _statuses(out)
    assert statuses.pop(SENTENCES[1]) == "draft"
    assert set(statuses.values()) == {"machine"}


# 2 -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("stop", [1, 2, 3, 4])
def test_a_kill_after_a_model_change_makes_no_human_drafts(tmp_path, article, stop):
    out = tmp_path / "out"
    _ok(run_cli(*_args(article, out)))
    child = Child(*_args(article, out), scratch=tmp_path, out=out, STOP_REPLACE=str(stop),
                  PSEUDO="0.6")
    try:
        child.stopped()
        child.kill()
    finally:
        child.close()
    for more in ([], ["--retranslate"]):
        _ok(run_cli(*_args(article, out, *more), PIPELINE_TEST_PSEUDO="0.6"))
        assert set(_statuses(out).values()) == {"machine"}
        catalog = polib.pofile(str(_po(out)))
        assert all(e.fuzzy and "machine translation" in e.comment.splitlines() for e in catalog)
        assert all("~~~~~~~" in e.msgstr or len(e.msgstr) > len(e.msgid) for e in catalog)


# 3 -------------------------------------------------------------------------------------------
def test_an_edit_saved_during_a_run_is_kept(tmp_path, article):
    out = tmp_path / "out"
    _ok(run_cli(*_args(article, out)))
    child = Child(*_args(article, out, "--retranslate"), scratch=tmp_path, out=out,
                  resume=True, STOP_TRANSLATE="1")
    try:
        assert child.stopped() == "translate"
        _edit_po(out, "Saved while the run translated.", fuzzy=False)  # this process, now
        child.resume()
        done = child.finish()
    finally:
        child.close()
    assert done.returncode == 0, done.stderr
    assert "changed by a person during this run" in done.stderr
    entry = _entry(out)
    assert (entry.msgstr, entry.fuzzy) == ("Saved while the run translated.", False)
    assert any(line.startswith("machine translation now: ") for line in entry.comment.splitlines())
    assert _statuses(out)[SENTENCES[1]] == "reviewed"


# 4 -------------------------------------------------------------------------------------------
def test_a_po_xliff_conflict_stays_visible_until_a_person_settles_it(tmp_path, article):
    out = tmp_path / "out"
    _ok(run_cli(*_args(article, out)))
    _edit_po(out, "The PO's text.", fuzzy=False)
    _edit_xliff(out, "The XLIFF's text.", "final")
    for _ in range(3):
        _ok(run_cli(*_args(article, out)))
        entries = {_entry(out).msgstr, _xliff_target(out)[0]}
        assert len(entries) == 1
        [chosen] = entries
        other = ({"The PO's text.", "The XLIFF's text."} - {chosen}).pop()
        assert any(line.startswith("also edited in ") and line.endswith(other)
                   for line in _entry(out).comment.splitlines())
        xliff = (out / "en" / "a.xlf").read_text(encoding="utf-8")
        assert other in xliff
    _edit_po(out, "Settled.", fuzzy=False)  # the reviewer decides
    _ok(run_cli(*_args(article, out)))
    assert _entry(out).msgstr == "Settled."
    assert not any(line.startswith("also edited in") for line in _entry(out).comment.splitlines())


# 5 -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("fuzzy", [True, False], ids=["draft", "reviewed"])
def test_a_persons_translation_survives_a_changed_sentence(tmp_path, article, fuzzy):
    out = tmp_path / "out"
    _ok(run_cli(*_args(article, out)))
    _edit_po(out, "The studios gave in.", fuzzy=fuzzy)
    _ok(run_cli(*_args(article, out)))
    changed = "Die Studios haben endlich nachgegeben."
    article.write_text(article.read_text(encoding="utf-8").replace(SENTENCES[1], changed),
                       encoding="utf-8")
    _ok(run_cli(*_args(article, out)))
    entry = _entry(out, changed)
    assert (entry.msgstr, entry.fuzzy, entry.previous_msgid) == (
        "The studios gave in.", True, SENTENCES[1])
    assert any(line.startswith("machine translation now: ") for line in entry.comment.splitlines())
    page = (out / "review" / "a.html").read_text(encoding="utf-8")
    assert "The studios gave in." in page
    assert _statuses(out)[changed] == "draft"


# 6 -------------------------------------------------------------------------------------------
def test_a_tmx_dated_ahead_of_the_clock_does_not_pin_the_memory(tmp_path, article):
    out = tmp_path / "out"
    memory = out / "memory.sqlite"
    _ok(run_cli(*_args(article, out)))
    tmx = tmp_path / "future.tmx"
    tmx.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="t" '
        'creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" srclang="de" '
        'datatype="plaintext"/><body><tu tuid="1" creationdate="20990101T000000Z" '
        'changedate="20990101T000000Z"><prop type="x-origin">human</prop>'
        f'<tuv xml:lang="de"><seg>{SENTENCES[1]}</seg></tuv>'
        '<tuv xml:lang="en"><seg>From the future.</seg></tuv></tu></body></tmx>\n',
        encoding="utf-8")
    _ok(run_cli("import", tmx, "--memory", memory))
    _edit_po(out, "Fixed today.", fuzzy=False)
    _ok(run_cli(*_args(article, out)))
    with sqlite3.connect(memory) as conn:
        rows = conn.execute("SELECT target FROM unit WHERE source = ? AND origin = 'human'",
                            (SENTENCES[1],)).fetchall()
    assert rows == [("Fixed today.",)]


# 7 -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("damage", ["deleted", "emptied", "half"])
def test_a_damaged_jsonl_relabels_nothing(tmp_path, article, damage):
    out = tmp_path / "out"
    _ok(run_cli(*_args(article, out)))
    jsonl = out / "en" / "a.jsonl"
    data = jsonl.read_bytes()
    if damage == "deleted":
        jsonl.unlink()
    else:
        jsonl.write_bytes(b"" if damage == "emptied" else data[: len(data) // 2])
    _ok(run_cli(*_args(article, out)))
    xliff = etree.parse(str(out / "en" / "a.xlf"))
    assert {s.get("state") for s in xliff.iterfind(".//x:segment", XLIFF)} == {"initial"}
    assert not any("a person's draft" in e.comment for e in polib.pofile(str(_po(out))))
    assert set(_statuses(out).values()) == {"machine"}


# 8 -------------------------------------------------------------------------------------------
def test_the_same_name_in_two_folders_gets_two_outputs(tmp_path):
    out = tmp_path / "out"
    for folder, text in (("politik", "Die Wahl ist vorbei."), ("sport", "Das Spiel ist aus.")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "index.txt").write_text(text + "\n", encoding="utf-8")
    _ok(run_cli(*_args("politik/index.txt", out), cwd=tmp_path))
    _edit_po(out, "The election is over.", fuzzy=False, source="Die Wahl ist vorbei.",
             slug="index")
    _ok(run_cli(*_args("sport/index.txt", out), cwd=tmp_path))
    assert _entry(out, "Die Wahl ist vorbei.", slug="index").msgstr == "The election is over."
    assert _entry(out, "Das Spiel ist aus.", slug="index-2").fuzzy
    _ok(run_cli(*_args("politik/index.txt", out), cwd=tmp_path))  # the name is remembered
    assert _entry(out, "Die Wahl ist vorbei.", slug="index").msgstr == "The election is over."
    assert not (out / "en" / "LC_MESSAGES" / "index-3.po").exists()


def test_a_translate_toolkit_round_trip_keeps_the_reviewers_entry(tmp_path, article):
    po2xliff, xliff2po = toolkit("po2xliff"), toolkit("xliff2po")
    out = tmp_path / "out"
    _ok(run_cli(*_args(article, out)))
    xlf, back = tmp_path / "rt.xlf", tmp_path / "rt.po"
    subprocess.run([po2xliff, str(_po(out)), str(xlf)], check=True, capture_output=True)
    subprocess.run([xliff2po, str(xlf), str(back)], check=True, capture_output=True)
    round_tripped = polib.pofile(str(back))
    assert not any(e.msgctxt for e in round_tripped), "the round trip drops msgctxt"
    [entry] = [e for e in round_tripped if e.msgid == SENTENCES[1]]
    entry.msgstr, entry.flags = "Round-tripped review.", []
    round_tripped.save(str(back))
    shutil.copyfile(back, _po(out))
    _ok(run_cli(*_args(article, out)))
    entry = _entry(out)
    assert (entry.msgstr, entry.fuzzy, entry.msgctxt) == ("Round-tripped review.", False,
                                                          entry.msgctxt)
    assert entry.msgctxt and not any(e.obsolete for e in polib.pofile(str(_po(out))))


def test_an_xliff_segment_without_id_keeps_its_final_target(tmp_path, article):
    out = tmp_path / "out"
    _ok(run_cli(*_args(article, out)))
    _edit_xliff(out, "Final, without an id.", "final", drop_id=True)
    _ok(run_cli(*_args(article, out)))
    assert _xliff_target(out) == ("Final, without an id.", "final")
    assert _statuses(out)[SENTENCES[1]] == "final"


def test_a_lost_store_turns_no_machine_text_into_a_persons(tmp_path, article):
    """The files say what is machine output (a PO note, the XLIFF subState), so losing
    review.sqlite and the JSONL records costs no label: machine stays machine, people's stay."""
    out = tmp_path / "out"
    _ok(run_cli(*_args(article, out)))
    _edit_po(out, "A draft.", fuzzy=True)
    _edit_po(out, "Signed off.", fuzzy=False, source=SENTENCES[2])
    _ok(run_cli(*_args(article, out)))
    for path in [out / "review.sqlite", *out.rglob("*.jsonl")]:
        path.unlink()
    _ok(run_cli(*_args(article, out)))
    statuses = _statuses(out)
    assert (statuses.pop(SENTENCES[1]), statuses.pop(SENTENCES[2])) == ("draft", "reviewed")
    assert set(statuses.values()) == {"machine"}
    assert (_entry(out).msgstr, _entry(out, SENTENCES[2]).msgstr) == ("A draft.", "Signed off.")
