"""The ``check`` command on PO, XLIFF and JSONL files, and the pipeline's pseudo output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli

from ..conftest import ROOT

ARTICLE = ROOT / "articles" / "de" / "sora-hollywood.txt"

PO = """\
msgid ""
msgstr ""
"Language: en\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"X-Source-Language: de\\n"

#. paragraph, block 1
#, fuzzy
msgctxt "s1"
msgid "Eine Studie geht davon aus, dass 204.000 Arbeitsplätze verloren gehen."
msgstr "A study assumes that 204.000 jobs will be lost."

#. paragraph, block 2
msgctxt "s2"
msgid "Die Regierung plant, die Ausgaben zu erhöhen."
msgstr "The government plans to increase spending."

#. paragraph, block 3
#, fuzzy
msgctxt "s3"
msgid "Noch nicht übersetzt."
msgstr ""
"""

XLIFF = """\
<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="de" trgLang="fr">
  <file id="f1">
    <unit id="u1">
      <notes><note id="s1.n1" category="pipeline">glossary: ki (flagged)</note></notes>
      <segment id="s1" state="translated">
        <source>Mehr unter https://example.com/studie.</source>
        <target>Plus sur https://example.com/etude.</target>
      </segment>
      <segment id="s2" state="initial">
        <source>Noch offen.</source>
      </segment>
      <segment id="s3" state="reviewed">
        <source>Was?</source>
        <target></target>
      </segment>
    </unit>
  </file>
</xliff>
"""


def _invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def po_file(tmp_path: Path) -> Path:
    path = tmp_path / "article.po"
    path.write_text(PO, encoding="utf-8")
    return path


def test_check_reports_file_line_and_id(po_file: Path) -> None:
    result = _invoke("check", str(po_file))
    assert result.exit_code == 0, result.output
    assert (f"{po_file}:7: error: numbers: 204.000 missing; 204.000 not in source [s1]"
            in result.output)
    assert "s3" not in result.output  # fuzzy and empty: not claimed as translated
    assert result.output.rstrip().endswith("2 segments in 1 file: 1 error, 0 warnings")


def test_check_strict_exits_1_on_errors(po_file: Path, tmp_path: Path) -> None:
    assert _invoke("check", "--strict", str(po_file)).exit_code == 1
    clean = tmp_path / "clean.po"
    clean.write_text(PO.replace("204.000 jobs", "204,000 jobs"), encoding="utf-8")
    assert _invoke("check", "--strict", str(clean)).exit_code == 0


def test_check_json_output_parses(po_file: Path) -> None:
    result = _invoke("check", "--json", str(po_file))
    data = json.loads(result.output)
    assert data["summary"] == {"files": 1, "segments": 2, "errors": 1, "warnings": 0,
                               "glossary": "glossary"}
    [finding] = data["findings"]
    assert finding["check"] == "numbers" and finding["id"] == "s1" and finding["line"] == 7


def test_check_untranslated_non_fuzzy_is_an_error(po_file: Path) -> None:
    po_file.write_text(PO.replace('#, fuzzy\nmsgctxt "s3"', 'msgctxt "s3"'), encoding="utf-8")
    result = _invoke("check", "--json", str(po_file))
    checks = {(f["id"], f["check"]) for f in json.loads(result.output)["findings"]}
    assert ("s3", "untranslated") in checks


def test_check_xliff(tmp_path: Path) -> None:
    path = tmp_path / "article.xlf"
    path.write_text(XLIFF, encoding="utf-8")
    result = _invoke("check", "--json", str(path))
    found = {(f["id"], f["check"], f["severity"]) for f in json.loads(result.output)["findings"]}
    # the note of the run that wrote the file is not replayed: its source has no term
    assert found == {("s1", "urls", "error"), ("s3", "untranslated", "error")}
    text = _invoke("check", str(path)).output
    assert f"{path}:8: error: urls: https://example.com/studie missing" in text


BROKEN_CODES = """\
<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="de" trgLang="fr">
  <file id="f1">
    <unit id="u1">
      <originalData><data id="d1">&lt;b&gt;</data></originalData>
      <segment id="s1" state="translated">
        <source><sc id="1" dataRef="d1"/>Fett.</source>
        <target><sc id="1" dataRef="d1" isolated="yes"/>Gras.</target>
      </segment>
      <segment id="s2" state="translated">
        <source>Da.<ph id="2" dataRef="d9"/></source>
        <target>Là.</target>
      </segment>
    </unit>
  </file>
