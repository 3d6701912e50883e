"""Target-side inflection: terms found in their inflected and listed forms (per language),
listed forms (``fr_variants``) in TSV, CSV and TBX, and repairs that agree with the source."""

from __future__ import annotations

import pytest

from pipeline.glossary import find_terms, load_glossary
from pipeline.glossary.enforcement import enforce
from pipeline.glossary.exchange import export_csv, export_tbx, import_csv, import_tbx, validate_tbx
from pipeline.glossary.inflect import (
    Gender,
    Number,
    TargetForm,
    parse_forms,
    render_forms,
    source_gender,
    source_number,
    term_spans,
)
from pipeline.glossary.lint import lint_folder
from pipeline.glossary.termbase import load_file, render_tsv
from pipeline.model.annotations import TermAction
from pipeline.model.errors import GlossaryError

from ..conftest import ROOT

HEADER = "id\tde\tvariants\tpos\tcase\tdnt\ten\tfr\tfr_variants\tes\tes_variants\tavoid\tnote"
ROWS = [
    "arbeit\tArbeit\t\tnoun\tany\tno\twork\ttravail\tpl=travaux\ttrabajo\t\tfr=labeur\t",
    "generative-ki\tgenerative KI\t\tnoun\tany\tno\tgenerative AI\tIA générative\t\t"
    "IA generativa\t\t\t",
    "regisseur\tRegisseur\tRegisseurin\tnoun\tany\tno\tdirector\tréalisateur\t"
    "pl=réalisateurs|f=réalisatrice|f.pl=réalisatrices\tdirector\t"
    "pl=directores|f=directora|f.pl=directoras\ten=regisseur|fr=régisseur|es=regidor\t",
    "schauspieler\tSchauspieler\t\tnoun\tany\tno\tactor\tacteur\tpl=acteurs\tactor\t\t"
    "en=player|fr=comédien\t",
]


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "film.tsv").write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    return tmp_path


@pytest.fixture
def glossary(folder):
    return load_glossary(folder)


def _enforce(glossary, german, target, lang):
    return enforce(find_terms(glossary, german), target, lang)


# --- the cell format -------------------------------------------------------------------------

def test_forms_cell_round_trips_and_names_its_tags():
    forms = parse_forms("pl=réalisateurs|pl.f=réalisatrices|f=réalisatrice")
    assert forms == (TargetForm("réalisateurs", Number.PL),
                     TargetForm("réalisatrices", Number.PL, Gender.F),
                     TargetForm("réalisatrice", None, Gender.F))
    assert render_forms(forms) == "pl=réalisateurs|f.pl=réalisatrices|f=réalisatrice"
    assert parse_forms(render_forms(forms)) == forms


@pytest.mark.parametrize("cell", ["réalisateurs", "=x", "pl=", "du=x", "pl.sg=x", "m.f=x"])
def test_a_bad_forms_cell_is_an_error(cell):
    with pytest.raises(GlossaryError, match="tags=text"):
        parse_forms(cell)


def test_tsv_with_variant_columns_loads_and_writes_back_unchanged(folder):
    concepts = load_file(folder / "film.tsv")
    regisseur = next(c for c in concepts if c.id == "regisseur")
    assert regisseur.target_forms("fr") == ("réalisateur", "réalisateurs", "réalisatrice",
                                            "réalisatrices")
    assert regisseur.target_forms("en") == ("director",)
    assert "fr_variants" not in regisseur.targets
    langs = ("en", "fr", "fr_variants", "es", "es_variants")
    assert render_tsv(concepts, langs) == (folder / "film.tsv").read_text(encoding="utf-8")
    assert lint_folder(folder) == []


def test_a_variants_column_needs_its_language(tmp_path):
    (tmp_path / "a.tsv").write_text("id\tde\tvariants\tpos\tcase\tdnt\ten\tfr\tes\tit_variants"
                                    "\tavoid\tnote\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match="'it_variants' is not a"):
        load_file(tmp_path / "a.tsv")


def test_lint_checks_the_listed_forms(tmp_path):
    rows = ["ki\tKI\t\tnoun\texact\tno\tAI\tIA\tpl=IA|pl=IA|sg=IA\tIA\t\tfr=KI\t",
            "sora\tSora\t\tname\texact\tyes\tSora\tSora\tpl=Soras\tSora\t\t\t",
            "x\tX\t\tnoun\tany\tno\tx\t\tpl=xs|f=bad\tx\t\tfr=bad\t"]
    (tmp_path / "a.tsv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    messages = [i.message for i in lint_folder(tmp_path)]
    assert "ki: fr variant pl=IA is listed twice (or is the target)" in messages
    assert "ki: fr variant sg=IA is listed twice (or is the target)" in messages
    assert "sora: fr_variants: a dnt name does not inflect" in messages
    assert "x: fr_variants: no fr target to vary" in messages
    assert "x: fr variant 'bad' is also in avoid" in messages


def test_variants_travel_through_csv_and_tbx_unchanged(folder, tmp_path):
    concepts = load_file(folder / "film.tsv")
    tbx = export_tbx(concepts)
    assert validate_tbx(tbx, ROOT / "schemas" / "tbx" /
                        "TBXcoreStructV03_TBX-Basic_integrated.rng") == []
    assert b'<termNote type="grammaticalGender">feminine</termNote>' in tbx
    assert b"<note>glossary: form=f.pl</note>" in tbx
    (tmp_path / "t.tbx").write_bytes(tbx)
    assert import_tbx(tmp_path / "t.tbx") == concepts
    (tmp_path / "t.csv").write_text(export_csv(concepts), encoding="utf-8")
    assert "fr_variants" in (tmp_path / "t.csv").read_text(encoding="utf-8").splitlines()[0]
    assert import_csv(tmp_path / "t.csv") == concepts


# --- recognition -----------------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "term", "text", "found"), [
    ("en", "director", "Two Directors and the director's chair.", ["Directors", "director"]),
    ("en", "company", "AI companies", ["companies"]),
    ("en", "image generator", "generative images", []),  # generat- is not one word family
    ("fr", "IA générative", "les IA génératives", ["IA génératives"]),
    ("fr", "réalisateur", "les réalisateurs", ["réalisateurs"]),
    ("fr", "réalisateur", "la réalisatrice", []),  # a gender pair of nouns needs a variant
    ("fr", "générateur d'images", "des générateurs d’images", ["générateurs d’images"]),
    ("fr", "génératif", "générateur", []),  # Snowball's stem géner- alone would say yes
    ("fr", "IA", "l'IA", ["IA"]),
    ("es", "acción", "las acciones", ["acciones"]),
    ("es", "director", "la directora y los directores", ["directora", "directores"]),
    ("es", "inteligencia artificial", "inteligencias artificiales",
     ["inteligencias artificiales"]),
])
def test_terms_are_recognised_in_their_inflected_forms(lang, term, text, found):
    assert [text[a:b] for a, b in term_spans([term], text, lang)] == found


