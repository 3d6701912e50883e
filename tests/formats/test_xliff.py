"""XLIFF 2.1: every file we write is schema-valid (core and the glossary/matches modules),
mirrors the article's blocks and segments, and comes back unchanged through the reader."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from pipeline.formats.xliff import read_xliff, render_xliff, reviewed_entries, write_xliff
from pipeline.formats.xliff_codes import check_inline_codes
from pipeline.formats.xliff_markup import GLS_NS, MTC_NS, XLIFF_NS, GlossTerm, Match
from pipeline.ingest.article import parse_article
from pipeline.ingest.segment import segment_document, segment_ids
from pipeline.model.annotations import Conflict, Repair, RepairKind, Reuse
from pipeline.model.document import Attribution, Block, BlockKind, Document, Segment, Translation
from pipeline.model.errors import InputError
from pipeline.model.status import Status

from ..conftest import ROOT

SCHEMAS = ROOT / "schemas" / "xliff-2.1"
SUITE = ROOT / "tests" / "data" / "xliff-2.1-suite"  # see tests/data/SOURCES.md
NS = {"x": XLIFF_NS, "gls": GLS_NS, "mtc": MTC_NS}

#: Imports the core and the module XSDs we write, so gls:/mtc: are checked strictly (the core
#: alone lets any foreign element through with processContents="lax").
DRIVER_XSD = b"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:import namespace="urn:oasis:names:tc:xliff:document:2.0" schemaLocation="xliff_core_2.0.xsd"/>
  <xs:import namespace="urn:oasis:names:tc:xliff:glossary:2.0" schemaLocation="glossary.xsd"/>
  <xs:import namespace="urn:oasis:names:tc:xliff:metadata:2.0" schemaLocation="metadata.xsd"/>
  <xs:import namespace="urn:oasis:names:tc:xliff:matches:2.0" schemaLocation="matches.xsd"/>
</xs:schema>"""

ARTICLE = """KI fordert Kreativität heraus

Der Bundestag hat am Donnerstag abgestimmt. Die Regierung plant „mehr“ & <weniger>.
Der Rest folgt morgen.

- Erstens: Daten.
- Zweitens: Rechenleistung.

Künstliche Intelligenz ist keine Magie, sondern Statistik.
- Reid Southen (@Rahll) 22. März 2024
"""


# -- helpers ---------------------------------------------------------------------------------


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@functools.cache
def modules_schema() -> etree.XMLSchema:
    """Core + glossary + metadata + matches, resolved from the copies under schemas/."""
    driver = etree.fromstring(DRIVER_XSD, _parser(), base_url=str(SCHEMAS / "driver.xsd"))
    return etree.XMLSchema(driver)


@functools.cache
def core_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "xliff_core_2.0.xsd"), _parser()))


def assert_valid(data: bytes) -> etree._Element:
    """Schema-valid (core and modules) and the processing rules XSD cannot express: the
    inline-code rules (pipeline.formats.xliff_codes) and the module refs below."""
    root = etree.fromstring(data, _parser())
    for schema in (core_schema(), modules_schema()):
        assert schema.validate(root), schema.error_log
    problems = check_inline_codes(root)
    assert not problems, "\n".join(map(str, problems))
    check_processing_requirements(root)
    return root


def check_processing_requirements(root: etree._Element) -> None:
    """Unique ids where XLIFF 2.1 demands them; every gls/mtc ref points into its unit."""
    for file_el in root.iterfind("x:file", NS):
        unit_ids = [unit.get("id") for unit in file_el.iterfind(".//x:unit", NS)]
        assert len(unit_ids) == len(set(unit_ids))
        for unit in file_el.iterfind(".//x:unit", NS):
            content_ids = [e.get("id") for e in unit.iterfind("x:segment", NS)]
            content_ids += [e.get("id") for e in unit.iterfind("x:ignorable", NS) if e.get("id")]
            assert len(content_ids) == len(set(content_ids))
            note_ids = [n.get("id") for n in unit.iterfind("x:notes/x:note", NS)]
            assert len(note_ids) == len(set(note_ids))
            refs = [e.get("ref") for e in unit.iterfind("gls:glossary/gls:glossEntry", NS)]
            refs += [e.get("ref") for e in unit.iterfind("mtc:matches/mtc:match", NS)]
            for ref in refs:
                assert ref.startswith("#") and ref[1:] in content_ids, ref
            for segment in unit.iterfind("x:segment", NS):
                assert segment.get("state") in ("initial", "translated", "reviewed", "final")
                if segment.get("subState"):
                    assert ":" in segment.get("subState")