</xliff>
"""


def test_check_xliff_inline_codes(tmp_path: Path) -> None:
    """An XLIFF 2 file's codes are checked too: even a file too broken to read (a dataRef
    naming no data) is reported, one line per problem; --strict fails on them."""
    path = tmp_path / "codes.xlf"
    path.write_text(BROKEN_CODES, encoding="utf-8")
    result = _invoke("check", "--strict", str(path))
    assert result.exit_code == 1, result.output
    assert (f"{path}:7: error: xliff-codes: <sc id='1'> needs exactly one <ec startRef='1'> "
            "after it in the unit's sources") in result.output
    assert f"{path}:11: error: xliff-codes: dataRef='d9' names no <data>" in result.output
    skipped = _invoke("check", "--skip", "xliff-codes", str(path))
    assert skipped.exit_code == 1 and "names no <data> of the unit" in skipped.output


def test_check_finds_no_code_problem_in_our_own_xliff(tmp_path: Path) -> None:
    out = tmp_path / "out"
    page = tmp_path / "seite.html"
    page.write_text('<p>Ein <b>fetter <a href="/x">Link. Und</a> mehr</b>.<br></p>',
                    encoding="utf-8")
    assert _invoke("run", str(page), "--to", "fr", "--engine", "pseudo", "--out", str(out),
                   "--no-glossary", "--quiet").exit_code == 0
    assert b"<sc " in (out / "fr" / "seite.xlf").read_bytes()
    result = _invoke("check", "--json", str(out / "fr" / "seite.xlf"))
    assert [f for f in json.loads(result.output)["findings"] if f["check"] == "xliff-codes"] == []


def test_check_jsonl_and_skip(tmp_path: Path) -> None:
    path = tmp_path / "article.jsonl"
    record = {"id": "s1", "source": "Er war da.", "target": "He was there",
              "source_lang": "de", "target_lang": "en", "fuzzy": True, "notes": []}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert "endpunc" in _invoke("check", str(path)).output
    assert "endpunc" not in _invoke("check", "--skip", "endpunc", str(path)).output


def test_check_verbatim_tweet_is_not_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "article.jsonl"
    text = "Un-believable, 2 WEEKS after 1,500 people left."
    record = {"id": "s1", "source": text, "target": text, "target_lang": "en",
              "notes": ["tweet kept verbatim (already in en)"]}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert "0 errors, 0 warnings" in _invoke("check", str(path)).output


def test_check_needs_a_target_language(po_file: Path) -> None:
    po_file.write_text(PO.replace('"Language: en\\n"\n', ""), encoding="utf-8")
    result = _invoke("check", str(po_file))
    assert result.exit_code == 1 and "no target language" in result.output
    assert _invoke("check", "--to", "en", str(po_file)).exit_code == 0


def test_check_unknown_format(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text("a,b\n", encoding="utf-8")
    result = _invoke("check", str(path))
    assert result.exit_code == 1 and "unknown format" in result.output


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_pseudo_run_of_the_sample_article_has_no_errors(tmp_path: Path, lang: str) -> None:
    from pipeline.mt.pseudo import PseudoEngine
    from pipeline.run.runner import RunOptions, run

    [result] = run([ARTICLE], RunOptions(targets=(lang,), out_dir=tmp_path, quiet=True),
                   PseudoEngine(quiet=True))
    files = [result.paths.po, result.paths.jsonl, result.paths.xliff]
    output = _invoke("check", "--strict", "--json", *map(str, files))
    data = json.loads(output.output)
    assert data["summary"]["errors"] == 0, [f for f in data["findings"]
                                            if f["severity"] == "error"]
    assert data["summary"]["segments"] == len(files) * result.segments
    assert output.exit_code == 0


# --- eval ------------------------------------------------------------------------------------

REF_PO = """\
msgid ""
msgstr ""
"Language: en\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Die Regierung plant,  die Ausgaben zu erhöhen."
msgstr "The government plans to raise spending."

msgid "Eine Studie geht davon aus, dass 204.000 Arbeitsplätze verloren gehen."
msgstr "A study expects 204,000 jobs to be lost."

