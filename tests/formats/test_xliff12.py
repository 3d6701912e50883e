"""XLIFF 1.2: every file we write is valid against the OASIS 1.2 strict schema, says each
status after the one table, comes back unchanged through the reader, and translate-toolkit
(which reads only 1.2) turns it into the same PO entries as ours."""

from __future__ import annotations

import functools
import subprocess
from pathlib import Path

import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from pipeline.formats import po
from pipeline.formats.xliff12 import (
    CHAR_CTYPE,
    XLIFF12_NS,
    read_xliff12_file,
    render_xliff12,
)
from pipeline.formats.xliff_markup import GlossTerm, Match
from pipeline.ingest.article import parse_article
from pipeline.ingest.segment import segment_document
from pipeline.model.annotations import Repair, RepairKind, Reuse
from pipeline.model.document import BlockKind, Translation
from pipeline.model.errors import InputError
from pipeline.model.status import (
    FORMS,
    Status,
    as_written12,
    from_xliff12,
    from_xliff12_mark,
)

from ..conftest import ROOT
from ..helpers import toolkit
from .test_xliff import ARTICLE, make_document

SCHEMA = ROOT / "schemas" / "xliff-1.2" / "xliff-core-1.2-strict.xsd"
NS = {"x": XLIFF12_NS}
#: Control characters, markup that closes our own elements, CDATA and comment ends, bidi
#: overrides, quotes and script: every one must stay text (see tests/workspace/conftest.py).
HOSTILE = ('Ein <script>alert("x")</script> Satz mit </target></trans-unit> und "Anführung". '
           "Ein \u202eumgedreht\u202c Satz mit \x01 und \x0b. ]]> --> <!-- & &amp; Ende.\n\n"
           "Zweiter Absatz \x7f mit \ufffe <img src=x onerror=alert(1)>.\n")
ALL = [Status.MACHINE, Status.DRAFT, Status.REVIEWED, Status.FINAL, Status.VERBATIM,
       Status.FROM_MEMORY]


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@functools.cache
def schema() -> etree.XMLSchema:
    """The OASIS strict schema (xml.xsd beside it: nothing is fetched)."""
    return etree.XMLSchema(etree.parse(str(SCHEMA), _parser()))


def assert_valid(data: bytes) -> etree._Element:
    root = etree.fromstring(data, _parser())
    assert schema().validate(root), schema().error_log
    ids = [u.get("id") for u in root.iterfind(".//x:trans-unit", NS)]
    assert len(ids) == len(set(ids))
    return root


def _every_status(text: str = ARTICLE, name: str = "ki-artikel.md"
                  ) -> tuple[object, list[Translation]]:
    """The article segmented for real, its segments taking every status in turn."""
    document = parse_article(text, path=Path(name), fmt="text")
    translations = []
    for number, segment in enumerate(segment_document(document)):
        status = ALL[number % len(ALL)]
        reuse = {Status.VERBATIM: Reuse.TWEET_KEPT, Status.FROM_MEMORY: Reuse.MEMORY}.get(status)
        repairs = (Repair(RepairKind.DROPPED, "number", "22"),) if number == 2 else ()
        translations.append(Translation(segment, "en", f"EN: {segment.text}", status,
                                        reuse, repairs=repairs))
    return document, translations


@pytest.fixture(scope="module")
def article():
    return _every_status()


# -- the status table ------------------------------------------------------------------------


def test_each_status_has_its_own_state_qualifier_and_approval():
    """Written and read back through the one table: nothing is ambiguous, and approval is
    exactly the PO's "not fuzzy"."""
    rows = {(f.xliff12_state, f.xliff12_qualifier, f.approved) for f in FORMS.values()}
    assert len(rows) == len(FORMS)
    for status, form in FORMS.items():
        assert as_written12(form.xliff12_state, form.xliff12_qualifier, form.approved) is status
        assert form.approved is not form.fuzzy
    assert FORMS[Status.MACHINE].xliff12_qualifier == "mt-suggestion"


@pytest.mark.parametrize(("state", "approved", "status"), [
    ("final", False, Status.FINAL), ("final", True, Status.FINAL),
    ("signed-off", False, Status.REVIEWED), ("translated", True, Status.REVIEWED),
    ("needs-review-translation", True, Status.REVIEWED),
    ("translated", False, None), ("needs-review-translation", False, None), ("new", False, None),
])
def test_a_sign_off_is_a_state_or_the_approval_translate_toolkit_sets(state, approved, status):
    assert from_xliff12(state, approved) is status
    assert from_xliff12_mark(f"{state} approved" if approved else state) is status


