"""Ways an adversarial trial of the first review store lost a person's work or passed machine
text off as a person's; each is a CLI test here."""

from __future__ import annotations

import shutil
import sqlite3

import polib
import pytest

from .child import Child, run_cli
from .outputs import (
    SENTENCES,
    edit_po,
    entry_of,
    ok,
    po_file,
    run_args,
    store_statuses,
    xliff_target,
)


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(" ".join(SENTENCES) + "\n", encoding="utf-8")
    return path


def test_an_old_editor_buffer_saved_later_keeps_a_newer_sign_off(tmp_path, article):
    """B opens the PO; A signs off sentence 1 and a run takes it in; B saves a fix of
    sentence 4 from the old buffer: sentence 1 stays A's (B never touched it)."""
    out = tmp_path / "out"
    ok(run_cli(*run_args(article, out)))
    buffer = po_file(out).read_bytes()
    edit_po(out, "A's sign-off.", fuzzy=False, source=SENTENCES[0])
    ok(run_cli(*run_args(article, out)))
    po_file(out).write_bytes(buffer)
    edit_po(out, "B's fix.", fuzzy=False, source=SENTENCES[3])
    ok(run_cli(*run_args(article, out)))
    assert entry_of(out, SENTENCES[0]).msgstr == "A's sign-off."
    assert entry_of(out, SENTENCES[3]).msgstr == "B's fix."
    statuses = store_statuses(out)
    assert (statuses[SENTENCES[0]], statuses[SENTENCES[3]]) == ("reviewed", "reviewed")
    assert {statuses[SENTENCES[1]], statuses[SENTENCES[2]]} == {"machine"}


def test_an_old_copy_restored_many_runs_later_passes_no_machine_text_off(tmp_path, article):
    out = tmp_path / "out"
    ok(run_cli(*run_args(article, out)))
    old = po_file(out).read_bytes()
    edit_po(out, "Signed off in the XLIFF's stead.", fuzzy=False, source=SENTENCES[0])
    for _ in range(10):  # more runs than renders are remembered per file
        ok(run_cli(*run_args(article, out)))
    po_file(out).write_bytes(old)
    ok(run_cli(*run_args(article, out)))
    assert entry_of(out, SENTENCES[0]).msgstr == "Signed off in the XLIFF's stead."
    assert store_statuses(out)[SENTENCES[0]] == "reviewed"


def test_signing_off_one_of_two_identical_sentences_signs_off_only_that_one(tmp_path):
    article, out = tmp_path / "a.txt", tmp_path / "out"
    article.write_text("Das Gesetz kommt. Das Gesetz kommt.\n", encoding="utf-8")
    ok(run_cli(*run_args(article, out)))
    catalog = polib.pofile(str(po_file(out)))
    catalog[0].msgstr, catalog[0].flags = "The law is coming.", []
    catalog.save(str(po_file(out)))
    ok(run_cli(*run_args(article, out)))
    with sqlite3.connect(out / "review.sqlite") as conn:
        statuses = [s for (s,) in conn.execute("SELECT status FROM segment ORDER BY position")]
    assert statuses == ["reviewed", "from-memory"]  # the twin's copy says where it came from


@pytest.mark.parametrize("tweets", ["keep", "translate"])
def test_a_lost_store_without_records_keeps_tweets_and_memory_copies_as_such(tmp_path,
                                                                          tweets):
    article, out = tmp_path / "tw.txt", tmp_path / "out"
    article.write_text("Die Regierung hat neue Regeln beschlossen.\n\n"
                       "Ein Tweet über die Regeln.\n- Jane Doe (@jane) 22. März 2024\n",
                       encoding="utf-8")
    ok(run_cli(*run_args(article, out, "--tweets", tweets)))
    before = store_statuses(out)
    for path in [out / "review.sqlite", *out.rglob("*.jsonl")]:
        path.unlink()
    ok(run_cli(*run_args(article, out, "--tweets", tweets)))
    assert store_statuses(out) == before
    assert not {"draft", "reviewed"} & set(before.values())


def test_a_persons_text_for_a_sentence_that_left_outlives_the_po_file(tmp_path, article):
    out = tmp_path / "out"
    ok(run_cli(*run_args(article, out)))
    edit_po(out, "A person's draft.", fuzzy=True, source=SENTENCES[3])
    article.write_text(" ".join(SENTENCES[:3]) + " Ganz andere Nachrichten heute.\n",
                       encoding="utf-8")
    ok(run_cli(*run_args(article, out)))
    po_file(out).unlink()  # or msgattrib --no-obsolete: the #~ entries are gone
    ok(run_cli(*run_args(article, out)))
    [kept] = [e for e in polib.pofile(str(po_file(out))) if e.obsolete]
    assert (kept.msgid, kept.msgstr, kept.fuzzy) == (SENTENCES[3], "A person's draft.", True)
    catalog = polib.pofile(str(po_file(out)))  # a person edits the obsolete entry
    [entry] = [e for e in catalog if e.obsolete]
    entry.msgstr = "Edited while obsolete."
    catalog.save(str(po_file(out)))
    ok(run_cli(*run_args(article, out)))
    article.write_text(" ".join(SENTENCES) + "\n", encoding="utf-8")  # the sentence is back
    ok(run_cli(*run_args(article, out)))
    assert (entry_of(out, SENTENCES[3]).msgstr, entry_of(out, SENTENCES[3]).fuzzy) == (
        "Edited while obsolete.", True)


