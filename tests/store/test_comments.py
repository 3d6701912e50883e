"""A reviewer's comment is a person's work too: written in a PO file (translator comment),
an XLIFF file (comment note) or the workspace, it enters the store, reaches the other files
and survives what loses text: an old copy of a file, a changed sentence, a lost store."""

from __future__ import annotations

import shutil

import polib
from lxml import etree

from pipeline.formats.xliff import read_xliff
from pipeline.store.db import NAME, ReviewStore

from .child import run_cli
from .outputs import SENTENCES, XLIFF, edit_po, entry_of, ok, po_file, run_args, xliff_segment


def _comment_po(out, text, source=SENTENCES[1]):
    catalog = polib.pofile(str(po_file(out)))
    [entry] = [e for e in catalog if e.msgid == source and not e.obsolete]
    entry.tcomment = text
    catalog.save(str(po_file(out)))


def _xliff_comment(out, source=SENTENCES[1]):
    [entry] = [e for e in read_xliff(out / "en" / "a.xlf") if e.source == source]
    return entry.comment


def _stored(out):
    with ReviewStore.open(out / NAME) as review:
        number = review.article_id("a")
        return {kept.source: review.comments(number, "en").get(sid)
                for sid, kept in review.segments(number, "en").items()}


def _setup(tmp_path):
    article, out = tmp_path / "a.txt", tmp_path / "out"
    article.write_text(" ".join(SENTENCES) + "\n", encoding="utf-8")
    ok(run_cli(*run_args(article, out)))
    return article, out


def test_a_po_comment_reaches_the_xliff_and_the_store(tmp_path):
    article, out = _setup(tmp_path)
    _comment_po(out, "Ask the desk.")
    ok(run_cli(*run_args(article, out)))
    assert _stored(out)[SENTENCES[1]].text == "Ask the desk."
    assert _xliff_comment(out) == "Ask the desk."
    assert entry_of(out).tcomment == "Ask the desk."


def test_an_xliff_comment_reaches_the_po_and_the_store(tmp_path):
    article, out = _setup(tmp_path)
    path = out / "en" / "a.xlf"
    tree = etree.parse(str(path))
    segment = xliff_segment(tree)
    notes = segment.getparent().find("x:notes", XLIFF)
    note = etree.SubElement(notes, f"{{{XLIFF['x']}}}note", id=f"{segment.get('id')}.comment",
                            category="comment")
    note.text = "Written in an XLIFF editor."
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    ok(run_cli(*run_args(article, out)))
    assert entry_of(out).tcomment == "Written in an XLIFF editor."
    assert _stored(out)[SENTENCES[1]].where == "a.xlf"


def test_an_old_copy_of_the_po_file_does_not_bring_an_old_comment_back(tmp_path):
    article, out = _setup(tmp_path)
    _comment_po(out, "First thought.")
    ok(run_cli(*run_args(article, out)))
    old = tmp_path / "old.po"
    shutil.copyfile(po_file(out), old)  # an editor buffer holding this render
    _comment_po(out, "Second thought.")
    ok(run_cli(*run_args(article, out)))
    shutil.copyfile(old, po_file(out))  # … saved late, over the newer file
    edit_po(out, "A late fix.", fuzzy=False, source=SENTENCES[2])  # with a real edit in it
    ok(run_cli(*run_args(article, out)))
    assert entry_of(out, SENTENCES[2]).msgstr == "A late fix."
    assert _stored(out)[SENTENCES[1]].text == "Second thought."
    assert entry_of(out).tcomment == "Second thought."


def test_a_changed_sentence_keeps_its_comment(tmp_path):
    article, out = _setup(tmp_path)
    _comment_po(out, "Keep this.")
    ok(run_cli(*run_args(article, out)))
    po_file(out).unlink()  # the store alone must carry it now
    changed = SENTENCES[1].replace("nachgegeben", "endlich nachgegeben")
    article.write_text(" ".join([*SENTENCES[:1], changed, *SENTENCES[2:]]) + "\n",
                       encoding="utf-8")
    ok(run_cli(*run_args(article, out)))
    assert entry_of(out, changed).tcomment == "Keep this."
    assert _xliff_comment(out, changed) == "Keep this."


def test_a_lost_store_keeps_the_files_comments(tmp_path):
    article, out = _setup(tmp_path)
    _comment_po(out, "Survives.")
    (out / NAME).unlink()
    ok(run_cli(*run_args(article, out)))
    assert entry_of(out).tcomment == "Survives."
    assert _stored(out)[SENTENCES[1]].text == "Survives."


def test_a_note_a_cat_tool_adds_joins_the_comment_and_is_never_dropped(tmp_path):
    article, out = _setup(tmp_path)
    path = out / "en" / "a.xlf"
    tree = etree.parse(str(path))
    segment = xliff_segment(tree, SENTENCES[0])
    notes = segment.getparent().find("x:notes", XLIFF)
    etree.SubElement(notes, f"{{{XLIFF['x']}}}note").text = "Check with the desk."
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    ok(run_cli(*run_args(article, out)))
    assert _stored(out)[SENTENCES[0]].text == "Check with the desk."
    assert entry_of(out, SENTENCES[0]).tcomment == "Check with the desk."
    ok(run_cli(*run_args(article, out)))  # rendered as our comment note now: read once
    assert _xliff_comment(out, SENTENCES[0]) == "Check with the desk."