# -- writing ---------------------------------------------------------------------------------


def test_structure_mirrors_the_article(article):
    document, translations = article
    root = assert_valid(render_xliff12(document, translations, "en"))
    assert root.get("version") == "1.2"
    (file_el,) = root.findall("x:file", NS)
    assert (file_el.get("source-language"), file_el.get("target-language")) == ("de", "en")
    assert (file_el.get("original"), file_el.get("datatype")) == ("ki-artikel.md", "plaintext")
    groups = file_el.findall("x:body/x:group", NS)
    assert [(g.get("id"), g.get("resname")) for g in groups] == [
        (f"b{b.index}", b.kind.value) for b in document.blocks]
    units = root.findall(".//x:group/x:trans-unit", NS)
    assert [u.get("id") for u in units] == [t.segment.id for t in translations]
    for unit, translation in zip(units, translations, strict=True):
        form = translation.status.form
        target = unit.find("x:target", NS)
        assert unit.findtext("x:source", namespaces=NS) == translation.segment.text
        assert target.text == translation.target
        assert (target.get("state"), target.get("state-qualifier")) == (
            form.xliff12_state, form.xliff12_qualifier)
        assert unit.get("approved") == ("yes" if form.approved else None)
        assert unit.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"


def test_notes_comments_terms_and_matches(article):
    document, translations = article
    first, second = translations[0].segment.id, translations[1].segment.id
    data = render_xliff12(
        document, translations, "en", render="0123abcd",
        comments={first: "Ask the desk.", second: ""},
        terms={second: [("Bundestag", "Bundestag", "Parlament"),
                        GlossTerm("Donnerstag", "Thursday", origin="newsroom.tbx")]},
        matches={second: [("Der Bundestag", "The Bundestag", 87.5, "memory.tmx"),
                          Match("Der Bundestag hat", "The Bundestag has", 100, None, "mt")]})
    root = assert_valid(data)
    assert root.findtext("x:file/x:header/x:note[@from='pipeline-render']",
                         namespaces=NS) == "0123abcd"
    unit = root.find(f".//x:trans-unit[@id='{first}']", NS)
    notes = [(n.get("from"), n.get("annotates"), n.text) for n in unit.iterfind("x:note", NS)]
    assert notes == [("pipeline", "target", "machine translation"),
                     ("reviewer", "target", "Ask the desk.")]
    unit = root.find(f".//x:trans-unit[@id='{second}']", NS)
    notes = [(n.get("from"), n.text) for n in unit.iterfind("x:note", NS)]
    assert notes == [("glossary", "Bundestag → Bundestag (Parlament)"),
                     ("glossary", "Donnerstag → Thursday [newsroom.tbx]")]
    alts = unit.findall("x:alt-trans", NS)
    assert [(a.get("match-quality"), a.get("origin")) for a in alts] == [
        ("87.5", "memory.tmx"), ("100", "mt")]
    assert alts[0].findtext("x:target", namespaces=NS) == "The Bundestag"
    group = unit.getparent()
    assert group.findtext("x:note[@from='context']", namespaces=NS).startswith("paragraph")
    machine = root.findall(".//x:trans-unit/x:note[@from='pipeline']", NS)
    assert "machine translation" in [n.text for n in machine]
    assert "restored dropped number 22" in [n.text for n in machine]


def test_tweets_carry_their_author_as_context(article):
    document, translations = article
    root = assert_valid(render_xliff12(document, translations, "en"))
    tweet = root.find(".//x:group[@resname='tweet']", NS)
    context = [n.text for n in tweet.iterfind("x:note[@from='context']", NS)]
    assert "tweet by Reid Southen (@Rahll)" in context


def test_bad_match_types_are_refused():
    document, segments = make_document([(BlockKind.PARAGRAPH, ["Ein Satz."])])
    with pytest.raises(ValueError, match="match type"):
        render_xliff12(document, [Translation(segments[0], "en", "A sentence.")], "en",
                       matches={segments[0].id: [Match("a", "b", 50, None, "fuzzy")]})
    with pytest.raises(ValueError, match="no segments"):
        render_xliff12(document, [], "en")


