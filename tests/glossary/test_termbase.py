"""Term base files: the TSV writer, TBX-Basic and CSV exchange, hostile XML, merging."""

from __future__ import annotations

import csv
import io
import time

import pytest
from lxml import etree

from pipeline.glossary import load_glossary
from pipeline.glossary.exchange import (
    TBX_NS,
    export_csv,
    export_tbx,
    guard_cell,
    import_csv,
    import_tbx,
    read_exchange,
    unguard_cell,
    validate_tbx,
)
from pipeline.glossary.termbase import (
    load_file,
    merge,
    read_table,
    render_tsv,
    save_domains,
)
from pipeline.model.errors import GlossaryError

from ..conftest import ROOT

SCHEMAS = ROOT / "schemas" / "tbx"
BASIC_RNG = SCHEMAS / "TBXcoreStructV03_TBX-Basic_integrated.rng"
CORE_RNG = SCHEMAS / "TBXcoreStructV03.rng"
#: LTAC's TBX-Basic sample (English/Spanish only), in the shared schema folder when present.
SAMPLE_TBX = ROOT / "tests" / "data" / "tbx" / "Example_Astronomy_DCA_VALID.tbx"
NS = {"t": TBX_NS}
XML = "http://www.w3.org/XML/1998/namespace"


@pytest.fixture(scope="module")
def concepts():
    return sorted(load_glossary(ROOT / "glossary").concepts, key=lambda c: c.id)


@pytest.fixture(scope="module")
def tbx(concepts) -> bytes:
    return export_tbx(concepts)


def tbx_doc(entries: str, doctype: str = "") -> bytes:
    return (f'<?xml version="1.0"?>\n{doctype}<tbx xmlns="{TBX_NS}" type="TBX-Basic" '
            'style="dca" xml:lang="de"><tbxHeader><fileDesc><sourceDesc><p>x</p></sourceDesc>'
            f'</fileDesc></tbxHeader><text><body>{entries}</body></text></tbx>').encode()


ENTRY = ('<conceptEntry id="streik"><descrip type="subjectField">film</descrip>'
         '<langSec xml:lang="de"><termSec><term>{de}</term>'
         '<termNote type="partOfSpeech">noun</termNote></termSec></langSec>'
         '<langSec xml:lang="en"><termSec><term>strike</term></termSec></langSec>'
         '</conceptEntry>')


# --- TSV -------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "glossary").glob("*.tsv")))
def test_writer_reproduces_the_shipped_files_byte_for_byte(name):
    path = ROOT / "glossary" / name
    assert render_tsv(load_file(path), read_table(path)[0]) == path.read_text(encoding="utf-8")


def test_save_rewrites_only_changed_domains(tmp_path, concepts):
    for name in ("ai.tsv", "film.tsv", "names.tsv"):
        (tmp_path / name).write_bytes((ROOT / "glossary" / name).read_bytes())
    assert save_domains(tmp_path, concepts, {"ai", "film", "names"}) == []
    rest = [c for c in concepts if c.id != "streik"]
    assert save_domains(tmp_path, rest, {"film"}) == [tmp_path / "film.tsv"]
    assert "streik" not in {c.id for c in load_glossary(tmp_path).concepts}
    assert not list(tmp_path.glob(".*.tmp"))


# --- TBX -------------------------------------------------------------------------------------

@pytest.mark.parametrize("schema", [BASIC_RNG, CORE_RNG], ids=["tbx-basic", "core"])
def test_tbx_export_validates(tbx, schema):
    assert validate_tbx(tbx, schema) == []


def test_tbx_export_is_deterministic_and_round_trips(tmp_path, concepts, tbx):
    assert export_tbx(list(reversed(concepts))) == tbx
    path = tmp_path / "glossary.tbx"
    path.write_bytes(tbx)
    back = import_tbx(path)
    assert back == concepts
    assert export_tbx(back) == tbx
    assert tbx.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<tbx ")
    assert b"\n        <langSec " in tbx  # pretty-printed