def test_listed_variants_count_as_the_term(glossary):
    text, decisions = _enforce(glossary, "Die Arbeiten der Regisseurinnen.",
                               "Les travaux des réalisatrices.", "fr")
    assert text == "Les travaux des réalisatrices."
    assert [d.action for d in decisions] == [TermAction.PRESENT, TermAction.PRESENT]


# --- agreement -------------------------------------------------------------------------------

@pytest.mark.parametrize(("surface", "number"), [
    ("Regisseur", Number.SG), ("Regisseure", Number.PL), ("Regisseuren", Number.PL),
    ("Regisseurinnen", Number.PL), ("Regisseurs", None), ("Algorithmen", Number.PL),
    ("Algorithmus", Number.SG), ("Schauspieler", None), ("Journalisten", None),
    ("Experten", None), ("Bilder", Number.PL), ("Streikes", Number.SG)])
def test_the_number_a_german_hit_shows(surface, number):
    forms = {"Regisseur": ("Regisseur", "Regisseurin"), "Algorithm": ("Algorithmus",),
             "Schauspiel": ("Schauspieler",), "Journalist": ("Journalist",),
             "Expert": ("Experte",), "Bild": ("Bild",), "Streik": ("Streik",)}
    head = next(forms[k] for k in forms if surface.startswith(k))
    assert source_number(surface, head) is number


def test_the_gender_a_german_hit_shows():
    assert source_gender("Regisseurin", ("Regisseur",)) is Gender.F
    assert source_gender("Regisseurinnen", ("Regisseur", "Regisseurin")) is Gender.F
    assert source_gender("Regisseure", ("Regisseur",)) is None
    assert source_gender("Disziplinen", ("Disziplin",)) is None


@pytest.mark.parametrize(("lang", "german", "machine", "repaired"), [
    # plural for plural, from the German form
    ("fr", "Die Regisseure streiken.", "Les régisseur font grève.",
     "Les réalisateurs font grève."),
    ("es", "Die Regisseure streiken.", "Los regidor hacen huelga.",
     "Los directores hacen huelga."),
    ("en", "Die Regisseure streiken.", "The regisseur strike.", "The director strike."),
    # singular stays singular even where the wrong rendering was plural
    ("fr", "Der Regisseur streikt.", "Les régisseurs font grève.",
     "Les réalisateur font grève."),
    # feminine for feminine, singular and plural
    ("fr", "Die Regisseurin streikt.", "La régisseur fait grève.",
     "La réalisatrice fait grève."),
    ("es", "Die Regisseurin streikt.", "La regidor hace huelga.",
     "La directora hace huelga."),
    ("fr", "Die Regisseurinnen streiken.", "Les régisseurs font grève.",
     "Les réalisatrices font grève."),
    ("es", "Die Regisseurinnen streiken.", "Las regidores hacen huelga.",
     "Las directoras hacen huelga."),
    # the German form does not tell (die Schauspieler): the wrong rendering's ending does
    ("fr", "Die Schauspieler streiken.", "Les comédiens font grève.",
     "Les acteurs font grève."),
    ("en", "Die Schauspieler streiken.", "The players strike.", "The actors strike."),
    # an irregular plural comes from the listed form, never from an added -s
    ("fr", "Die Arbeiten ruhen.", "Les labeurs reposent.", "Les travaux reposent."),
    # capitalised as the wrong rendering was
    ("fr", "Regisseure streiken.", "Régisseurs en grève.", "Réalisateurs en grève."),
])
def test_a_wrong_rendering_is_replaced_by_the_agreeing_form(glossary, lang, german, machine,
                                                            repaired):
    text, decisions = _enforce(glossary, german, machine, lang)
    assert text == repaired
    assert [d.action for d in decisions] == [TermAction.REPLACED]


def test_without_listed_forms_the_wrong_renderings_ending_is_kept():
    glossary = load_glossary(ROOT / "glossary")
    text, _ = _enforce(glossary, "Die Regisseure wollen KI.", "Die regisseurs wollen KI.", "en")
    assert text == "Die directors wollen AI."
