"""TMX 1.4b: valid against the LISA DTD, machine output marked as such, readable by our reader
and by translate-toolkit, and tolerant of the TMX other tools write."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from pipeline import __version__
from pipeline.formats.tmx import (
    TmxRecord,
    read_tmx,
    render_tmx,
    tmx_date,
    tmx_records,
    write_tmx,
)
from pipeline.ingest.segment import segment_ids
from pipeline.model.document import Block, BlockKind, Document, Segment, Translation
from pipeline.model.errors import InputError
from pipeline.model.status import Status

from ..conftest import ROOT

DTD_PATH = ROOT / "schemas" / "tmx" / "tmx14.dtd"
WHEN = dt.datetime(2024, 3, 22, 9, 30, 5, tzinfo=dt.UTC)
TRICKY = ['Er sagte: "Nein" & \'ja\' <b>', "Tab\there\nzweite Zeile", "😀 👩🏽‍💻 ∑ — „Zitat“",
          "  führende Leerzeichen ", "Ende\r\n"]


@functools.cache
def tmx_dtd() -> etree.DTD:
    with DTD_PATH.open("rb") as handle:
        return etree.DTD(handle)


def assert_valid(data: bytes) -> etree._Element:
    """DTD-valid, and the header says what the pipeline promises."""
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    assert tmx_dtd().validate(root), tmx_dtd().error_log
    return root


def record(source: str, target: str, *, lang: str = "en", origin: str = "mt",
           segment_id: str = "s1", when: dt.datetime = WHEN) -> TmxRecord:
    return TmxRecord(source=source, target=target, target_lang=lang, origin=origin,
                     created=when, segment_id=segment_id, article="ki-artikel")


@pytest.fixture
def records() -> list[TmxRecord]:
    return [record(text, f"EN {text}", segment_id=f"s{n}", origin="human" if n == 2 else "mt")
            for n, text in enumerate(TRICKY)]


# -- writing ---------------------------------------------------------------------------------


def test_header_and_units(records):
    data = render_tmx(records)
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n'
                           b'<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n<tmx version="1.4">')
    root = assert_valid(data)
    header = root.find("header")
    assert dict(header.attrib) == {
        "creationtool": "pipeline", "creationtoolversion": __version__, "segtype": "sentence",
        "o-tmf": "pipeline", "adminlang": "en", "srclang": "de", "datatype": "plaintext",
        "creationdate": "20240322T093005Z",
    }
    units = root.findall("body/tu")
    assert len(units) == len(records)
    for tu, rec in zip(units, records, strict=True):
        assert tu.get("tuid") == f"ki-artikel/{rec.segment_id}/en/{rec.origin}"
        assert tu.get("creationdate") == tu.get("changedate") == "20240322T093005Z"
        assert tu.get("creationid") == ("pipeline (machine translation)"
                                        if rec.origin == "mt" else None)
        props = {p.get("type"): p.text for p in tu.iterfind("prop")}
        assert props == {"x-origin": rec.origin, "x-article": "ki-artikel",
                         "x-segment": rec.segment_id}
        tuvs = tu.findall("tuv")
        langs = [t.get("{http://www.w3.org/XML/1998/namespace}lang") for t in tuvs]
        assert langs == ["de", "en"]
        assert [t.findtext("seg") for t in tuvs] == [rec.source, rec.target]


def test_tuids_are_unique_even_for_repeated_records(records):
    root = assert_valid(render_tmx([records[0], records[0], records[0]]))
    tuids = [tu.get("tuid") for tu in root.iterfind("body/tu")]
    first = tuids[0]
    assert tuids == [first, f"{first}#2", f"{first}#3"]


def test_machine_translations_are_marked(records):
    root = assert_valid(render_tmx(records))
    origins = [tu.findtext("prop[@type='x-origin']") for tu in root.iterfind("body/tu")]
    assert origins == ["mt", "mt", "human", "mt", "mt"]


def test_output_is_deterministic(records):
    assert render_tmx(records) == render_tmx(iter(list(records)))


def test_dates_are_utc_in_tmx_format():
    berlin = dt.timezone(dt.timedelta(hours=2))
    assert tmx_date(dt.datetime(2024, 7, 1, 12, 0, 0, tzinfo=berlin)) == "20240701T100000Z"
    assert tmx_date(dt.datetime(2024, 7, 1, 12, 0, 0)) == "20240701T120000Z"
    later = record("b", "B", when=dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.UTC))
    root = assert_valid(render_tmx([record("a", "A"), later]))
    assert root.find("header").get("creationdate") == "20250102T030405Z"


def test_empty_memory_is_valid():
    root = assert_valid(render_tmx([]))
    assert root.find("header").get("creationdate") is None
    assert root.findall("body/tu") == []


def test_language_tags_and_source_language():
    root = assert_valid(render_tmx([record("Hallo", "Olá", lang="pt_BR")], srclang="de_AT"))
    assert root.find("header").get("srclang") == "de-AT"
    langs = [t.get("{http://www.w3.org/XML/1998/namespace}lang") for t in root.iter("tuv")]
    assert langs == ["de-AT", "pt-BR"]


def test_bad_origin_is_refused():
    with pytest.raises(ValueError, match="origin"):
        render_tmx([record("a", "b", origin="verbatim")])


def test_records_from_translations():
    """Verbatim tweets and empty targets stay out: their source is not a German sentence."""
    texts = ["Der Satz.", "Ein Tweet in English.", "Noch ein Satz.", "Leer."]
    ids = segment_ids(texts)
    segments = [Segment(i, 0, BlockKind.PARAGRAPH, t, 0, len(t), 1)
                for i, t in zip(ids, texts, strict=True)]
    document = Document(path=Path("artikel.txt"), slug="artikel", format="text",
                        text=" ".join(texts),
                        blocks=(Block(0, BlockKind.PARAGRAPH, " ".join(texts), 0, 1, 1),))
    translations = [
        Translation(segments[0], "en", "The sentence."),
        Translation(segments[1], "en", segments[1].text, Status.VERBATIM),
        Translation(segments[2], "en", "Another sentence.", Status.REVIEWED),
        Translation(segments[3], "en", "  "),
    ]
    records = tmx_records(document, translations, "en", created=WHEN)
    assert [(r.segment_id, r.origin, r.article, r.target) for r in records] == [
        (ids[0], "mt", "artikel", "The sentence."), (ids[2], "human", "artikel",
                                                     "Another sentence."),
    ]
    assert_valid(render_tmx(records))


# -- reading, round trip, interop ------------------------------------------------------------


def test_round_trip(tmp_path, records):
    path = tmp_path / "memory.tmx"
    write_tmx(path, records)
    units = read_tmx(path)
    assert [(u.source, u.text("en"), u.origin, u.prop("x-segment")) for u in units] == \
        [(r.source, r.target, r.origin, r.segment_id) for r in records]
    assert all(u.tuid and u.srclang == "de" and u.creationdate == "20240322T093005Z"
               for u in units)


def test_translate_toolkit_reads_the_same_pairs(tmp_path, records):
    from translate.storage import tmx

    path = tmp_path / "memory.tmx"
    write_tmx(path, records)
    with path.open("rb") as handle:
        store = tmx.tmxfile.parsefile(handle)
    assert [(u.source, u.target) for u in store.units] == \
        [(r.source, r.target) for r in records]


FOREIGN = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx PUBLIC "-//LISA OSCAR:1998//DTD for Translation Memory eXchange//EN" "tmx14.dtd">
<tmx version="1.4">
  <header creationtool="SomeCAT" creationtoolversion="9" segtype="sentence" o-tmf="x"
          adminlang="en-US" srclang="de-DE" datatype="html"/>
  <body>
    <tu tuid="7" srclang="de-DE">
      <note>from a client</note>
      <prop type="x-Domain">news</prop>
      <tuv xml:lang="de-DE"><seg>Klicken Sie <bpt i="1">&lt;b&gt;</bpt>hier<ept i="1"
        >&lt;/b&gt;</ept>.<ph>&lt;br/&gt;</ph></seg></tuv>
      <tuv xml:lang="en-GB"><seg>Click <bpt i="1">&lt;b&gt;</bpt>here<ept i="1"
        >&lt;/b&gt;</ept>.</seg></tuv>
      <tuv xml:lang="fr-FR"><seg>Cliquez <hi type="x-emph">ici</hi>.</seg></tuv>
    </tu>
    <tu>
      <tuv lang="DE"><seg>Alte Schreibweise</seg></tuv>
      <tuv xml:lang="EN-us"><seg>Old spelling<it pos="begin">&lt;i&gt;</it></seg></tuv>
    </tu>
  </body>
</tmx>
"""