def test_tbx_structure(tbx):
    root = etree.fromstring(tbx)
    assert (root.get("type"), root.get("style")) == ("TBX-Basic", "dca")
    ki = root.find(".//t:conceptEntry[@id='ki']", NS)
    assert ki.findtext("t:descrip[@type='subjectField']", namespaces=NS) == "ai"
    assert ki.findtext("t:note", namespaces=NS) == "glossary: pos=noun case=exact dnt=no"
    en = ki.find(f"t:langSec[@{{{XML}}}lang='en']", NS)
    terms = [(ts.findtext("t:term", namespaces=NS),
              ts.findtext("t:termNote[@type='administrativeStatus']", namespaces=NS))
             for ts in en.findall("t:termSec", NS)]
    assert terms == [("AI", "preferredTerm-admn-sts"), ("KI", "deprecatedTerm-admn-sts")]
    variants = root.findall(".//t:conceptEntry[@id='kreativwirtschaft']/t:langSec/t:termSec"
                            "/t:termNote[@type='administrativeStatus']", NS)
    assert [v.text for v in variants][:3] == ["preferredTerm-admn-sts",
                                              "admittedTerm-admn-sts", "admittedTerm-admn-sts"]
    assert root.find(".//t:conceptEntry[@id='_3d-modellierung']", NS) is not None
    sora = root.find(".//t:conceptEntry[@id='sora']", NS)
    assert sora.findtext("t:note", namespaces=NS) == "glossary: pos=name case=exact dnt=yes"


def test_tbx_uses_only_tbx_basic_picklist_values(tbx):
    """The RNG leaves termNote values open; TBX-Basic's Schematron (XSLT 2) restricts them."""
    allowed = {
        "partOfSpeech": {"adjective", "noun", "other", "verb", "adverb"},
        "administrativeStatus": {"admittedTerm-admn-sts", "deprecatedTerm-admn-sts",
                                 "supersededTerm-admn-sts", "preferredTerm-admn-sts"},
        "termType": {"fullForm", "acronym", "abbreviation", "shortForm", "variant", "phrase"},
    }
    for note in etree.fromstring(tbx).iter(f"{{{TBX_NS}}}termNote"):
        assert note.text in allowed[note.get("type")]


def test_foreign_tbx_without_our_note_gets_defaults(tmp_path):
    path = tmp_path / "foreign.tbx"
    path.write_bytes(tbx_doc(ENTRY.format(de="Streik")))
    [concept] = import_tbx(path)
    assert (concept.id, concept.domain, concept.de, concept.pos, concept.case, concept.dnt) == (
        "streik", "film", "Streik", "noun", "any", False)
    assert concept.targets == {"en": "strike"} and concept.line == 2
    assert import_tbx(path, domain="labour")[0].domain == "labour"


@pytest.mark.parametrize(("data", "message", "line"), [
    (b"<tbx><unclosed></tbx>", "not well-formed XML", 1),
    (b'<?xml version="1.0"?>\n<glossary/>', "not TBX v3", 2),
    (tbx_doc(""), "no conceptEntry", None),
    (tbx_doc(ENTRY.format(de="Streik").replace('xml:lang="de"', 'xml:lang="it"')),
     "no German (de) term", 2),
    (tbx_doc(ENTRY.format(de="Streik").replace("film", "Film Industry")),
     "is not a lowercase file name (pass --domain)", 2),
    (tbx_doc(ENTRY.format(de="Streik").replace(
        "</termSec></langSec>", "</termSec><termSec><term>Ausstand|Arbeitskampf</term>"
        "</termSec></langSec>", 1)), "stray '|'", 2),
])
def test_bad_tbx_is_a_glossary_error_with_a_line(tmp_path, data, message, line):
    path = tmp_path / "bad.tbx"
    path.write_bytes(data)
    with pytest.raises(GlossaryError, match=message.replace("(", r"\(").replace(")", r"\)")
                       ) as caught:
        import_tbx(path)
    assert caught.value.path == path and caught.value.line == line


def test_a_valid_tbx_without_german_is_refused_not_misread():
    with pytest.raises(GlossaryError, match="conceptEntry 'c1': no German"):
        import_tbx(SAMPLE_TBX)


def test_external_entity_is_refused_and_not_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    path = tmp_path / "xxe.tbx"
    path.write_bytes(tbx_doc(ENTRY.format(de="&xxe;"),
                             f'<!DOCTYPE tbx [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'))
    with pytest.raises(GlossaryError, match="refused") as caught:
        import_tbx(path)
    assert "TOP-SECRET" not in str(caught.value)


def test_billion_laughs_is_refused_quickly(tmp_path):
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    path = tmp_path / "lol.tbx"
    path.write_bytes(tbx_doc(ENTRY.format(de="&lol9;"),
                             "<!DOCTYPE tbx [" + "".join(entities) + "]>\n"))
    started = time.perf_counter()
    with pytest.raises(GlossaryError):
        import_tbx(path)
    assert time.perf_counter() - started < 1


