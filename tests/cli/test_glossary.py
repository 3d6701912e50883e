"""``python -m pipeline glossary``: list, add, remove, lint, export, import through click."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.cli.glossary import glossary
from pipeline.glossary import find_terms, load_glossary
from pipeline.glossary.exchange import validate_tbx

from ..conftest import ROOT

assert cli.commands["glossary"] is glossary

NEW = ["warnstreik", "--de", "Warnstreik", "--en", "warning strike",
       "--fr", "grève d'avertissement", "--es", "huelga de advertencia", "--domain", "film"]


@pytest.fixture
def base(tmp_path):
    folder = tmp_path / "glossary"
    shutil.copytree(ROOT / "glossary", folder, ignore=shutil.ignore_patterns("*.md"))
    return folder


def invoke(base, *args):
    return CliRunner().invoke(cli, ["glossary", "--dir", str(base), *map(str, args)])


def snapshot(base) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(base.glob("*.tsv"))}


def test_list_plain_json_and_domain(base):
    result = invoke(base, "list")
    assert result.exit_code == 0
    assert any(line.startswith("ki ") and "KI → en: AI | fr: IA | es: IA" in line
               for line in result.stdout.splitlines())
    rows = json.loads(invoke(base, "list", "--json", "--domain", "names").stdout)
    assert len(rows) == 63 and all(r["dnt"] and r["domain"] == "names" for r in rows)
    atlanta = next(r for r in rows if r["id"] == "atlanta")
    assert atlanta["targets"] == {"en": "Atlanta", "fr": "Atlanta", "es": "Atlanta"}


def test_add_writes_sorted_and_lint_clean(base):
    result = invoke(base, "add", *NEW, "--variants", "Warnstreiks-Welle|Ausstand",
                    "--avoid", "en=warn strike", "--note", "Short strike.")
    assert result.exit_code == 0, result.output
    ids = [line.split("\t")[0] for line in (base / "film.tsv").read_text().splitlines()[1:]]
    assert ids == sorted(ids) and "warnstreik" in ids
    concept = load_glossary(base).get("warnstreik")
    assert concept.variants == ("Warnstreiks-Welle", "Ausstand")
    assert concept.avoid == {"en": ("warn strike",)} and (concept.pos, concept.case) == ("noun",
                                                                                     "any")
    assert invoke(base, "lint").exit_code == 0
    assert [h.concept.id for h in find_terms(load_glossary(base), "Die Warnstreiks")] == [
        "warnstreik"]


def test_add_a_name_defaults_to_names_exact(base):
    result = invoke(base, "add", "perplexity", "--de", "Perplexity", "--en", "Perplexity",
                    "--fr", "Perplexity", "--es", "Perplexity", "--dnt")
    assert result.exit_code == 0, result.output
    concept = load_glossary(base).get("perplexity")
    assert (concept.domain, concept.pos, concept.case, concept.dnt) == ("names", "name",
                                                                        "exact", True)


@pytest.mark.parametrize(("args", "message"), [
    (["ki", "--de", "K.I.", "--en", "AI", "--fr", "IA", "--es", "IA", "--domain", "ai"],
     "ki: already at"),
    (["arbeitskampf", "--de", "streik", "--en", "x", "--fr", "x", "--es", "x", "--domain",
      "film"], "German term 'streik' is also in 'streik'"),
    (NEW[:-2], "--domain is required (domains: ai, film, genai, industry, labour, names, "
               "platforms, production, regulation)"),
    (["Bad_Id", *NEW[1:]], "is not a lowercase ASCII slug"),
    ([*NEW, "--avoid", "xx=foo"], "avoid: 'xx' is not a language code"),
    ([*NEW, "--dnt", "--pos", "noun"], "dnt=yes but pos=noun"),
])
def test_add_refuses_and_leaves_files_alone(base, args, message):
    before = snapshot(base)
    result = invoke(base, "add", *args)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert snapshot(base) == before


def test_add_replace_updates(base):
    result = invoke(base, "add", "streik", "--de", "Streik", "--en", "strike", "--fr", "grève",
                    "--es", "huelga", "--note", "Labour dispute.", "--replace")
    assert result.exit_code == 0, result.output
    assert load_glossary(base).get("streik").note == "Labour dispute."


def test_remove(base):
    assert invoke(base, "remove", "streik").exit_code == 0
    assert load_glossary(base).get("streik") is None
    result = invoke(base, "remove", "streik")
    assert result.exit_code == 1 and "no concept 'streik'" in result.stderr


def test_lint_prints_path_line_severity_and_exits_1_on_errors(base):
    result = invoke(base, "lint")
    assert result.exit_code == 0 and result.stdout == ""
    assert "0 error(s), 0 warning(s)" in result.stderr
    path = base / "film.tsv"
    lines = path.read_text().splitlines()
    lines.insert(1, lines[1].replace("\tnoun\t", "\tnoun\t", 1).replace("3D modeling", ""))
    path.write_text("\n".join(lines) + "\n")
    result = invoke(base, "lint")
    assert result.exit_code == 1
    assert f"{path}:2: warning: 3d-modellierung: missing en target" in result.stdout.splitlines()
    assert f"{path}:3: error: 3d-modellierung: duplicate id (first at {path}:2)" in result.stdout


def test_export_tbx_and_csv(base, tmp_path):
    out = tmp_path / "out.tbx"
    result = invoke(base, "export", "-o", out)
    assert result.exit_code == 0, result.output
    assert validate_tbx(out.read_bytes(),
                        ROOT / "schemas/tbx/TBXcoreStructV03_TBX-Basic_integrated.rng") == []
    result = invoke(base, "export", "--format", "csv", "-o", "-", "--domain", "names")
    assert result.stdout.splitlines()[0].endswith(",avoid,note,domain")
    assert len(result.stdout.splitlines()) == 64
    result = invoke(base, "export", "-o", tmp_path / "out.txt")
    assert result.exit_code == 1 and "--format tbx, tbx2 or csv" in result.stderr


@pytest.mark.parametrize("fmt", ["tbx", "csv"])
def test_import_adds_updates_and_refuses_conflicts(base, tmp_path, fmt):
    exported = tmp_path / f"all.{fmt}"
    assert invoke(base, "export", "-o", exported).exit_code == 0
    assert invoke(base, "remove", "streik").exit_code == 0
    result = invoke(base, "import", exported)
    assert result.exit_code == 0, result.output
    assert "1 added, 0 updated, 392 unchanged" in result.stdout
    assert snapshot(base) == snapshot(ROOT / "glossary")

    assert invoke(base, "add", "streik", "--de", "Streik", "--en", "walkout", "--fr", "grève",
                  "--es", "huelga", "--replace").exit_code == 0
    before = snapshot(base)
    result = invoke(base, "import", exported)
    assert result.exit_code == 1 and "streik: differs from the entry" in result.stderr
    assert "--replace" in result.stderr and snapshot(base) == before
    result = invoke(base, "import", exported, "--replace")
    assert result.exit_code == 0 and "1 updated" in result.stdout
    assert load_glossary(base).get("streik").targets["en"] == "strike"


def test_import_into_a_new_domain_and_folder(base, tmp_path):
    exported = tmp_path / "names.csv"
    assert invoke(base, "export", "-o", exported, "--domain", "names").exit_code == 0
    fresh = tmp_path / "fresh"
    result = invoke(fresh, "import", exported, "--domain", "brands")
    assert result.exit_code == 0, result.output
    assert [p.name for p in fresh.glob("*.tsv")] == ["brands.tsv"]
    assert len(load_glossary(fresh).concepts) == 63


def test_importing_the_group_stays_light():
    code = ("import sys; import pipeline.cli.glossary; "
            "print([m for m in ('lxml', 'babel', 'snowballstemmer') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_two_people_adding_terms_at_once_both_keep_their_term(tmp_path, base):
    """The second ``glossary add`` waits for the first (stopped with the lock held, before
    it replaces the file) instead of overwriting the file with a base that lacks its term."""
    from ..store.child import Child, run_cli

    domain = sorted(base.glob("*.tsv"))[0].stem

    def add(concept: str, de: str) -> list[str]:
        return ["glossary", "--dir", base, "add", concept, "--de", de, "--en", concept,
                "--fr", concept, "--es", concept, "--domain", domain]

    first = Child(*add("zz-prompt-test", "Testprompt"), scratch=tmp_path, out=base, resume=True,
                  STOP_REPLACE="1")
    try:
        assert first.stopped().startswith("replace 1 ")
        second = Child(*add("zz-modell-test", "Testmodell"), scratch=tmp_path,
                       out=tmp_path / "none")
        try:
            said = ""
            while "waiting for another process" not in said:
                said += second.process.stderr.readline()
                assert said or second.process.poll() is None
            first.resume()
            assert first.finish().returncode == 0
            assert second.finish().returncode == 0
        finally:
            second.close()
    finally:
        first.close()
    ids = {c.id for c in load_glossary(base).concepts}
    assert {"zz-modell-test", "zz-prompt-test"} <= ids
    assert run_cli("glossary", "--dir", base, "lint").returncode == 0


def test_add_any_subset_of_target_languages(base):
    result = invoke(base, "add", "kurzfilmfestival", "--de", "Kurzfilmfestival", "--en",
                    "short film festival", "--target", "it=festival del cortometraggio",
                    "--domain", "film")
    assert result.exit_code == 0, result.output
    concept = load_glossary(base).get("kurzfilmfestival")
    assert concept.targets == {"en": "short film festival", "it": "festival del cortometraggio"}
    assert (base / "film.tsv").read_text().splitlines()[0].split("\t")[6:10] == [
        "en", "fr", "es", "it"]
    lint = invoke(base, "lint")
    assert lint.exit_code == 0
    assert "warning: kurzfilmfestival: missing fr target" in lint.stdout
    assert "warning: kurzfilmfestival: missing es target" in lint.stdout
    named = invoke(base, "add", "diagonale", "--de", "Diagonale", "--dnt")
    assert named.exit_code == 0, named.output
    assert load_glossary(base).get("diagonale").targets == dict.fromkeys(("en", "fr", "es"),
                                                                         "Diagonale")


@pytest.mark.parametrize(("args", "message"), [
    (["kinosaal", "--de", "Kinosaal", "--domain", "film"], "kinosaal: no target in any language"),
    (["kinosaal", "--de", "Kinosaal", "--target", "it", "--domain", "film"],
     "--target 'it' is not LANG=TERM"),
    (["kinosaal", "--de", "Kinosaal", "--target", "qq=sala", "--domain", "film"],
     "target: 'qq' is not a language code"),
])
def test_add_refuses_no_target_and_bad_languages(base, args, message):
    before = snapshot(base)
    result = invoke(base, "add", *args)
    assert result.exit_code == 1 and message in result.stderr
    assert snapshot(base) == before


def test_add_concept_library_call_as_the_workspace_makes_it(base):
    """The review workspace passes every language, empty where the reviewer left it."""
    from pipeline.glossary.upkeep import add_concept

    added = add_concept(base, "kinosaal", "Kinosaal", {"en": "auditorium", "fr": "", "es": ""},
                        domain="film")
    assert added.concept.targets == {"en": "auditorium"} and not added.replaced


def test_export_and_import_tbx2(base, tmp_path):
    out = tmp_path / "v2.tbx"
    result = invoke(base, "export", "--format", "tbx2", "-o", out)
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<!DOCTYPE martif")
    assert invoke(base, "remove", "streik").exit_code == 0
    result = invoke(base, "import", out)
    assert result.exit_code == 0, result.output
    assert "1 added" in result.stdout and snapshot(base) == snapshot(ROOT / "glossary")
