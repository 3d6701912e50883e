"""What a reviewer needs beside the text: comments (kept in the store, exported as PO
translator comments and XLIFF notes), alternatives settled with one click, word diffs, and
*Add to glossary* with the checks and files of ``glossary add``."""

from __future__ import annotations

import shutil
import sqlite3

import polib
import pytest

from pipeline.formats.xliff import read_xliff
from pipeline.glossary.termbase import load_folder
from pipeline.workspace.diff import MAX_TOKENS, Change, Piece, word_diff

from ..conftest import ROOT
from ..helpers import msgfmt_check
from .helpers import client, history, segment


def _entry(out, sid, lang="en"):
    [entry] = [e for e in polib.pofile(str(out / lang / "LC_MESSAGES" / "sora.po"))
               if e.msgctxt == sid]
    return entry


def _xliff(out, sid, lang="en"):
    [entry] = [e for e in read_xliff(out / lang / "sora.xlf") if e.segment_id == sid]
    return entry


def _kinds(out, sid):
    return history(out, sid, "kind, target, author")


def test_a_comment_reaches_po_and_xliff_and_the_page(editable):
    sid, _, target = segment(editable)
    http = client(editable)
    text = "Check the figure\nagainst the press release."
    answer = http.post(f"/article/sora/en/{sid}/comment",
                       json={"text": text, "revision": 0, "author": "Rita"})
    assert answer.status_code == 200, answer.text
    assert _entry(editable, sid).tcomment == text
    assert _entry(editable, sid).msgstr == target  # the translation is untouched
    assert _xliff(editable, sid).comment == text
    assert msgfmt_check(editable / "en" / "LC_MESSAGES" / "sora.po").returncode == 0
    assert _kinds(editable, sid)[-1] == ("comment", text, "Rita")
    assert "against the press release." in http.get("/article/sora").text
    # cleared: gone from the files, not brought back from the old PO's comment
    revision = answer.json()["revision"]
    assert http.post(f"/article/sora/en/{sid}/comment",
                     json={"text": "", "revision": revision}).status_code == 200
    assert _entry(editable, sid).tcomment == ""
    assert _xliff(editable, sid).comment == ""


def test_a_comment_written_against_a_changed_one_is_refused_and_kept(editable):
    sid, _, _ = segment(editable)
    http = client(editable)
    first = http.post(f"/article/sora/en/{sid}/comment", json={"text": "One.", "revision": 0})
    late = http.post(f"/article/sora/en/{sid}/comment", json={"text": "Two.", "revision": 0})
    assert (first.status_code, late.status_code) == (200, 409)
    assert late.json()["target"] == "One."
    assert [(k, t) for k, t, _ in _kinds(editable, sid)][-2:] == [
        ("comment", "One."), ("comment-aside", "Two.")]
    assert _entry(editable, sid).tcomment == "One."


def test_a_comment_edited_in_the_po_file_enters_the_store(editable):
    sid, revision, _ = segment(editable)
    po_path = editable / "en" / "LC_MESSAGES" / "sora.po"
    catalog = polib.pofile(str(po_path), wrapwidth=0)
    [entry] = [e for e in catalog if e.msgctxt == sid]
    entry.tcomment = "Written in Poedit."
    catalog.save(str(po_path))
    page = client(editable).get("/article/sora").text  # the page reads the store …
    assert "Written in Poedit." not in page
    http = client(editable)  # … which a save (any harvest) brings the file's comment into
    other, other_revision, _ = segment(editable, index=2)
    assert http.post(f"/article/sora/en/{other}", json={
        "text": "Another sentence.", "action": "draft", "revision": other_revision}
    ).status_code == 200
    assert _kinds(editable, sid)[-1][:2] == ("comment", "Written in Poedit.")
    assert "Written in Poedit." in http.get("/article/sora").text
    assert _xliff(editable, sid).comment == "Written in Poedit."
    assert segment(editable)[1] == revision  # a comment is no change of the translation


def test_take_or_dismiss_an_alternative(editable):
    sid, revision, _ = segment(editable)
    http = client(editable)
    assert http.post(f"/article/sora/en/{sid}", json={
        "text": "First.", "action": "draft", "revision": revision}).status_code == 200
    assert http.post(f"/article/sora/en/{sid}", json={
        "text": "Late.", "action": "approve", "revision": revision}).status_code == 409
    with sqlite3.connect(editable / "review.sqlite") as conn:
        [(seq,)] = conn.execute("SELECT seq FROM alternative WHERE sid = ? AND resolved IS "
                                "NULL", (sid,)).fetchall()
    assert "also edited in workspace" in _entry(editable, sid).comment
    assert http.post(f"/article/sora/en/{sid}/dismiss",
                     json={"seq": seq, "author": "Rita"}).status_code == 200
    assert "also edited in" not in _entry(editable, sid).comment
    assert _kinds(editable, sid)[-1] == ("dismissed", "Late.", "Rita")
    assert _entry(editable, sid).msgstr == "First."  # dismissing takes nothing
    again = http.post(f"/article/sora/en/{sid}/dismiss", json={"seq": seq})
    assert again.status_code == 404 and "no open alternative" in again.json()["error"]