def test_a_sign_off_during_a_markup_change_stays_a_draft_to_check(tmp_path):
    article, out = tmp_path / "m.md", tmp_path / "out"
    article.write_text("Der Kanzler sprach von einem wichtigen Schritt.\n", encoding="utf-8")
    ok(run_cli(*run_args(article, out)))
    linked = "Der Kanzler sprach von einem [wichtigen Schritt](https://example.com/x)."
    article.write_text(linked + "\n", encoding="utf-8")
    child = Child(*run_args(article, out), scratch=tmp_path, out=out, resume=True,
                  STOP_TRANSLATE="1")
    try:
        assert child.stopped() == "translate"
        edit_po(out, "The chancellor spoke of an important step.", fuzzy=False,
                source="Der Kanzler sprach von einem wichtigen Schritt.", slug="m")
        child.resume()
        assert child.finish().returncode == 0
    finally:
        child.close()
    entry = entry_of(out, linked, slug="m")
    assert (entry.msgstr, entry.fuzzy, entry.previous_msgid) == (
        "The chancellor spoke of an important step.", True,
        "Der Kanzler sprach von einem wichtigen Schritt.")
    assert not [e for e in polib.pofile(str(po_file(out, "m"))) if e.obsolete]


def test_a_kill_before_the_memory_write_never_brings_an_old_fix_back(tmp_path):
    same = "Die Studios haben nachgegeben."
    a, b, out = tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "out"
    for path in (a, b):
        path.write_text(same + "\n", encoding="utf-8")
    ok(run_cli(*run_args(a, out)))
    ok(run_cli(*run_args(b, out)))
    edit_po(out, "Old fix.", fuzzy=False, source=same, slug="a")
    child = Child(*run_args(a, out), scratch=tmp_path, out=out, STOP_REPLACE="5")
    try:  # after the commit and the files, before the memory write
        child.stopped()
        child.kill()
    finally:
        child.close()
    edit_po(out, "Newer fix.", fuzzy=False, source=same, slug="b")
    ok(run_cli(*run_args(b, out)))
    ok(run_cli(*run_args(a, out)))
    with sqlite3.connect(out / "memory.sqlite") as conn:
        assert conn.execute("SELECT target FROM unit WHERE origin = 'human'").fetchall() == [
            ("Newer fix.",)]


def test_moving_the_whole_tree_keeps_every_name_and_every_edit(tmp_path):
    tree = tmp_path / "checkout"
    (tree / "articles").mkdir(parents=True)
    (tree / "articles" / "a.txt").write_text(" ".join(SENTENCES) + "\n", encoding="utf-8")
    ok(run_cli(*run_args("articles/a.txt", "locales"), cwd=tree))
    edit_po(tree / "locales", "Kept across the move.", fuzzy=False)
    moved = tmp_path / "elsewhere"
    shutil.move(tree, moved)
    ok(run_cli(*run_args("articles/a.txt", "locales"), cwd=moved))
    assert entry_of(moved / "locales").msgstr == "Kept across the move."
    assert not (moved / "locales" / "en" / "LC_MESSAGES" / "a-2.po").exists()


def test_a_po_saved_with_a_byte_order_mark_is_read(tmp_path, article):
    out = tmp_path / "out"
    ok(run_cli(*run_args(article, out)))
    edit_po(out, "With a BOM.", fuzzy=False)
    po_file(out).write_bytes(b"\xef\xbb\xbf" + po_file(out).read_bytes())
    ok(run_cli(*run_args(article, out)))
    assert entry_of(out).msgstr == "With a BOM."


def test_two_articles_with_one_name_in_a_first_run(tmp_path):
    for folder in ("politik", "sport"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "index.txt").write_text(f"{SENTENCES[0]} ({folder})\n",
                                                     encoding="utf-8")
    ok(run_cli(*run_args("politik/index.txt", "out"), "sport/index.txt", cwd=tmp_path))
    assert {p.name for p in (tmp_path / "out" / "en" / "LC_MESSAGES").iterdir()} == {
        "index.po", "index-2.po"}
    ok(run_cli(*run_args("sport/index.txt", "out"), cwd=tmp_path))  # names are remembered
    assert "(sport)" in entry_of(tmp_path / "out", f"{SENTENCES[0]} (sport)", slug="index-2").msgid