msgid "Nicht im Artikel."
msgstr "Not in the article."
"""


def test_eval_po_reference_without_msgctxt_aligns_by_source(po_file: Path,
                                                            tmp_path: Path) -> None:
    pytest.importorskip("sacrebleu")
    ref = tmp_path / "reference.po"
    ref.write_text(REF_PO, encoding="utf-8")
    result = _invoke("eval", "--hyp", str(po_file), "--ref", str(ref), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [s["id"] for s in data["per_segment"]] == ["s1", "s2"]
    assert data["missing"] == ["s3"] and data["extra"] == ["Nicht im Artikel."]
    assert "German msgid" in _invoke("eval", "--help").output


def test_eval_errors_name_the_files(po_file: Path, tmp_path: Path) -> None:
    pytest.importorskip("sacrebleu")
    lines, empty, other = tmp_path / "ref.txt", tmp_path / "empty.txt", tmp_path / "other.xlf"
    lines.write_text("One line.\n", encoding="utf-8")
    empty.write_text("", encoding="utf-8")
    other.write_text(XLIFF, encoding="utf-8")  # s2 has no target there
    only_s2 = tmp_path / "s2.jsonl"
    only_s2.write_text(json.dumps({"id": "s2", "target": "Still open."}) + "\n",
                       encoding="utf-8")
    cases = [
        (po_file, lines, f"error: {lines}: the reference has 1 line but {po_file} has "
                         "3 segments; they must align one to one"),
        (empty, lines, f"error: {empty}: nothing to score: no segments"),
        (only_s2, other, f"error: {other}: nothing to score: none of the 1 segment of "
                         f"{only_s2} has a reference"),
    ]
    for hyp, ref, message in cases:
        result = _invoke("eval", "--hyp", str(hyp), "--ref", str(ref))
        assert result.exit_code == 1 and message in result.output, result.output


# --- the glossary check reads the current texts ----------------------------------------------

def _glossary_findings(path: Path, *extra: str) -> list[str]:
    result = _invoke("check", "--json", "--glossary", str(ROOT / "glossary"), *extra, str(path))
    assert result.exit_code == 0, result.output
    return [f["message"] for f in json.loads(result.output)["findings"]
            if f["check"] == "glossary"]


@pytest.fixture
def machine_po(tmp_path: Path) -> Path:
    """A run's PO whose one sentence has the term Regisseure flagged (the fake engine keeps
    the German), and the name OpenAI kept."""
    from pipeline.run.runner import RunOptions, run
    from pipeline.testing.fake_engine import FakeEngine

    article = tmp_path / "a.txt"
    article.write_text("OpenAI und die Regisseure wollen KI.\n", encoding="utf-8")
    [result] = run([article], RunOptions(targets=("en",), out_dir=tmp_path / "o", quiet=True,
                                         glossary=ROOT / "glossary"), FakeEngine())
    return result.paths.po


def _edit(po_path: Path, text: str) -> None:
    import polib

    catalog = polib.pofile(str(po_path))
    catalog[0].msgstr, catalog[0].flags = text, []
    catalog.save(str(po_path))


def test_check_names_the_german_and_the_expected_words(machine_po: Path) -> None:
    assert "glossary: Regisseure → director (flagged)" in machine_po.read_text("utf-8")
    assert _glossary_findings(machine_po) == [
        "term not translated as the glossary requires: Regisseure → director"]


def test_check_after_a_corrected_term_finds_nothing(machine_po: Path) -> None:
    _edit(machine_po, "OpenAI and the directors want AI.")
    assert _glossary_findings(machine_po) == []  # the run's flagged note is not replayed


def test_check_after_a_deleted_name_finds_it(machine_po: Path) -> None:
    _edit(machine_po, "The directors want AI.")
    assert _glossary_findings(machine_po) == [
        "term not translated as the glossary requires: OpenAI → OpenAI"]


def test_check_counts_inflected_and_listed_forms(tmp_path: Path) -> None:
    folder = tmp_path / "terms"
    folder.mkdir()
    (folder / "film.tsv").write_text(
        "id\tde\tvariants\tpos\tcase\tdnt\ten\tfr\tfr_variants\tes\tavoid\tnote\n"
        "regisseur\tRegisseur\tRegisseurin\tnoun\tany\tno\tdirector\tréalisateur\t"
        "f=réalisatrice|f.pl=réalisatrices\tdirector\t\t\n", encoding="utf-8")
    path = tmp_path / "a.jsonl"
    rows = [("s1", "Die Regisseurinnen streiken.", "Les réalisatrices font grève."),
            ("s2", "Die Regisseure streiken.", "Les réalisateurs font grève."),
            ("s3", "Die Regisseure streiken.", "Les metteurs en scène font grève.")]
    path.write_text("".join(json.dumps({"id": i, "source": s, "target": t, "target_lang": "fr"})
                            + "\n" for i, s, t in rows), encoding="utf-8")
    result = _invoke("check", "--json", "--glossary", str(folder), str(path))
    found = [(f["id"], f["message"]) for f in json.loads(result.output)["findings"]
             if f["check"] == "glossary"]
    assert found == [("s3", "term not translated as the glossary requires: "
                            "Regisseure → réalisateur")]


def test_check_without_a_term_base_says_so(machine_po: Path, tmp_path: Path,
                                          monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["check", "--json", str(machine_po)])
    assert json.loads(result.stdout)["summary"]["glossary"] is None
    assert "glossary check skipped" in result.stderr
    assert _glossary_findings(machine_po, "--no-glossary") == []