def make_document(blocks: list[tuple[BlockKind, list[str]]], *, name: str = "hand.txt",
                  attribution: Attribution | None = None) -> tuple[Document, list[Segment]]:
    """A Document built by hand: sentences joined by a space, blocks by a blank line."""
    text_parts, block_objs, raw = [], [], []
    offset = 0
    for index, (kind, sentences) in enumerate(blocks):
        block_text = " ".join(sentences)
        position = offset
        for sentence in sentences:
            raw.append((index, kind, sentence, position))
            position += len(sentence) + 1
        block_objs.append(Block(index, kind, block_text, offset, offset + len(block_text),
                                line=1 + 2 * index,
                                attribution=attribution if kind is BlockKind.TWEET else None))
        text_parts.append(block_text)
        offset += len(block_text) + 2
    ids = segment_ids(sentence for _, _, sentence, _ in raw)
    segments = [Segment(seg_id, index, kind, sentence, start, start + len(sentence), 1)
                for seg_id, (index, kind, sentence, start) in zip(ids, raw, strict=True)]
    document = Document(path=Path(name), slug=Path(name).stem, format="text",
                        text="\n\n".join(text_parts), blocks=tuple(block_objs))
    return document, segments


@pytest.fixture(scope="module")
def article() -> tuple[Document, list[Translation]]:
    """The sample article, segmented for real, with every kind of origin among its targets."""
    document = parse_article(ARTICLE, path=Path("ki-artikel.md"), fmt="text")
    segments = segment_document(document)
    translations = []
    for number, segment in enumerate(segments):
        if number == 0:
            translations.append(Translation(segment, "en", "AI challenges creativity",
                                            Status.REVIEWED))
        elif segment.kind is BlockKind.TWEET:
            translations.append(Translation(segment, "en", segment.text, Status.VERBATIM,
                                            Reuse.TWEET_KEPT))
        else:
            repairs = (Repair(RepairKind.DROPPED, "number", "22"),) if number == 2 else ()
            translations.append(Translation(segment, "en", f"EN: {segment.text}",
                                            repairs=repairs))
    return document, translations


# -- writing ---------------------------------------------------------------------------------


def test_structure_mirrors_the_article(article):
    document, translations = article
    root = assert_valid(render_xliff(document, translations, "en"))
    assert root.get("version") == "2.1"
    assert (root.get("srcLang"), root.get("trgLang")) == ("de", "en")
    (file_el,) = root.findall("x:file", NS)
    assert file_el.get("id") == "ki-artikel"
    assert file_el.get("original") == "ki-artikel.md"
    units = file_el.findall("x:unit", NS)
    assert len(units) == len(document.blocks)
    for unit, block in zip(units, document.blocks, strict=True):
        assert unit.get("id") == f"b{block.index}"
        assert unit.get("name") == block.kind.value
    segments = root.findall(".//x:unit/x:segment", NS)
    assert [s.get("id") for s in segments] == [t.segment.id for t in translations]
    for element, translation in zip(segments, translations, strict=True):
        assert element.findtext("x:source", namespaces=NS) == translation.segment.text
        assert element.findtext("x:target", namespaces=NS) == translation.target
        assert element.get("state") == translation.status.form.xliff_state
        assert element.get("subState") == f"pipeline:{translation.origin}"


def test_notes_give_context(article):
    document, translations = article
    root = assert_valid(render_xliff(document, translations, "en"))
    units = root.findall(".//x:unit", NS)
    heading_notes = {n.get("id"): n.text for n in units[0].iterfind("x:notes/x:note", NS)}
    assert heading_notes["kind"].startswith("heading")
    tweet = next(u for u in units if u.get("name") == "tweet")
    notes = {n.get("id"): n for n in tweet.iterfind("x:notes/x:note", NS)}
    assert notes["tweet"].text == "tweet by Reid Southen (@Rahll)"
    assert "- Reid Southen (@Rahll) 22. März 2024" in notes["attribution"].text
    tweet_segment = tweet.find("x:segment", NS).get("id")
    pipeline_note = notes[f"{tweet_segment}.n1"]
    assert pipeline_note.get("category") == "pipeline"
    assert pipeline_note.get("appliesTo") == "target"
    assert pipeline_note.text == "tweet kept verbatim (--tweets keep)"
    restored = root.findall(".//x:note[@category='pipeline']", NS)
    assert sorted(n.text for n in restored if n.text != "machine translation") == [
        "restored dropped number 22", "tweet kept verbatim (--tweets keep)"]
    assert sum(n.text == "machine translation" for n in restored) == sum(
        t.status is Status.MACHINE for t in translations)


