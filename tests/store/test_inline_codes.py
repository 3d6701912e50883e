"""A reviewer's edit inside an inline code of the 2.1 file (the words of a ``<pc>``) is taken
by the next run as that target with the markup intact, reaches the PO and the store, and is
taken once; a file nobody touched has nothing to harvest, though its codes are elements."""

from __future__ import annotations

import sqlite3

import polib
from lxml import etree

from pipeline.formats.xliff import read_xliff

from ..formats.test_xliff import assert_valid
from .child import run_cli
from .outputs import XLIFF, ok, run_args, store_statuses

PAGE = ('<html><body><p>Die Studios haben <a href="https://e.de/x?a=1&amp;b=2">schnell '
        "nachgegeben</a>. Der Streik ist <b>vorbei</b>.</p></body></html>\n")
SOURCE = 'Die Studios haben <a href="https://e.de/x?a=1&amp;b=2">schnell nachgegeben</a>.'


def _setup(tmp_path):
    article, out = tmp_path / "a.html", tmp_path / "out"
    article.write_text(PAGE, encoding="utf-8")
    ok(run_cli(*run_args(article, out)))
    return article, out


def _po_entry(out):
    [entry] = [e for e in polib.pofile(str(out / "en" / "LC_MESSAGES" / "a.po"))
               if e.msgid == SOURCE]
    return entry


def _history(out):
    with sqlite3.connect(out / "review.sqlite") as conn:
        return conn.execute("SELECT kind, target, status FROM history WHERE kind = 'edit'"
                            ).fetchall()


def test_an_edit_inside_a_pc_is_harvested_with_its_markup(tmp_path):
    article, out = _setup(tmp_path)
    path = out / "en" / "a.xlf"
    assert_valid(path.read_bytes())
    tree = etree.parse(str(path))
    [segment] = [s for s in tree.iterfind(".//x:segment", XLIFF)
                 if s.find("x:source/x:pc", XLIFF) is not None and "Studios" in
                 "".join(s.find("x:source", XLIFF).itertext())]
    target = segment.find("x:target", XLIFF)
    target.text = "The studios "
    target.find("x:pc", XLIFF).text = "gave in quickly"
    target.find("x:pc", XLIFF).tail = "."
    segment.set("state", "final")
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    edited = 'The studios <a href="https://e.de/x?a=1&amp;b=2">gave in quickly</a>.'
    assert next(e.target for e in read_xliff(path) if e.segment_id == segment.get("id")) \
        == edited

    ok(run_cli(*run_args(article, out)))
    entry = _po_entry(out)
    assert (entry.msgstr, "fuzzy" in entry.flags) == (edited, False)
    assert store_statuses(out)[SOURCE] == "final"
    assert _history(out) == [("edit", edited, "final")]
    root = assert_valid(path.read_bytes())  # rendered again, the edit in its codes
    pc = root.find(f".//x:segment[@id='{segment.get('id')}']/x:target/x:pc", XLIFF)
    assert pc.text == "gave in quickly"
    ok(run_cli(*run_args(article, out)))
    assert len(_history(out)) == 1  # taken once


def test_an_untouched_file_with_codes_has_nothing_to_harvest(tmp_path):
    article, out = _setup(tmp_path)
    before = (out / "en" / "a.xlf").read_bytes()
    assert b"<pc " in before and b"<originalData>" in before
    ok(run_cli(*run_args(article, out)))
    assert _history(out) == []
    assert set(store_statuses(out).values()) == {"machine"}
