"""PO catalogs: headers, entries, msgfmt -c, and reviewed work surviving a rewrite."""

from __future__ import annotations

import dataclasses

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.formats import po
from pipeline.model.document import BlockKind, Segment, Translation
from pipeline.model.errors import InputError

from ..helpers import msgfmt_check, translated


def test_catalog_entries_and_header(tmp_path):
    document, translations = translated()
    catalog = po.build_catalog(document, translations, "en")
    assert catalog.metadata["Language"] == "en"
    assert catalog.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert [e.msgctxt for e in catalog] == [t.segment.id for t in translations]
    assert all("fuzzy" in e.flags for e in catalog)
    tweet = [e for e in catalog if "tweet by Jane Doe (@jane)" in e.comment]
    assert len(tweet) == sum(t.segment.kind.value == "tweet" for t in translations) == 1
    path = tmp_path / "a.po"
    po.write_catalog(path, catalog)
    result = msgfmt_check(path)
    assert result.returncode == 0, result.stderr


def _review(catalog, index, text):
    entry = [e for e in catalog if not e.obsolete][index]
    entry.msgstr = text
    entry.flags.remove("fuzzy")
    entry.tcomment = "checked by Anna"
    return entry


def test_reviewed_entry_and_comment_survive(tmp_path):
    document, translations = translated()
    path = tmp_path / "a.po"
    po.write_catalog(path, po.build_catalog(document, translations, "en"))
    catalog = po.read_catalog(path)
    entry = _review(catalog, 1, "The directors want AI.")
    catalog.save(str(path))
    reviewed = po.reviewed_entries(po.read_catalog(path))
    assert reviewed[entry.msgctxt].msgstr == "The directors want AI."
    rebuilt = po.build_catalog(document, translations, "en", po.read_catalog(path))
    assert [e.tcomment for e in rebuilt if e.msgctxt == entry.msgctxt] == ["checked by Anna"]


def test_reviewed_entry_of_removed_sentence_becomes_obsolete(tmp_path):
    document, translations = translated()
    path = tmp_path / "a.po"
    po.write_catalog(path, po.build_catalog(document, translations, "en"))
    catalog = po.read_catalog(path)
    entry = _review(catalog, 1, "The directors want AI.")
    rebuilt = po.build_catalog(document, translations[2:], "en", catalog)
    obsolete = [e for e in rebuilt if e.obsolete]
    assert [(e.msgctxt, e.msgstr) for e in obsolete] == [(entry.msgctxt, "The directors want AI.")]
    po.write_catalog(path, rebuilt)
    assert po.reviewed_entries(po.read_catalog(path))[entry.msgctxt].obsolete
    assert msgfmt_check(path).returncode == 0


def test_revision_date_changes_only_with_content(tmp_path, monkeypatch):
    document, translations = translated()
    first = po.build_catalog(document, translations, "en")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    same = po.build_catalog(document, translations, "en", first)
    assert same.metadata["PO-Revision-Date"] == first.metadata["PO-Revision-Date"]
    changed = po.build_catalog(document, translations[1:], "en", first)
    assert changed.metadata["PO-Revision-Date"] != first.metadata["PO-Revision-Date"]
    assert changed.metadata["POT-Creation-Date"] == first.metadata["POT-Creation-Date"]


def test_broken_po_names_file_and_line(tmp_path):
    path = tmp_path / "bad.po"
    path.write_text('msgid ""\nmsgstr ""\n\nmsgid "a"\nmsgstr "b\n', encoding="utf-8")
    with pytest.raises(InputError, match="PO syntax error") as info:
        po.read_catalog(path)
    assert f"{path}:5:" in str(info.value)


_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(
    ['"', "\\", "\t", "\n"]), min_size=1, max_size=60)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(source=_TEXT, target=_TEXT)
def test_po_round_trips_any_text(tmp_path, source, target):
    document, translations = translated()
    segment = dataclasses.replace(translations[0].segment, text=source, kind=BlockKind.PARAGRAPH)
    assert isinstance(segment, Segment)
    catalog = po.build_catalog(document, [Translation(segment, "en", target)], "en")
    path = tmp_path / "rt.po"
    po.write_catalog(path, catalog)
    entry = [e for e in polib.pofile(str(path)) if e.msgctxt == segment.id][0]
    assert (entry.msgid, entry.msgstr) == (source, target)


def test_translate_toolkit_reads_our_po(tmp_path):
    """Interop: an independent PO reader sees the same units, contexts and fuzzy flags."""
    from translate.storage.pypo import pofile

    document, translations = translated()
    path = tmp_path / "a.po"
    po.write_catalog(path, po.build_catalog(document, translations, "en"))
    store = pofile.parsefile(str(path))
    units = [u for u in store.units if not u.isheader()]
    assert [(u.getcontext(), u.source, u.target) for u in units] == [
        (t.segment.id, t.segment.text, t.target) for t in translations]
    assert all(u.isfuzzy() for u in units)