def test_ignorables_keep_the_whitespace_between_sentences(article):
    """Joining a unit's segment sources and ignorables gives back the block as written."""
    document, translations = article
    root = assert_valid(render_xliff(document, translations, "en"))
    paragraph = root.find(".//x:unit[@id='b1']", NS)
    joined = "".join(child.findtext("x:source", namespaces=NS) for child in paragraph
                     if child.tag in (f"{{{XLIFF_NS}}}segment", f"{{{XLIFF_NS}}}ignorable"))
    assert joined == document.blocks[1].text
    assert "\n" in joined
    assert paragraph.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"


def test_glossary_and_matches_are_valid_module_data(article):
    document, translations = article
    first, second = translations[1].segment.id, translations[2].segment.id
    terms = {
        first: [("Bundestag", "Bundestag", "Parlament der Bundesrepublik"),
                GlossTerm("Donnerstag", "Thursday", origin="newsroom.tbx")],
        second: [("Regierung", "government", None)],
        "s-not-in-article": [("x", "y", None)],
    }
    matches = {
        first: [("Der Bundestag hat abgestimmt.", "The Bundestag voted.", 87.5, "memory.tmx"),
                Match("Der Bundestag", "The Bundestag", 100, None, "mt")],
    }
    data = render_xliff(document, translations, "en", terms=terms, matches=matches)
    root = assert_valid(data)
    unit = root.find(".//x:unit[@id='b1']", NS)
    children = [etree.QName(child).localname for child in unit]
    assert children[:3] == ["glossary", "matches", "notes"]
    entries = unit.findall("gls:glossary/gls:glossEntry", NS)
    assert [e.get("ref") for e in entries] == [f"#{first}", f"#{first}", f"#{second}"]
    assert entries[0].findtext("gls:term", namespaces=NS) == "Bundestag"
    assert entries[0].findtext("gls:definition", namespaces=NS) == "Parlament der Bundesrepublik"
    assert entries[1].find("gls:term", NS).get("source") == "newsroom.tbx"
    assert entries[2].find("gls:definition", NS) is None
    found = unit.findall("mtc:matches/mtc:match", NS)
    assert [(m.get("ref"), m.get("similarity"), m.get("origin"), m.get("type")) for m in found] \
        == [(f"#{first}", "87.5", "memory.tmx", "tm"), (f"#{first}", "100", None, "mt")]
    assert found[0].findtext("x:target", namespaces=NS) == "The Bundestag voted."
    assert root.find(".//x:unit[@id='b0']/gls:glossary", NS) is None
    plain = render_xliff(document, translations, "en")
    assert b"xmlns:gls" not in plain and b"xmlns:mtc" not in plain


@pytest.mark.parametrize("bad", [
    {"similarity": 100.5}, {"similarity": -1}, {"type": "fuzzy"},
])
def test_bad_match_values_are_refused(bad):
    document, segments = make_document([(BlockKind.PARAGRAPH, ["Ein Satz."])])
    match = Match("a", "b", 50, None)._replace(**bad)
    with pytest.raises(ValueError):
        render_xliff(document, [Translation(segments[0], "en", "A sentence.")], "en",
                     matches={segments[0].id: [match]})


def test_output_is_deterministic(article):
    document, translations = article
    terms = {translations[1].segment.id: [("Bundestag", "Bundestag", None)]}
    first = render_xliff(document, translations, "en", terms=terms)
    assert first == render_xliff(document, list(translations), "en", terms=dict(terms))
    assert first.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<xliff ')
    assert first.endswith(b"</xliff>\n")


def test_language_codes_become_bcp47():
    document, segments = make_document([(BlockKind.HEADING, ["Titel"])])
    root = assert_valid(render_xliff(document, [Translation(segments[0], "pt_BR", "Título")],
                                     "pt_BR"))
    assert root.get("trgLang") == "pt-BR"