def test_output_is_deterministic_and_languages_are_bcp47(article):
    document, translations = article
    first = render_xliff12(document, translations, "pt_BR")
    assert first == render_xliff12(document, list(translations), "pt_BR")
    assert first.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<xliff ')
    assert first.endswith(b"</xliff>\n")
    assert b'target-language="pt-BR"' in first


# -- characters XML cannot hold, hostile text -------------------------------------------------


def test_a_character_xml_cannot_hold_is_a_placeholder_and_comes_back(tmp_path):
    document, segments = make_document([(BlockKind.PARAGRAPH, ["Null\x00 und \x1f."])])
    data = render_xliff12(document, [Translation(segments[0], "en", "Zero\x00 and\x1f\x1f.")],
                          "en")
    root = assert_valid(data)
    target = root.find(".//x:target", NS)
    assert [(p.get("id"), p.get("ctype"), p.text) for p in target] == [
        ("c1", CHAR_CTYPE, "U+0000"), ("c2", CHAR_CTYPE, "U+001F"), ("c3", CHAR_CTYPE, "U+001F")]
    path = tmp_path / "chars.xliff12.xlf"
    path.write_bytes(data)
    (entry,) = read_xliff12_file(path).entries
    assert (entry.source, entry.target) == ("Null\x00 und \x1f.", "Zero\x00 and\x1f\x1f.")


def test_a_hostile_article_is_valid_and_round_trips(tmp_path):
    document, translations = _every_status(HOSTILE, "boese.txt")
    assert any("\x01" in t.segment.text for t in translations)  # the ingest kept them
    data = render_xliff12(document, translations, "en",
                          comments={translations[0].segment.id: "</note> \x02 \u202e"})
    assert_valid(data)
    path = tmp_path / "boese.xliff12.xlf"
    path.write_bytes(data)
    entries = read_xliff12_file(path).entries
    assert [(e.source, e.target, e.written) for e in entries] == [
        (t.segment.text, t.target, t.status) for t in translations]
    assert entries[0].comment == "</note>  \u202e"  # notes cannot hold it: dropped there


_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)  # no lone surrogates


@settings(max_examples=50, deadline=None)
@given(source=_TEXT, target=_TEXT, comment=_TEXT)
def test_any_text_round_trips(tmp_path_factory, source, target, comment):
    document, segments = make_document([(BlockKind.PARAGRAPH, [source, "Zweiter Satz."])])
    translations = [Translation(segments[0], "en", target),
                    Translation(segments[1], "en", target, Status.FINAL)]
    data = render_xliff12(document, translations, "en", comments={segments[1].id: comment},
                          matches={segments[0].id: [(source, target, 50, "tm")]})
    assert_valid(data)
    path = tmp_path_factory.mktemp("xliff12") / "round.xlf"
    path.write_bytes(data)
    entries = read_xliff12_file(path).entries
    assert [(e.source, e.target) for e in entries] == [(source, target), ("Zweiter Satz.", target)]
    assert [e.written for e in entries] == [Status.MACHINE, Status.FINAL]
    assert [e.signed_off for e in entries] == [None, Status.FINAL]


# -- reading ---------------------------------------------------------------------------------


def test_round_trip_keeps_entries_statuses_and_notes(tmp_path, article):
    document, translations = article
    path = tmp_path / "en" / "ki-artikel.xliff12.xlf"
    path.parent.mkdir()
    path.write_bytes(render_xliff12(document, translations, "en", render="r1",
                                   comments={translations[1].segment.id: "Check."}))
    found = read_xliff12_file(path)
    assert (found.src_lang, found.trg_lang, found.render) == ("de", "en", "r1")
    assert [(e.unit_id, e.source, e.target, e.written) for e in found.entries] == [
        (t.segment.id, t.segment.text, t.target, t.status) for t in translations]
    assert [e.group_id for e in found.entries] == [f"b{t.segment.block}" for t in translations]
    assert [e.signed_off for e in found.entries] == [
        t.status if t.status.signed_off else (Status.REVIEWED if t.status.form.approved else None)
        for t in translations]
    assert found.entries[1].comment == "Check."
    machine = next(e for e in found.entries if e.written is Status.MACHINE)
    assert machine.notes[0] == "machine translation"