def test_a_run_for_fewer_languages_keeps_the_others_on_the_review_page(tmp_path, article):
    out = tmp_path / "out"
    ok(run_cli("run", article, "--to", "en,fr", "--engine", "pseudo", "--out", out,
               "--no-glossary", "--quiet"))
    ok(run_cli(*run_args(article, out)))  # English only
    page = (out / "review" / "a.html").read_text(encoding="utf-8")
    assert "⟦fr:" in page and "⟦en:" in page
    assert xliff_target(out)[0].startswith("⟦en:")


# a second trial, after the fixes above ------------------------------------------------------
def test_going_back_and_forth_between_two_texts_keeps_the_last(tmp_path, article):
    out = tmp_path / "out"
    ok(run_cli(*run_args(article, out)))
    for text in ("Text A.", "Text B.", "Text A.", "Text B."):
        edit_po(out, text, fuzzy=False)
        ok(run_cli(*run_args(article, out)))
        assert entry_of(out).msgstr == text
    for fuzzy in (False, True, False, True):  # the sign-off alone, on and off
        edit_po(out, entry_of(out).msgstr, fuzzy=fuzzy)
        ok(run_cli(*run_args(article, out)))
        assert store_statuses(out)[SENTENCES[1]] == ("draft" if fuzzy else "reviewed")


@pytest.mark.parametrize("back_to", ["machine", "first fix"])
def test_going_back_during_a_run_to_what_the_file_showed_is_kept(tmp_path, article, back_to):
    out = tmp_path / "out"
    ok(run_cli(*run_args(article, out)))
    machine = entry_of(out).msgstr
    edit_po(out, "First fix.", fuzzy=False)
    ok(run_cli(*run_args(article, out)))
    edit_po(out, "Second fix.", fuzzy=False)
    child = Child(*run_args(article, out), scratch=tmp_path, out=out, resume=True,
                  STOP_TRANSLATE="1")
    try:  # the run has read "Second fix."; the person goes back
        assert child.stopped() == "translate"
        if back_to == "machine":
            edit_po(out, machine, fuzzy=True)
        else:
            edit_po(out, "First fix.", fuzzy=False)
        child.resume()
        assert child.finish().returncode == 0
    finally:
        child.close()
    entry = entry_of(out)
    assert (entry.msgstr, entry.fuzzy) == ((machine, True) if back_to == "machine"
                                           else ("First fix.", False))


def test_an_old_buffer_saved_many_unchanged_runs_later_keeps_the_newer_sign_off(tmp_path,
                                                                               article):
    out = tmp_path / "out"
    ok(run_cli(*run_args(article, out)))
    edit_po(out, "A first sign-off.", fuzzy=False, source=SENTENCES[0])
    ok(run_cli(*run_args(article, out)))
    buffer = po_file(out).read_bytes()  # B opens the file now
    edit_po(out, "A better sign-off.", fuzzy=False, source=SENTENCES[0])
    for _ in range(6):  # more unchanged reruns than renders are remembered
        ok(run_cli(*run_args(article, out)))
    po_file(out).write_bytes(buffer)
    edit_po(out, "B's fix.", fuzzy=False, source=SENTENCES[3])
    ok(run_cli(*run_args(article, out)))
    assert entry_of(out, SENTENCES[0]).msgstr == "A better sign-off."
    assert entry_of(out, SENTENCES[3]).msgstr == "B's fix."


def test_another_articles_po_copied_in_passes_no_machine_text_off(tmp_path, article):
    other, out = tmp_path / "b.txt", tmp_path / "out"
    other.write_text("Das Wetter ist schön. Der Zug hat Verspätung.\n", encoding="utf-8")
    ok(run_cli(*run_args(article, out)))
    ok(run_cli(*run_args(other, out)))
    shutil.copyfile(po_file(out, "b"), po_file(out, "a"))
    ok(run_cli(*run_args(article, out)))
    with sqlite3.connect(out / "review.sqlite") as conn:
        people = conn.execute("SELECT count(*) FROM segment WHERE status IN "
                              "('draft', 'reviewed', 'final')").fetchone()
    assert people == (0,)
    assert not [e for e in polib.pofile(str(po_file(out))) if e.obsolete]


def test_a_retyped_msgid_does_not_change_the_sentence(tmp_path, article):
    """A tool that re-normalises the msgid (NFD, white space) and a sign-off in one save:
    the sign-off counts for the article's sentence, and stays a sign-off."""
    import unicodedata

    out = tmp_path / "out"
    ok(run_cli(*run_args(article, out)))
    catalog = polib.pofile(str(po_file(out)))
    [entry] = [e for e in catalog if e.msgid == SENTENCES[1]]
    entry.msgid = unicodedata.normalize("NFD", SENTENCES[1]) + " "
    entry.msgstr, entry.flags = "The studios gave in.", []
    catalog.save(str(po_file(out)))
    for _ in range(2):
        ok(run_cli(*run_args(article, out)))
        assert store_statuses(out)[SENTENCES[1]] == "reviewed"
        assert [e.msgid for e in polib.pofile(str(po_file(out)))].count(SENTENCES[1]) == 1
        assert not [e for e in polib.pofile(str(po_file(out))) if e.obsolete]