def test_ids_are_nmtokens():
    document, segments = make_document([(BlockKind.PARAGRAPH, ["Satz."])], name="mein artikel.txt")
    root = assert_valid(render_xliff(document, [Translation(segments[0], "en", "S.")], "en"))
    assert root.find("x:file", NS).get("id") == "mein-artikel"
    bad = Segment("s 1", 0, BlockKind.PARAGRAPH, "Satz.", 0, 5, 1)
    with pytest.raises(ValueError, match="NMTOKEN"):
        render_xliff(document, [Translation(bad, "en", "S.")], "en")


def test_no_segments_is_a_programming_error():
    document, _ = make_document([(BlockKind.PARAGRAPH, ["Satz."])])
    with pytest.raises(ValueError, match="no segments"):
        render_xliff(document, [], "en")


# -- reading and round trip ------------------------------------------------------------------


def test_round_trip_and_reviewer_import(tmp_path, article):
    """A reviewer edits one target and signs it off; the import sees exactly that."""
    document, translations = article
    path = tmp_path / "en" / "ki-artikel.xlf"
    write_xliff(path, document, translations, "en")
    entries = read_xliff(path)
    assert [(e.segment_id, e.source, e.target) for e in entries] == \
        [(t.segment.id, t.segment.text, t.target) for t in translations]
    assert [e.origin for e in entries] == [t.origin for t in translations]
    assert {e.unit_id for e in entries} == {f"b{b.index}" for b in document.blocks}
    assert all(e.file_id == "ki-artikel" and e.trg_lang == "en" for e in entries)
    assert list(reviewed_entries(entries)) == [translations[0].segment.id]

    tree = etree.parse(str(path), _parser())
    edited = translations[1].segment.id
    segment = tree.find(f".//x:segment[@id='{edited}']", NS)
    segment.set("state", "final")
    segment.find("x:target", NS).text = 'The Bundestag voted on "Thursday" & <left>.'
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    reviewed = reviewed_entries(read_xliff(path))
    assert set(reviewed) == {translations[0].segment.id, edited}
    assert reviewed[edited].target == 'The Bundestag voted on "Thursday" & <left>.'
    assert reviewed[edited].state == "final"


def test_reader_decodes_inline_content(tmp_path):
    """Codes become their original data; a CAT tool's own <pc> and markers give their
    content only; <cp> its character; comments nothing."""
    path = tmp_path / "inline.xlf"
    path.write_text(
        '<?xml version="1.0"?>\n'
        f'<xliff xmlns="{XLIFF_NS}" version="2.1" srcLang="de" trgLang="en">'
        '<file id="f"><group id="g"><unit id="u">'
        '<originalData><data id="d1">&lt;br/&gt;</data><data id="d2">&lt;b&gt;</data>'
        '<data id="d3">&lt;/b&gt;</data><data id="d4">&lt;x<cp hex="0002"/>&gt;</data>'
        '</originalData>'
        '<segment id="s" state="translated"><source>a<pc id="1">b</pc><ph id="2" dataRef="d1"/>'
        'c<cp hex="0001"/><!-- note --><mrk id="m" translate="no">d</mrk>'
        '<pc id="3" dataRefStart="d2" dataRefEnd="d3">e<sm id="4"/>f<em startRef="4"/></pc>'
        '<sc id="5" dataRef="d4" isolated="yes"/><ph id="6"/></source>'
        "</segment></unit></group></file></xliff>",
        encoding="utf-8",
    )
    (entry,) = read_xliff(path)
    assert (entry.unit_id, entry.segment_id) == ("u", "s")
    assert entry.source == "ab<br/>c\x01d<b>ef</b><x\x02>"
    assert entry.target is None
    assert not entry.reviewed and entry.origin is None