@pytest.mark.parametrize(("body", "code"), [
    ({"seq": "x"}, 400), ({}, 400), ({"seq": 10**30}, 404), ({"seq": 1}, 404),
])
def test_bad_dismissals(editable, body, code):
    sid, _, _ = segment(editable)
    answer = client(editable).post(f"/article/sora/en/{sid}/dismiss", json=body)
    assert answer.status_code == code and answer.json()["error"]


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("Der Hund bellt.", "Der Hund bellt.", [("Der Hund bellt.", "same")]),
    ("Der Hund bellt.", "Der Hund schläft.",
     [("Der Hund ", "same"), ("bellt", "removed"), ("schläft", "added"), (".", "same")]),
    ("Ein Satz", "Ein Satz, länger", [("Ein Satz", "same"), (", länger", "added")]),
    ("", "Neu", [("Neu", "added")]),
    ("3,5 Mio.", "3,6 Mio.", [("3,", "same"), ("5", "removed"), ("6", "added"),
                              (" Mio.", "same")]),
])
def test_word_diff(old, new, expected):
    pieces = word_diff(old, new)
    assert [(p.text, p.change.value) for p in pieces] == expected
    assert "".join(p.text for p in pieces if p.change is not Change.ADDED) == old
    assert "".join(p.text for p in pieces if p.change is not Change.REMOVED) == new


def test_a_word_diff_of_a_wall_of_text_is_bounded():
    wall = "Wort " * (MAX_TOKENS + 1)
    assert word_diff(wall, wall + "!") == (Piece(wall, Change.REMOVED),
                                           Piece(wall + "!", Change.ADDED))


@pytest.fixture
def glossary(tmp_path):
    folder = tmp_path / "glossary"
    shutil.copytree(ROOT / "glossary", folder)
    return folder


def test_add_to_glossary_writes_the_term_base_as_glossary_add_does(editable, glossary):
    http = client(editable, glossary=glossary)
    assert "Add to glossary" in http.get("/article/sora").text
    answer = http.post("/glossary", json={
        "id": "wettermodell", "de": "Wettermodell", "domain": "ai",
        "targets": {"en": "weather model", "fr": "modèle météo",
                    "es": "modelo meteorológico"}, "note": "from the workspace"})
    assert answer.status_code == 200, answer.text
    [added] = [c for c in load_folder(glossary) if c.id == "wettermodell"]
    assert (added.de, added.targets["fr"], added.domain, added.note) == (
        "Wettermodell", "modèle météo", "ai", "from the workspace")
    again = http.post("/glossary", json={"id": "wettermodell", "de": "Wettermodell",
                                         "domain": "ai", "targets": {"en": "x"}})
    assert again.status_code == 400 and "already at" in again.json()["error"]


@pytest.mark.parametrize(("body", "message"), [
    ({"id": "neu", "de": "Neu", "targets": {"en": "new", "fr": "nouveau", "es": "nuevo"}},
     "domain is required"),
    ({"id": "neu", "de": "Neu\tTab", "domain": "ai",
      "targets": {"en": "new", "fr": "nouveau", "es": "nuevo"}}, ""),
    ({"id": "neu", "de": "Neu", "domain": "ai", "targets": ["en"]}, "targets"),
    ({"id": "neu", "domain": "ai", "targets": {}}, "'de'"),
])
def test_add_to_glossary_refuses_what_glossary_add_refuses(editable, glossary, body, message):
    before = {p.name: p.read_bytes() for p in glossary.glob("*.tsv")}
    answer = client(editable, glossary=glossary).post("/glossary", json=body)
    assert answer.status_code == 400 and message in answer.json()["error"]
    assert {p.name: p.read_bytes() for p in glossary.glob("*.tsv")} == before


def test_without_a_glossary_there_is_no_add(editable):
    http = client(editable)
    assert "Add to glossary" not in http.get("/article/sora").text
    assert http.post("/glossary", json={"id": "x"}).status_code == 404


def test_machine_text_is_marked_for_the_next_run_once_the_english_is_reviewed(editable):
    sid, revision, _ = segment(editable)
    other, _, _ = segment(editable, index=2)
    http = client(editable)
    from lxml import html as lhtml

    def marked(page: str, which: str) -> bool:
        return bool(lhtml.fromstring(page).xpath(
            f"//section[@data-segment='{which}']/form[@data-lang='fr']"
            "/p[@class='pivot-due']"))

    assert not marked(http.get("/article/sora").text, sid)
    assert http.post(f"/article/sora/en/{sid}", json={
        "text": "Reviewed English.", "action": "approve", "revision": revision}
    ).status_code == 200
    for page in (http.get("/article/sora").text, http.get("/article/sora?lang=fr").text):
        assert marked(page, sid) and not marked(page, other)