def test_network_dtd_is_refused(tmp_path):
    path = tmp_path / "dtd.tbx"
    path.write_bytes(tbx_doc(ENTRY.format(de="Streik"),
                             '<!DOCTYPE tbx SYSTEM "http://example.invalid/tbx.dtd">\n'))
    with pytest.raises(GlossaryError, match="refused"):
        import_tbx(path)


# --- TBX v2 (ISO 30042:2008, TBX-Basic 2008) -------------------------------------------------

V2_ENTRY = ('<termEntry id="streik"><descrip type="subjectField">film</descrip>'
            '<langSet xml:lang="de"><tig><term>Streik</term>'
            '<termNote type="partOfSpeech">noun</termNote></tig></langSet>'
            '<langSet xml:lang="en"><tig><term>strike</term></tig></langSet></termEntry>')


def v2_doc(entries: str, doctype: str = '<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">\n'
           ) -> bytes:
    return (f'<?xml version="1.0"?>\n{doctype}<martif type="TBX-Basic" xml:lang="de">'
            '<martifHeader><fileDesc><sourceDesc><p>x</p></sourceDesc></fileDesc>'
            f'</martifHeader><text><body>{entries}</body></text></martif>').encode()


@pytest.fixture(scope="module")
def tbx2(concepts) -> bytes:
    return export_tbx(concepts, version="2")


def test_tbx2_export_round_trips_the_term_base(tmp_path, concepts, tbx2):
    assert tbx2.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<!DOCTYPE martif SYSTEM "
                           b'"TBXBasiccoreStructV02.dtd">\n<martif type="TBX-Basic" ')
    assert b"<tig>" in tbx2 and b"TBXBasicXCSV02.xcs" in tbx2 and b"xmlns" not in tbx2
    path = tmp_path / "glossary-v2.tbx"
    path.write_bytes(tbx2)
    assert import_tbx(path) == concepts == read_exchange(path)
    assert export_tbx(import_tbx(path), version="2") == tbx2
    sora = etree.fromstring(tbx2).find(".//termEntry[@id='sora']/langSet/tig")
    assert sora.findtext("termNote[@type='partOfSpeech']") == "properNoun"


def test_tbx2_is_read_by_translate_toolkit(concepts, tbx2):
    """An independent reader: translate-toolkit's TBX store (martif, termEntry, tig)."""
    from translate.storage.tbx import tbxfile

    store = tbxfile.parsestring(tbx2, sourcelanguage="de", targetlanguage="en")
    units = {unit.getid(): unit for unit in store.units}
    by_id = {c.id: c for c in concepts}
    assert len(units) == len(concepts)
    for cid, unit in units.items():
        concept = by_id[cid.removeprefix("_")]
        assert unit.source == concept.de
        assert unit.target == concept.targets["en"]
        terms = [t.text for t in unit.get_target_terms("fr")]
        assert terms[0] == concept.targets["fr"]
        assert [t.text for t in unit.get_source_terms()] == [concept.de, *concept.variants]
    streik = [t for t in units["ki"].get_target_terms("en")]
    assert [(t.text, t.deprecated) for t in streik] == [("AI", False), ("KI", True)]


def test_tbx2_uses_tbx_basic_2008_picklists(tbx2):
    allowed = {
        "partOfSpeech": {"adjective", "noun", "other", "verb", "adverb", "properNoun"},
        "administrativeStatus": {"admittedTerm-admn-sts", "deprecatedTerm-admn-sts",
                                 "supersededTerm-admn-sts", "preferredTerm-admn-sts"},
        "termType": {"fullForm", "acronym", "abbreviation", "shortForm", "variant", "phrase"},
    }
    for note in etree.fromstring(tbx2).iter("termNote"):
        assert note.text in allowed[note.get("type")]


def test_tbx2_foreign_file_and_safe_doctype(tmp_path):
    path = tmp_path / "v2.tbx"
    for doctype in ('<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">\n', "",
                    '<!DOCTYPE martif PUBLIC "ISO 12200:1999A//DTD MARTIF core (DXFcdV04)//EN"'
                    ' "TBXcdv04.dtd">\n'):
        path.write_bytes(v2_doc(V2_ENTRY, doctype))
        [concept] = import_tbx(path)
        assert (concept.id, concept.de, concept.targets, concept.case) == (
            "streik", "Streik", {"en": "strike"}, "any")
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    for doctype, message in [
            (f'<!DOCTYPE martif [<!ENTITY xxe SYSTEM "file://{secret}">]>\n', "refused"),
            (f'<!DOCTYPE martif SYSTEM "{secret}">\n', "refused: the DOCTYPE points into")]:
        path.write_bytes(v2_doc(V2_ENTRY.replace("Streik", "&xxe;"), doctype))
        with pytest.raises(GlossaryError, match=message) as caught:
            import_tbx(path)
        assert "TOP-SECRET" not in str(caught.value)
    path.write_bytes(v2_doc(""))
    with pytest.raises(GlossaryError, match="no termEntry"):
        import_tbx(path)