@pytest.mark.parametrize(("xml", "message", "line"), [
    ('<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"/>', "not an XLIFF 2", 2),
    (f'<xliff xmlns="{XLIFF_NS}" version="2.1" srcLang="de"><file id="f"><unit id="u">\n'
     '<segment state="done"><source>a</source></segment></unit></file></xliff>',
     "unknown segment state 'done'", 3),
    (f'<xliff xmlns="{XLIFF_NS}" version="2.1" srcLang="de"><file id="f"><unit id="u">\n'
     '<segment><source>a<cp hex="zz"/></source></segment></unit></file></xliff>',
     "bad <cp", 3),
    (f'<xliff xmlns="{XLIFF_NS}" version="2.1" srcLang="de"><file id="f"><unit id="u">\n'
     '<segment><source>a\n<ph id="1" dataRef="d1"/></source></segment></unit></file></xliff>',
     "dataRef='d1' names no <data>", 4),
    (f'<xliff xmlns="{XLIFF_NS}" version="2.1">\n<file>\n</xliff>', "not well-formed", 4),
])
def test_reader_errors_name_file_and_line(tmp_path, xml, message, line):
    path = tmp_path / "bad.xlf"
    path.write_text(f'<?xml version="1.0"?>\n{xml}', encoding="utf-8")
    with pytest.raises(InputError, match=message) as caught:
        read_xliff(path)
    assert caught.value.path == path
    assert caught.value.line == line


_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)  # no lone surrogates


@settings(max_examples=50, deadline=None)
@given(source=_TEXT, target=_TEXT, note=_TEXT)
def test_any_text_round_trips(tmp_path_factory, source, target, note):
    """Quotes, <, &, emoji, tabs, CR/LF, even control characters (as <cp>) survive."""
    document, segments = make_document([(BlockKind.PARAGRAPH, [source, "Zweiter Satz."])])
    translations = [Translation(segments[0], "en", target, conflicts=(Conflict("a.po", note),)),
                    Translation(segments[1], "en", target, Status.REVIEWED)]
    data = render_xliff(document, translations, "en",
                        matches={segments[0].id: [(source, target, 50, "tm")]})
    assert_valid(data)
    path = tmp_path_factory.mktemp("xliff") / "round.xlf"
    path.write_bytes(data)
    entries = read_xliff(path)
    assert [(e.source, e.target) for e in entries] == [(source, target), ("Zweiter Satz.", target)]
    assert [e.state for e in entries] == ["initial", "reviewed"]


def test_fixed_tricky_texts_round_trip(tmp_path):
    tricky = ['Er sagte: "Nein" & \'ja\' <b>', "Tab\there\nand CR\r\nend", "😀 👩🏽‍💻 ∑", "  ",
              "", "\x00\x0b\x0c\x1f\ufffe", "]]> --> <!--"]
    document, segments = make_document([(BlockKind.PARAGRAPH, tricky)])
    translations = [Translation(s, "en", s.text[::-1]) for s in segments]
    path = tmp_path / "tricky.xlf"
    write_xliff(path, document, translations, "en")
    assert_valid(path.read_bytes())
    assert [(e.source, e.target) for e in read_xliff(path)] == \
        [(t, t[::-1]) for t in tricky]


# -- the OASIS test suite: a check of the validation set-up and of the reader ---------------


def _suite(folder: str, pattern: str = "*.xlf") -> list[Path]:
    return sorted((SUITE / folder).glob(pattern))

VALID = _suite("core/valid") + _suite("modules/valid", "Good-gls_*.xlf") \
    + _suite("modules/valid", "Good-mtc_*.xlf")


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_suite_valid_files_pass_our_validator(path):
    tree = etree.parse(str(path), _parser())
    assert modules_schema().validate(tree), modules_schema().error_log


@pytest.mark.parametrize("name", ["Bad-gls_invalid-extension.xlf", "Bad-mtc_id-not-nmtoken.xlf",
                                  "Bad-mtc_type-value-not-in-list.xlf"])
def test_module_schemas_are_applied_strictly(name):
    """The core XSD alone accepts these (lax); only the module XSDs catch them."""
    tree = etree.parse(str(SUITE / "modules" / "invalid" / name), _parser())
    assert core_schema().validate(tree)
    assert not modules_schema().validate(tree)


@pytest.mark.parametrize("path", _suite("core/valid"), ids=lambda p: p.name)
def test_reader_reads_suite_files(path):
    entries = read_xliff(path)
    segments = etree.parse(str(path), _parser()).findall(".//x:unit/x:segment", NS)
    assert len(entries) == len(segments)
    assert all(isinstance(e.source, str) for e in entries)


def test_the_suite_copy_is_complete():
    """Empty parameter lists would make the suite tests vacuous; the copy holds 25 + 8 files."""
    assert len(_suite("core/valid")) == 25 and len(VALID) == 33