def test_reader_decodes_inline_content_and_reads_a_translator_note(tmp_path):
    path = tmp_path / "inline.xlf"
    path.write_text(
        '<?xml version="1.0"?>\n'
        f'<xliff xmlns="{XLIFF12_NS}" version="1.2"><file original="x" source-language="de" '
        'datatype="plaintext"><body><trans-unit id="u" approved="yes">'
        '<source>a<g id="1">b</g><x id="2"/>c<ph id="3">&lt;br/&gt;</ph><!-- n -->'
        '<mrk mtype="protected">d</mrk><bpt id="4">&lt;b&gt;</bpt>e<ept id="4">&lt;/b&gt;</ept>'
        '<it id="5" pos="close">&lt;/a<!-- c -->&gt;</it><bx id="6"/>'
        '<bpt id="7">&lt;img alt="<sub>Bild</sub>"&gt;</bpt></source>'
        '<note from="translator">Seen.</note></trans-unit>'
        '<trans-unit id="v"><source>s</source><target>t</target></trans-unit>'
        '</body></file></xliff>', encoding="utf-8")
    first, second = read_xliff12_file(path).entries
    assert (first.source, first.target, first.comment, first.group_id) == (
        'abc<br/>d<b>e</b></a><img alt="Bild">', None, "Seen.", None)
    assert first.signed_off is None  # approved, but nothing to approve
    assert (second.state, second.written, second.signed_off) == ("new", None, None)


@pytest.mark.parametrize(("xml", "message", "line"), [
    ('<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1"/>',
     "not an XLIFF 1.2 file", 2),
    (f'<xliff xmlns="{XLIFF12_NS}" version="1.2"><file><body><trans-unit id="u">\n'
     '<source>a</source><target state="done">b</target></trans-unit></body></file></xliff>',
     "unknown target state 'done'", 3),
    (f'<xliff xmlns="{XLIFF12_NS}" version="1.2"><file><body><trans-unit id="u">\n'
     f'<source>a<ph id="c1" ctype="{CHAR_CTYPE}">U+D800</ph></source></trans-unit></body>'
     '</file></xliff>', "bad <ph", 3),
    (f'<xliff xmlns="{XLIFF12_NS}" version="1.2"><file><body>\n<trans-unit id="u"/>'
     '</body></file></xliff>', "without <source>", 3),
])
def test_reader_errors_name_file_and_line(tmp_path, xml, message, line):
    path = tmp_path / "bad.xlf"
    path.write_text(f'<?xml version="1.0"?>\n{xml}', encoding="utf-8")
    with pytest.raises(InputError, match=message) as caught:
        read_xliff12_file(path)
    assert (caught.value.path, caught.value.line) == (path, line)


def test_an_extension_state_is_read_as_not_signed_off(tmp_path):
    path = tmp_path / "x.xlf"
    path.write_text(f'<xliff xmlns="{XLIFF12_NS}" version="1.2"><file><body><trans-unit '
                    'id="u"><source>a</source><target state="x-checked">b</target>'
                    '</trans-unit></body></file></xliff>', encoding="utf-8")
    (entry,) = read_xliff12_file(path).entries
    assert (entry.state, entry.signed_off) == ("x-checked", None)


# -- translate-toolkit -----------------------------------------------------------------------


def test_translate_toolkit_reads_our_file_as_our_po_says_it(tmp_path, article):
    """``xliff2po`` (translate-toolkit refuses 2.1): msgids are the sources, msgstrs the
    targets, fuzzy exactly where our own PO says fuzzy (not signed off, not from the memory)."""
    document, translations = article
    xlf, back = tmp_path / "ki-artikel.xliff12.xlf", tmp_path / "back.po"
    xlf.write_bytes(render_xliff12(document, translations, "en"))
    result = subprocess.run([toolkit("xliff2po"), str(xlf), str(back)], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stderr
    converted = [e for e in polib.pofile(str(back)) if e.msgid]
    assert [(e.msgid, e.msgstr) for e in converted] == [
        (t.segment.text, t.target) for t in translations]
    ours = po.build_catalog(document, translations, "en", None)
    assert ["fuzzy" in e.flags for e in converted] == [
        "fuzzy" in e.flags for e in ours if e.msgid]
    assert ["fuzzy" in e.flags for e in converted] == [
        not t.status.signed_off and t.status is not Status.FROM_MEMORY for t in translations]
