"""The term base: loading, lint, German matching, post-MT enforcement, steering, the report."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.formats.notes import term_note
from pipeline.glossary import (
    Concept,
    check_target,
    enforce,
    find_terms,
    lint_folder,
    load_glossary,
    render_term_report,
    steer_terms,
    term_report,
)
from pipeline.glossary.enforcement import DEFAULT_STRATEGY, STRATEGIES
from pipeline.model.annotations import TermAction, TermDecision
from pipeline.model.errors import GlossaryError

from ..conftest import ROOT, SAMPLE

HEADER = "id\tde\tvariants\tpos\tcase\tdnt\ten\tfr\tes\tavoid\tnote"


@pytest.fixture(scope="module")
def glossary():
    return load_glossary(ROOT / "glossary")


def row(cid="streik", de="Streik", variants="", pos="noun", case="any", dnt="no", en="strike",
        fr="grève", es="huelga", avoid="", note="") -> str:
    return "\t".join([cid, de, variants, pos, case, dnt, en, fr, es, avoid, note])


def write_base(folder: Path, *rows: str, name="film.tsv", header=HEADER) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def hits_of(glossary, text):
    return [(h.surface, h.concept.id) for h in find_terms(glossary, text)]


# --- loading ---------------------------------------------------------------------------------

def test_loads_the_shipped_term_base(glossary):
    assert len(glossary.concepts) == 393
    assert {c.domain for c in glossary.concepts} == {"ai", "film", "genai", "industry", "labour",
                                                     "names", "platforms", "production",
                                                     "regulation"}
    ki = glossary.get("ki")
    assert (ki.de, ki.case, ki.dnt, ki.targets) == ("KI", "exact", False,
                                                    {"en": "AI", "fr": "IA", "es": "IA"})
    assert ki.avoid == {"en": ("KI",), "fr": ("KI", "AI"), "es": ("KI", "AI")}
    assert ki.path == ROOT / "glossary" / "ai.tsv" and ki.line > 1
    assert glossary.get("kreativwirtschaft").variants == ("Kreativbranche", "Kreativindustrie")
    assert glossary.get("openai").dnt and glossary.get("openai").pos == "name"


def test_concepts_compare_without_their_origin(glossary):
    ki = glossary.get("ki")
    same = Concept(**{**ki.__dict__, "path": Path("elsewhere.tbx"), "line": 99})
    assert same == ki


def test_extra_language_columns_are_targets(tmp_path):
    header = HEADER.replace("\tes\t", "\tes\tit\t")
    write_base(tmp_path, row() .replace("\thuelga\t", "\thuelga\tsciopero\t"), header=header)
    concept = load_glossary(tmp_path).get("streik")
    assert concept.targets == {"en": "strike", "fr": "grève", "es": "huelga", "it": "sciopero"}


@pytest.mark.parametrize(("line", "message"), [
    (row() + "\textra", "expected 11 columns, found 12"),
    (row(dnt="maybe"), "dnt 'maybe' is not yes or no"),
    (row(pos="thing"), "pos 'thing'"),
    (row(case="upper"), "case 'upper'"),
    (row(cid="Streik"), "not a lowercase ASCII slug"),
    (row(avoid="en"), "not lang=text"),
])
def test_bad_rows_are_errors_with_path_and_line(tmp_path, line, message):
    path = write_base(tmp_path, row(cid="arbeit", de="Arbeit"), line)
    with pytest.raises(GlossaryError, match=re.escape(message)) as caught:
        load_glossary(tmp_path)
    assert (caught.value.path, caught.value.line) == (path, 3)


def test_bad_header_and_duplicate_ids_across_files(tmp_path):
    write_base(tmp_path / "h", row(), header=HEADER.replace("\tdnt\t", "\tdo-not\t"))
    with pytest.raises(GlossaryError, match="header must be") as caught:
        load_glossary(tmp_path / "h")
    assert caught.value.line == 1
    write_base(tmp_path / "d", row(), name="a.tsv")
    second = write_base(tmp_path / "d", row(de="Arbeitskampf"), name="b.tsv")
    with pytest.raises(GlossaryError, match="duplicate id 'streik'") as caught:
        load_glossary(tmp_path / "d")
    assert (caught.value.path, caught.value.line) == (second, 2)
    with pytest.raises(GlossaryError, match="no \\*.tsv"):
        load_glossary(tmp_path / "empty")


# --- lint ------------------------------------------------------------------------------------

def test_lint_is_clean_on_the_shipped_term_base():
    assert [str(issue) for issue in lint_folder(ROOT / "glossary")] == []


@pytest.mark.parametrize(("rows", "line", "severity", "message"), [
    ([row(), row(de="Arbeitskampf")], 3, "error", "duplicate id"),
    ([row(), row(cid="warnstreik", de="Warnstreik", variants="STREIK", en="walkout")], 3,
     "error", "German term 'STREIK' is also in 'streik'"),
    ([row(en="strike", avoid="en=Strike")], 2, "error", "en target 'strike' is also in avoid"),
    ([row(es="")], 2, "warning", "missing es target"),
    ([row(en="", fr="", es="")], 2, "error", "no target in any language"),
    ([row(avoid="xx=strik")], 2, "error", "avoid: 'xx' is not a language code"),
    ([row(avoid="de=Streik")], 2, "error", "avoid: 'de' has no target column"),
    ([row(dnt="yes")], 2, "error", "dnt=yes but pos=noun"),
    ([row(cid="sora", de="Sora", pos="name", case="exact", dnt="yes", en="Sora", fr="Sora",
          es="SORA")], 2, "error", "dnt name: es target 'SORA' is not 'Sora'"),
    ([row(de="Streik ")], 2, "error", "de: leading or trailing whitespace"),
    ([row(variants="Ausstand | Arbeitskampf")], 2, "error", "variants: leading or trailing"),
    ([row(cid="zug", de="Zug", en="train", fr="train", es="tren"), row()], 3, "warning",
     "not sorted by id"),
    ([row(), row(cid="warnstreik", de="Warnstreik")], 3, "warning", "same targets as 'streik'"),
    ([row(dnt="maybe")], 2, "error", "dnt 'maybe' is not yes or no"),
    ([row() + "\t"], 2, "error", "expected 11 columns, found 12"),
])
def test_lint_catches_each_problem(tmp_path, rows, line, severity, message):
    path = write_base(tmp_path, *rows)
    issues = lint_folder(tmp_path)
    assert any(i.path == path and i.line == line and i.severity == severity
               and message in i.message for i in issues), [str(i) for i in issues]


def test_lint_checks_header_languages_and_ids_across_files(tmp_path):
    header = HEADER.replace("\tes\t", "\tes\txx\t")
    bad = write_base(tmp_path, row() + "\t", header=header, name="a.tsv")
    other = write_base(tmp_path, row(de="Ausstand"), name="b.tsv")
    messages = {(i.path, i.line, i.message) for i in lint_folder(tmp_path)}
    assert (bad, 1, "header: 'xx' is not a language code") in messages
    assert (other, 2, f"streik: duplicate id (first at {bad}:2)") in messages


# --- matching --------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("schrittweise Einführung von KI-Fortschritten", [("KI", "ki")]),
    ("die Integration generativer KI in Aufgaben", [("generativer KI", "generative-ki")]),
    ("Generative KI ist neu", [("Generative KI", "generative-ki")]),
    ("mit generativen KI-Modellen", [("generativen KI", "generative-ki")]),
    ("neue KI-Modelle", [("KI-Modelle", "ki-modell")]),
    ("ein Arbeitsplatz", [("Arbeitsplatz", "arbeitsplatz")]),
    ("204.000 Arbeitsplätze", [("Arbeitsplätze", "arbeitsplatz")]),
    ("von Arbeitsplätzen durch KI", [("Arbeitsplätzen", "arbeitsplatz"), ("KI", "ki")]),
    ("die Arbeitsplatzverluste", [("Arbeitsplatzverluste", "arbeitsplatzverlust")]),
    ("der Arbeitsplatzabbau", [("Arbeitsplatzabbau", "stellenabbau")]),
    ("mit Regisseuren", [("Regisseuren", "regisseur")]),
    ("die Regisseurinnen", [("Regisseurinnen", "regisseur")]),
    ("in der Kreativbranche", [("Kreativbranche", "kreativwirtschaft")]),
    ("der Unterhaltungsbranche", [("Unterhaltungsbranche", "unterhaltungsbranche")]),
    ("der Unterhaltungsindustrie", [("Unterhaltungsindustrie", "unterhaltungsbranche")]),
    ("Diese Streiks", [("Streiks", "streik")]),
    ("des Streiks", [("Streiks", "streik")]),
    ("die Filmstreiks", [("Filmstreiks", "streik")]),
    ("den Produzenten", [("Produzenten", "produzent")]),
    ("eine Schauspielerin", [("Schauspielerin", "schauspielerin")]),
    ("die Schauspielerinnen", [("Schauspielerinnen", "schauspielerin")]),
    ("den Schauspielern", [("Schauspielern", "schauspieler")]),
    ("des Schauspielers", [("Schauspielers", "schauspieler")]),
    ("viele Algorithmen", [("Algorithmen", "algorithmus")]),
    ("des großen Sprachmodells", [("großen Sprachmodells", "grosses-sprachmodell")]),
    ("das Sprachmodell", [("Sprachmodell", "sprachmodell")]),
    ("mit Künstlern", [("Künstlern", "kuenstler")]),
    ("die Arbeitskräfte", [("Arbeitskräfte", "arbeitskraefte")]),
    ("traditionelle Arbeitsabläufe", [("Arbeitsabläufe", "arbeitsablauf")]),
    ("der Spezialeffekt", [("Spezialeffekt", "spezialeffekte")]),
    ("ein Open-Source-Modell", [("Open-Source", "open-source")]),
    ("KI-generierte Videos", [("KI-generierte", "ki-generiert")]),
    ("KI-generierte Bilder", [("KI-generierte Bilder", "ki-bild")]),  # the longer term wins
    ("Die Streikenden warten.", [("Streikenden", "streikende")]),  # stems to streik: not Streik
    ("Die Streikposten stehen.", [("Streikposten", "streikposten")]),
    ("urheberrechtlich geschützte Werke", [("urheberrechtlich geschützte",
                                            "urheberrechtlich-geschuetzt")]),
    ("mehrere Deep-Fakes", [("Deep-Fakes", "deepfake")]),
    ("die Trainingsdatensätze", [("Trainingsdatensätze", "trainingsdatensatz")]),
    ("zwei LLMs", [("LLMs", "llm")]),
])
def test_inflected_and_compound_forms_match(glossary, text, expected):
    assert hits_of(glossary, text) == expected


@pytest.mark.parametrize("text", [
    "Wir gehen ins Kino.",           # KI is case-exact: not inside Kino
    "Die Skier sind neu.",           # nor inside Skier
    "Die ki ist klein geschrieben.",  # case=exact: only "KI"
    "Ki und KIno",
    "Die Streikkasse ist leer.",     # a closed compound is its head, not its first part
    "Ein Schauspiel in drei Akten.",  # Schauspieler stems to schauspiel; not the play
    "Jobcenter und Metadaten",
    "Die Auflösung ist hoch.",
])
def test_no_hits_inside_unrelated_words(glossary, text):
    assert hits_of(glossary, text) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("OpenAI und Sora", [("OpenAI", "openai"), ("Sora", "sora")]),
    ("Soras Daten", [("Soras", "sora")]),
    ("Tyler Perry sagte", [("Tyler Perry", "tyler-perry")]),
    ("Tyler Perrys Studio", [("Tyler Perrys", "tyler-perry")]),
    ("die Tyler Perry Studios", [("Tyler Perry Studios", "tyler-perry-studios")]),
    ("Hollywood-Studios", [("Hollywood", "hollywood")]),
    ("wie MidJourney", [("MidJourney", "midjourney")]),
    ("Nach Angaben von Bloombergsagte OpenAI", [("Bloomberg", "bloomberg"),
                                                 ("OpenAI", "openai")]),
    ("DALL·E und Dall-E", [("DALL·E", "dall-e"), ("Dall-E", "dall-e")]),
    ("openai und SORA", []),  # names are case-exact
    ("Heather-Ashley Boyer (@HeatherAshleyB_)", [("Heather-Ashley Boyer",
                                                   "heather-ashley-boyer")]),
])
def test_dnt_names(glossary, text, expected):
    assert hits_of(glossary, text) == expected
    assert all(h.concept.dnt for h in find_terms(glossary, text))


def test_hit_kinds_and_offsets(glossary):
    text = "KI-Fortschritte, Filmstreiks, Bloombergsagte und generativer KI"
    hits = find_terms(glossary, text)
    assert [(h.kind, text[h.start:h.end]) for h in hits] == [
        ("compound", "KI"), ("head", "Filmstreiks"), ("glued", "Bloomberg"),
        ("word", "generativer KI")]
    assert all(a.end <= b.start for a, b in zip(hits, hits[1:], strict=False))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["KI", "Kino", "generativer", "Streiks", "Arbeitsplätze", "-",
                                 " ", ", ", "Sora", "sagte", "Tyler", "Perry", "Hollywood-",
                                 "Regisseurinnen", "x"]), max_size=12).map("".join))
def test_hits_are_exact_ordered_and_disjoint(glossary, text):
    hits = find_terms(glossary, text)
    assert all(text[h.start:h.end] == h.surface and h.surface for h in hits)
    assert all(a.end <= b.start for a, b in zip(hits, hits[1:], strict=False))


#: Every occurrence in the sample article, by (surface, concept id): occurrences counted by hand.
SAMPLE_TABLE = [
    ("KI", "ki", 8),
    ("generativer KI", "generative-ki", 2),
    ("Regisseure", "regisseur", 1),
    ("Regisseuren", "regisseur", 1),
    ("Arbeitsplätze", "arbeitsplatz", 4),
    ("Arbeitsplätzen", "arbeitsplatz", 1),
    ("Kreativbranche", "kreativwirtschaft", 2),
    ("Unterhaltungsbranche", "unterhaltungsbranche", 2),
    ("Unterhaltungsindustrie", "unterhaltungsbranche", 1),
    ("Streik", "streik", 1),
    ("Streiks", "streik", 1),
    ("Produzenten", "produzent", 1),
    ("Urheberrechtsverletzungen", "urheberrechtsverletzung", 1),
    ("3D-Modellierung", "3d-modellierung", 1),
    ("Charakterdesign", "charakterdesign", 1),
    ("Stimmerzeugung", "stimmerzeugung", 1),
    ("Sora", "sora", 7),
    ("Soras", "sora", 1),
    ("OpenAI", "openai", 7),
    ("Hollywood", "hollywood", 8),
    ("MidJourney", "midjourney", 1),
    ("Bloomberg", "bloomberg", 1),
    ("Tyler Perry", "tyler-perry", 1),
]


def test_every_listed_term_of_the_sample_article_is_found(glossary):
    text = SAMPLE.read_text(encoding="utf-8")
    found = Counter(hits_of(glossary, text))
    assert {(s, c): found[(s, c)] for s, c, _ in SAMPLE_TABLE} == {
        (s, c): n for s, c, n in SAMPLE_TABLE}
    # the hand counts agree with the raw text
    assert len(re.findall(r"\bKI\b", text)) == 8 + 2
    assert len(re.findall(r"Hollywood", text)) == 8
    assert len(re.findall(r"OpenAI", text)) == 7
    assert len(re.findall(r"Sora", text)) == 7 + 1
    assert len(re.findall(r"Arbeitspl(?:atz|ätz)", text)) == 4 + 1 + 2  # + -verluste, -abbau


def test_sample_article_has_no_stray_hits(glossary):
    text = SAMPLE.read_text(encoding="utf-8")
    listed = {c for _, c, _ in SAMPLE_TABLE}
    others = {c for _, c in hits_of(glossary, text)} - listed
    assert others == {"animationsbranche", "arbeitskraefte", "arbeitsablauf",
                      "arbeitsplatzverlust", "atlanta", "cto", "heather-ashley-boyer",
                      "kreativwirtschaft", "kuenstler", "mira-murati", "reid-southen",
                      "schauspielerin", "stellenabbau", "text-to-video-modell",
                      "textbeschreibung", "tonaufnahme"} - listed


# --- enforcement -----------------------------------------------------------------------------

def run_enforce(glossary, source, target, lang="en"):
    return enforce(find_terms(glossary, source), target, lang)


@pytest.mark.parametrize(("source", "target", "lang", "actions"), [
    ("Sie wollen KI.", "They want AI.", "en", ["present"]),
    ("Die Regisseure", "The directors", "en", ["present"]),
    ("Die Kreativbranche", "Les industries créatives", "fr", ["present"]),
    ("Die Unterhaltungsbranchen", "Las industrias del entretenimiento", "es", ["present"]),
    ("Die Kreativbranche", "The creative industries", "en", ["present"]),
    ("Die Urheberrechtsverletzung", "Las infracciones de derechos de autor", "es", ["present"]),
    ("OpenAI und Sora", "OpenAI and Sora", "en", ["dnt", "dnt"]),
    ("OpenAI", "Open artificial intelligence", "en", ["flagged"]),
    ("Der Streik", "The walkout", "en", ["flagged"]),
    ("KI und KI", "AI and it", "en", ["present", "flagged"]),
    ("KI-Modelle und KI", "AI models and robots", "en", ["present", "flagged"]),
])
def test_check_target_actions(glossary, source, target, lang, actions):
    decisions = check_target(find_terms(glossary, source), target, lang)
    assert [d.action for d in decisions] == actions


def test_known_wrong_renderings_are_replaced(glossary):
    text, decisions = run_enforce(glossary, "Die Regisseure wollen KI.",
                                  "The regisseurs want KI.")
    assert text == "The directors want AI."
    assert [(d.concept_id, d.action) for d in decisions] == [("regisseur", "replaced"),
                                                             ("ki", "replaced")]
    text, _ = run_enforce(glossary, "Arbeitsplätze gehen verloren.", "Workplaces are lost.")
    assert text == "Jobs are lost."
    text, _ = run_enforce(glossary, "Die KI verändert alles.", "La KI change tout.", "fr")
    assert text == "La IA change tout."


def test_an_avoided_rendering_that_is_another_hits_target_is_kept(glossary):
    source = "Die KI-Regulierung ist kein KI-Gesetz."
    text, decisions = run_enforce(glossary, source, "AI regulation is no AI regulation.")
    assert [d.action for d in decisions] == ["present", "replaced"]
    assert text.count("AI regulation") == 1 and "AI Act" in text


def test_a_target_inside_a_longer_target_is_not_counted_twice(glossary):
    decisions = check_target(find_terms(glossary, "KI-Modelle und KI"), "AI models", "en")
    assert [d.action for d in decisions] == ["present", "flagged"]
    assert decisions[1].detail == "'AI' found 0 of 1 times"


def test_target_must_be_a_whole_word(glossary):
    assert check_target(find_terms(glossary, "KI"), "OpenAI said", "en")[0].action == "flagged"


def test_term_note_is_one_line(glossary):
    decisions = check_target(find_terms(glossary, "Sie wollen KI."), "They want AI.", "en")
    assert term_note(decisions[0]) == "glossary: KI → AI (present)"
    flagged = TermDecision("x", "Foo", TermAction.FLAGGED, "no it target in the glossary")
    assert term_note(flagged) == (
        "glossary: Foo (flagged: no it target in the glossary)")


def test_missing_language_is_flagged(glossary):
    decisions = check_target(find_terms(glossary, "Der Streik"), "Lo sciopero", "it")
    assert decisions[0].action == "flagged" and "no it target" in decisions[0].detail


# --- steering --------------------------------------------------------------------------------

def test_steering_strategies(glossary):
    source = "OpenAI, die Regisseure und KI-Fortschritte in Hollywood"
    hits = find_terms(glossary, source)
    assert DEFAULT_STRATEGY == "n-best" and set(STRATEGIES) >= {"placeholder", "dnt-only",
                                                                 "none", "n-best"}
    assert steer_terms(hits, "en", "n-best") == steer_terms(hits, "en", "dnt-only")
    names = steer_terms(hits, "en")
    assert [(source[s:e], r) for s, e, r in names] == [("OpenAI", "OpenAI"),
                                                       ("Hollywood", "Hollywood")]
    every = steer_terms(hits, "fr", "placeholder")
    assert [(source[s:e], r) for s, e, r in every] == [
        ("OpenAI", "OpenAI"), ("Regisseure", "réalisateur"), ("Hollywood", "Hollywood")]
    assert steer_terms(hits, "en", "none") == []
    with pytest.raises(GlossaryError, match="unknown term strategy"):
        steer_terms(hits, "en", "magic")


# --- report ----------------------------------------------------------------------------------

def test_term_report_counts_and_renders():
    decisions = {
        "s1": [TermDecision("ki", "KI", TermAction("present"), "", "AI"),
               TermDecision("sora", "Sora", TermAction("dnt"), "", "Sora")],
        "s2": [TermDecision("ki", "KI", TermAction("replaced"), "", "AI"),
               TermDecision("ki", "KI", TermAction("flagged"), "", "AI")],
        "s3": [TermDecision("ki", "KI", TermAction("flagged"), "", "AI")],
    }
    report = term_report(decisions)
    assert list(report) == ["ki", "sora"]
    assert {k: report["ki"][k] for k in ("found", "enforced", "flagged")} == {
        "found": 4, "enforced": 2, "flagged": 2}
    assert report["ki"]["flagged_segments"] == ["s2", "s3"]
    assert report["sora"]["enforced"] == 1
    markdown = render_term_report(report)
    assert "| ki | 4 | 2 | 2 | 0 | s2, s3 |" in markdown
    assert markdown.splitlines()[-1] == "| total | 5 | 3 | 2 | 0 |  |"
    plain = render_term_report(report, markdown=False)
    assert plain.splitlines()[0].split() == ["concept", "found", "enforced", "flagged",
                                             "chosen", "flagged", "in"]