# --- CSV -------------------------------------------------------------------------------------

def test_csv_round_trip(tmp_path, concepts):
    path = tmp_path / "glossary.csv"
    path.write_text(export_csv(concepts), encoding="utf-8")
    assert import_csv(path) == concepts
    assert read_exchange(path) == concepts
    header = path.read_text(encoding="utf-8").splitlines()[0]
    assert header == "id,de,variants,pos,case,dnt,en,fr,es,avoid,note,domain"


FORMULAS = {"en": "=HYPERLINK(\"http://x.invalid\",\"AI\")", "fr": "+33 cinéma",
            "es": "-1 película", "it": "@SUM(A1)", "pt": "'=já guardado", "nl": "'s-Hertogenbosch"}


def test_csv_guards_formulas_and_round_trips(tmp_path, concepts):
    streik = next(c for c in concepts if c.id == "streik")
    hostile = type(streik)(**{**streik.__dict__, "targets": FORMULAS, "note": "=1+1",
                              "variants": ("-Streik",)})
    text = export_csv([hostile, *(c for c in concepts if c.id != "streik")])
    row = next(r for r in csv.reader(io.StringIO(text)) if r[0] == "streik")
    cells = dict(zip(next(csv.reader(io.StringIO(text))), row, strict=True))
    assert cells["en"] == "'=HYPERLINK(\"http://x.invalid\",\"AI\")"
    assert (cells["fr"], cells["es"], cells["it"], cells["pt"], cells["nl"]) == (
        "'+33 cinéma", "'-1 película", "'@SUM(A1)", "''=já guardado", "'s-Hertogenbosch")
    assert cells["note"] == "'=1+1" and cells["variants"] == "'-Streik"
    assert not any(cell.startswith(("=", "+", "-", "@")) for r in csv.reader(io.StringIO(text))
                   for cell in r)
    path = tmp_path / "hostile.csv"
    path.write_text(text, encoding="utf-8")
    back = {c.id: c for c in import_csv(path)}
    assert back["streik"] == hostile and back["streik"].targets == FORMULAS


@pytest.mark.parametrize("cell", ["", "x", "=", "'", "''", "'=", "'x", "\t1", "\r", "@", "-"])
def test_guard_is_undone_exactly(cell):
    assert unguard_cell(guard_cell(cell)) == cell


def test_csv_quoting_and_domain_option(tmp_path):
    path = tmp_path / "terms.csv"
    path.write_text('id,de,variants,pos,case,dnt,en,fr,es,avoid,note\n'
                    'streik,Streik,,noun,any,no,strike,grève,huelga,,"A ""walkout"", too"\n',
                    encoding="utf-8")
    with pytest.raises(GlossaryError, match="pass --domain"):
        import_csv(path)
    [concept] = import_csv(path, domain="film")
    assert concept.note == 'A "walkout", too' and concept.domain == "film"


def test_csv_errors_name_the_line(tmp_path):
    path = tmp_path / "terms.csv"
    path.write_text("id,de,variants,pos,case,dnt,en,fr,es,avoid,note,domain\n"
                    "streik,Streik,,noun,any,no,strike,grève,huelga,,,film\n"
                    "ausstand,Ausstand,,noun,any,perhaps,strike,grève,huelga,,,film\n",
                    encoding="utf-8")
    with pytest.raises(GlossaryError, match="dnt 'perhaps'") as caught:
        import_csv(path)
    assert caught.value.line == 3
    with pytest.raises(GlossaryError, match="unknown term base format"):
        read_exchange(tmp_path / "terms.xlsx")


# --- merge -----------------------------------------------------------------------------------

def test_merge_adds_updates_and_refuses_conflicts(concepts):
    streik = next(c for c in concepts if c.id == "streik")
    changed = type(streik)(**{**streik.__dict__, "note": "new note"})
    merged, counts = merge(concepts, [streik])
    assert counts == {"added": 0, "updated": 0, "unchanged": 1} and merged == concepts
    with pytest.raises(GlossaryError, match="streik: differs from the entry at .*film.tsv"):
        merge(concepts, [changed])
    merged, counts = merge(concepts, [changed], replace=True)
    assert counts["updated"] == 1 and changed in merged and streik not in merged
    with pytest.raises(GlossaryError, match="twice in the imported file"):
        merge([], [streik, streik])
