"""Reading and editing a run's outputs as a reviewer's tools do (polib, lxml), for the
store's CLI tests."""

from __future__ import annotations

import sqlite3
import subprocess

import polib
from lxml import etree

XLIFF = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
SENTENCES = ["Der Streik ist vorbei.", "Die Studios haben nachgegeben.",
             "Die Autoren feiern.", "Morgen wird wieder gedreht."]


def run_args(article, out, *more):
    return ["run", article, "--to", "en", "--engine", "pseudo", "--out", out, "--no-glossary",
            "--quiet", *more]


def ok(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, result.stderr
    return result


def po_file(out, slug="a"):
    return out / "en" / "LC_MESSAGES" / f"{slug}.po"


def entry_of(out, source=SENTENCES[1], slug="a"):
    [entry] = [e for e in polib.pofile(str(po_file(out, slug)))
               if e.msgid == source and not e.obsolete]
    return entry


def edit_po(out, text, *, fuzzy, source=SENTENCES[1], slug="a"):
    catalog = polib.pofile(str(po_file(out, slug)))
    [entry] = [e for e in catalog if e.msgid == source and not e.obsolete]
    entry.msgstr = text
    entry.flags = ["fuzzy"] if fuzzy else []
    catalog.save(str(po_file(out, slug)))


def xliff_segment(tree, source=SENTENCES[1]):
    for segment in tree.iterfind(".//x:segment", XLIFF):
        if "".join(segment.find("x:source", XLIFF).itertext()) == source:
            return segment
    raise AssertionError(source)


def edit_xliff(out, text, state, *, drop_id=False, slug="a"):
    path = out / "en" / f"{slug}.xlf"
    tree = etree.parse(str(path))
    segment = xliff_segment(tree)
    segment.set("state", state)
    segment.find("x:target", XLIFF).text = text
    if drop_id:
        del segment.attrib["id"]
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")


def xliff_target(out, slug="a"):
    segment = xliff_segment(etree.parse(str(out / "en" / f"{slug}.xlf")))
    return segment.find("x:target", XLIFF).text, segment.get("state")


def store_statuses(out):
    with sqlite3.connect(out / "review.sqlite") as conn:
        return dict(conn.execute("SELECT source, status FROM segment WHERE position IS NOT NULL"))