def test_reads_tmx_from_other_tools(tmp_path):
    path = tmp_path / "foreign.tmx"
    path.write_text(FOREIGN, encoding="utf-8")
    assert tmx_dtd().validate(etree.parse(str(path), etree.XMLParser(load_dtd=False)))
    first, second = read_tmx(path)
    assert first.tuid == "7" and first.srclang == "de-DE"
    assert [v.lang for v in first.variants] == ["de-DE", "en-GB", "fr-FR"]
    assert first.source == "Klicken Sie hier."
    assert first.text("en") == "Click here."
    assert first.text("en-GB") == "Click here."
    assert first.text("fr_FR") == "Cliquez ici."
    assert first.text("es") is None
    assert first.prop("x-Domain") == "news" and first.origin is None
    assert second.tuid is None and second.srclang == "de-DE"
    assert second.source == "Alte Schreibweise"
    assert second.text("en-US") == "Old spelling"


def test_all_languages_source_is_unknown(tmp_path):
    path = tmp_path / "all.tmx"
    path.write_text(FOREIGN.replace('srclang="de-DE"', 'srclang="*all*"'), encoding="utf-8")
    units = read_tmx(path)
    assert [u.source for u in units] == [None, None]
    assert units[0].text("de") == "Klicken Sie hier."


@pytest.mark.parametrize(("xml", "message", "line"), [
    ("<xliff/>", "not a TMX file", 2),
    ('<tmx version="1.4"><header/></tmx>', "without <body>", 2),
    ('<tmx version="1.4"><body><tu>\n<tuv><seg>x</seg></tuv></tu></body></tmx>',
     "without xml:lang", 3),
    ('<tmx version="1.4"><body><tu>\n<tuv xml:lang="de"></tuv></tu></body></tmx>',
     "without <seg>", 3),
    ('<tmx version="1.4">\n<body>\n<tu></body></tmx>', "not well-formed", 4),
    ('<!DOCTYPE tmx [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<tmx><body/></tmx>',
     "declares entities", 2),
])
def test_reader_errors_name_file_and_line(tmp_path, xml, message, line):
    path = tmp_path / "bad.tmx"
    path.write_text(f'<?xml version="1.0"?>\n{xml}', encoding="utf-8")
    with pytest.raises(InputError, match=message) as caught:
        read_tmx(path)
    assert caught.value.path == path
    assert caught.value.line == line


def _xml_safe(text: str) -> str:
    """What XML 1.0 can hold: TMX has no escape for the rest, so the writer drops it."""
    return "".join(ch for ch in text if ch in "\t\n\r" or "\x20" <= ch <= "\ud7ff"
                   or "\ue000" <= ch <= "\ufffd" or ch >= "\U00010000")


@settings(max_examples=50, deadline=None)
@given(source=st.text(st.characters(), max_size=40), target=st.text(st.characters(), max_size=40))
def test_any_text_round_trips(tmp_path_factory, source, target):
    path = tmp_path_factory.mktemp("tmx") / "round.tmx"
    write_tmx(path, [record(source, target)])
    assert_valid(path.read_bytes())
    (unit,) = read_tmx(path)
    assert (unit.source, unit.text("en")) == (_xml_safe(source), _xml_safe(target))
