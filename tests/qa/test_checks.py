"""QA checks: each check passes and fails where a reviewer would expect, and only that check."""

from __future__ import annotations

import pytest

from pipeline.formats.notes import finding_note, parse_finding, parse_terms
from pipeline.model.annotations import Finding, Severity, TermAction, TermDecision
from pipeline.qa.checks import (
    CHECKS,
    VERBATIM_SKIP,
    CheckContext,
    run_checks,
)

NNBSP, NBSP = "\u202f", "\u00a0"
LONG_DE = "Die Regierung plant, die Ausgaben für Bildung deutlich zu erhöhen."
LONG_EN = "The government plans to increase spending on education significantly."

# (source, target, target language, the one check that fails or None)
CASES = [
    # untranslated
    (LONG_DE, "", "en", "untranslated"),
    (LONG_DE, "   ", "en", "untranslated"),
    (LONG_DE, LONG_EN, "en", None),
    # unchanged
    ("KI fordert Kreativität heraus", "KI fordert Kreativität heraus", "en", "unchanged"),
    ("Tyler Perry", "Tyler Perry", "en", None),
    ("Reid Southen (@Rahll)", "Reid Southen (@Rahll)", "en", None),
    ("https://t.co/qbewb5gxoO", "https://t.co/qbewb5gxoO", "en", None),
    ("2024", "2024", "en", None),
    # numbers
    ("204.000 Jobs.", "204,000 jobs.", "en", None),
    ("204.000 Jobs.", "204.000 jobs.", "en", "numbers"),
    ("204.000 Jobs.", "204 jobs.", "en", "numbers"),
    ("Ein Plus von 1,5 %.", "An increase of 1.5%.", "en", None),
    ("Ein Plus von 1,5 %.", "An increase of 1,5%.", "en", "numbers"),
    ("Ein Plus von 1,5 %.", "An increase of 15%.", "en", "numbers"),
    ("204.000 Jobs und 1,5 %.", f"204{NNBSP}000 emplois et 1,5{NNBSP}%.", "fr", None),
    ("204.000 Jobs und 1,5 %.", f"204{NBSP}000 emplois et 1,5 %.", "fr", None),
    ("204.000 Jobs und 1,5 %.", "204 000 emplois et 1,5 %.", "fr", None),
    ("204.000 Jobs.", "204.000 emplois.", "fr", "numbers"),
    ("204.000 Jobs und 1,5 %.", "204.000 empleos y 1,5 %.", "es", None),
    ("204.000 Jobs.", "204,000 empleos.", "es", "numbers"),
    ("Im Jahr 2024 kamen 550 Menschen.", "In 2024, 550 people came.", "en", None),
    ("Im Jahr 2024 kamen 550 Menschen.", "In 2023, 550 people came.", "en", "numbers"),
    ("Im Jahr 2024 kamen Menschen.", "In 2024, 20 people came.", "en", "numbers"),
    ("Es waren 3.5 Millionen.", "There were 3.5 million.", "en", None),
    ("Eine $800 Millionen teure Erweiterung.", "An $800 million expansion.", "en", None),
    ("Siehe https://t.co/ab12 vom 22. März.", "See https://t.co/ab12 of 22 March.", "en", None),
    # urls
    ("Mehr unter https://example.com/a?b=1.", "More at https://example.com/a?b=1.", "en", None),
    ("Mehr unter https://example.com/a?b=1.", "More at https://example.com/a?b=2.", "en", "urls"),
    ("Mehr unter www.example.de.", "More at the website.", "en", "urls"),
    # emails
    ("Schreiben Sie an info@example.de.", "Write to info@example.de.", "en", None),
    ("Schreiben Sie an info@example.de.", "Write to info@example.com.", "en", "emails"),
    # handles
    ("Ein Tweet von @Rahll.", "A tweet by @Rahll.", "en", None),
    ("Ein Tweet von @Rahll.", "A tweet by @rahll.", "en", "handles"),
    # hashtags
    ("Großer Streik #Hollywood heute.", "Big strike #Hollywood today.", "en", None),
    ("Großer Streik #KI heute.", "Big strike #AI today.", "en", "hashtags"),
    # placeholders
    ("Die Studie [1] zeigt das.", "The study [1] shows this.", "en", None),
    ("Die Studie zeigt das Ergebnis.", "The study [2] shows the result.", "en", "placeholders"),
    ("Die Studie zeigt das Ergebnis.", "The study ［ 0 ］ shows the result.", "en", "placeholders"),
    # endpunc
    ("Er war erstaunt.", "He was amazed", "en", "endpunc"),
    ("Er war erstaunt", "He was amazed!", "en", "endpunc"),
    ("War er erstaunt?", "He was amazed.", "en", "endpunc"),
    ("Er sagte: „Nein.“", "He said: “No.”", "en", None),
    ("Er war erstaunt.", "(He was amazed.)", "en", None),
    ("Er wartete...", "He waited…", "en", None),
    ("Perry war erstaunt:", "Perry was amazed:", "en", None),
    ("Was?", "Quoi\u202f?", "fr", None),
    # brackets
    ("Er sagte: „Nein.“", "He said: “No.", "en", "brackets"),
    ("Er sagte „Nein“.", "He said „No“.", "en", "brackets"),
    ("Das (Studio) ist neu.", "The studio) is new.", "en", "brackets"),
    ("Er sagte „Nein“.", "He said “no” (twice).", "en", None),
    ("Er sagte „Nein“.", f"Il a dit «{NNBSP}non{NNBSP}».", "fr", None),
    ("Er sagte „Nein“.", "Dijo «no».", "es", None),
    ("Er sagte „Nein“.", "Il a dit »non«.", "fr", "brackets"),
    ("Er sagte, es geht nicht.", "He said it won’t work.", "en", None),
    ("Er sagte „Nein“.", "Er sagte »Nein«.", "de", None),
    ('Pläne: "OpenAI verfolgt eine Strategie.', 'Plans: "OpenAI follows a strategy.', "en", None),
    # length
    (LONG_DE, "Spending.", "en", "length"),
    (LONG_DE, LONG_EN * 3, "en", "length"),
    ("Ja.", "Yes, indeed, that is absolutely right.", "en", None),
    # doublewords
    ("Die Regierung plant neue Gesetze.", "The the government plans new laws.", "en",
     "doublewords"),
    ("Die Regierung plant neue Gesetze.", "The government plans plans new laws.", "en",
     "doublewords"),
    ("Er hatte schon gegessen.", "He had had lunch already.", "en", None),
    ("Wir haben uns getroffen.", "Nous nous sommes rencontrés.", "fr", None),
    ("Urlaub auf Bora Bora.", "Holidays in Bora Bora.", "en", None),
    # whitespace
    (LONG_DE, " " + LONG_EN, "en", "whitespace"),
    (LONG_DE, LONG_EN + " ", "en", "whitespace"),
    (LONG_DE, LONG_EN.replace(" to ", "  to "), "en", "whitespace"),
    ("Ja, sicher.", "Yes , sure.", "en", "whitespace"),
    ("Was?", "What ?", "en", "whitespace"),
    ("Was?", "Quoi ?", "fr", "whitespace"),
    ("Was?", f"Quoi{NBSP}?", "fr", None),
    ("Ja, sicher.", f"Oui{NNBSP}, bien sûr.", "fr", "whitespace"),
    # invisible characters (Trojan Source)
    ("Der Preis steigt.", "The price \u202erises.", "en", "invisible"),
    ("Der Preis steigt.", "The price\u200b rises.", "en", "invisible"),
    ("Der\u00ad Preis steigt.", "The\u00ad price rises.", "en", None),  # in the source too
    ("Er sagt: \u2067שלום\u2069.", "He says: \u2067שלום\u2069.", "en", None),
]


@pytest.mark.parametrize(("source", "target", "lang", "failing"), CASES)
def test_check_table(source: str, target: str, lang: str, failing: str | None) -> None:
    findings = run_checks(source, target, CheckContext("de", lang))
    assert [f.check for f in findings] == ([failing] if failing else [])
    for finding in findings:
        assert finding.severity == CHECKS[finding.check].severity
        assert "\n" not in finding.message


def test_every_check_has_failing_and_passing_cases() -> None:
    # glossary and markup need a context (markup: tests/formats/test_html.py, below)
    failing = {case[3] for case in CASES} | {"glossary", "markup"}
    assert failing - {None} == set(CHECKS)


@pytest.mark.parametrize(("name", "severity"), [
    ("untranslated", "error"), ("numbers", "error"), ("urls", "error"), ("emails", "error"),
    ("handles", "error"), ("hashtags", "error"), ("placeholders", "error"),
    ("unchanged", "warning"), ("glossary", "warning"), ("endpunc", "warning"),
    ("brackets", "warning"), ("length", "warning"), ("doublewords", "warning"),
    ("whitespace", "warning"), ("invisible", "error"), ("markup", "error"),
])
def test_severity(name: str, severity: str) -> None:
    assert CHECKS[name].severity == severity


def test_number_message_names_the_source_number() -> None:
    [finding] = run_checks("204.000 Jobs.", "204.000 jobs.", CheckContext("de", "en"))
    assert finding_note(finding) == "qa: error: numbers: 204.000 missing; 204.000 not in source"


def test_format_and_parse_finding_round_trip() -> None:
    finding = Finding("numbers", Severity.ERROR, "204.000 missing")
    assert finding_note(finding) == "qa: error: numbers: 204.000 missing"
    assert parse_finding(finding_note(finding)) == finding
    assert parse_finding("paragraph, block 1") is None


def test_glossary_flagged_terms_warn() -> None:
    hits = [TermDecision("ai", "KI", TermAction.PRESENT, "", "AI"),
            TermDecision("drehbuchautor", "Drehbuchautors", TermAction.FLAGGED, "",
                         "screenwriter"),
            TermDecision("x", "Zeichentrick", TermAction.FLAGGED, "no en target")]
    ctx = CheckContext("de", "en", glossary=hits)
    [finding] = run_checks(LONG_DE, LONG_EN, ctx)
    assert (finding.check, finding.severity) == ("glossary", "warning")
    assert finding.message == ("term not translated as the glossary requires: "
                               "Drehbuchautors → screenwriter, Zeichentrick (no en term)")
    assert run_checks(LONG_DE, LONG_EN, CheckContext("de", "en", glossary=hits[:1])) == []


def test_glossary_decisions_from_notes() -> None:
    notes = ["paragraph, block 1", "glossary: KI → AI (replaced)",
             "glossary: Sora (dnt: kept 'Sora')", "glossary: Drehbuch (flagged: no target term)",
             "glossary: note without a decision"]
    assert [(d.concept_id, d.action) for d in parse_terms(notes)] == [
        ("KI → AI", "replaced"), ("Sora", "dnt"), ("Drehbuch", "flagged")]


def test_length_bounds_are_parameters() -> None:
    ctx = CheckContext("de", "en", min_ratio=0.9, max_ratio=1.0)
    assert [f.check for f in run_checks(LONG_DE, LONG_EN, ctx)] == ["length"]
    assert run_checks(LONG_DE, LONG_EN, CheckContext("de", "en", min_length=100)) == []


def test_empty_target_gets_only_untranslated() -> None:
    assert [f.check for f in run_checks("204.000 Jobs: https://x.de", "")] == ["untranslated"]


def test_disabled_checks_are_skipped() -> None:
    tweet = "2 WEEKS after 1,500 people left."
    ctx = CheckContext("de", "en", disabled=VERBATIM_SKIP)
    assert run_checks(tweet, tweet, ctx) == []
    assert {f.check for f in run_checks(tweet, tweet, CheckContext("de", "en"))} == {
        "unchanged", "numbers"}


def test_pseudo_output_passes_every_error_check() -> None:
    from pipeline.mt.pseudo import PseudoEngine

    engine = PseudoEngine()
    source = "Laut @Rahll (https://t.co/x1) gehen 204.000 Jobs verloren, also 1,5 % #KI."
    from pipeline.mt.protect import mask, unmask

    masked = mask(source)
    for lang in ("en", "fr", "es"):
        target, _ = unmask(masked, engine.pseudo(masked.text, lang), lang)
        errors = [f for f in run_checks(source, target, CheckContext("de", lang))
                  if f.severity == "error"]
        assert errors == [], (lang, target)


def test_invisible_message_names_each_character() -> None:
    [finding] = run_checks("Ein Satz.", "A \u202esentence\u202e.", CheckContext("de", "en"))
    assert finding.message == ("invisible characters not in source: "
                               "U+202E RIGHT-TO-LEFT OVERRIDE")


@pytest.mark.parametrize(("source", "target", "markup", "failing"), [
    ("Ein **fetter** [Link](https://x).", "A **bold** [link](https://x).", "markdown", False),
    ("Ein **fetter** [Link](https://x).", "A bold [link](https://x).", "markdown", True),
    ("Ein **fetter** Satz.", "A **bold* sentence.*", "markdown", True),
    ("5 * 3 und Sternchen*innen.", "5 times 3 and stars.", "text", False),
    ("5 * 3 und Sternchen*innen.", "5 times 3 and stars.", None, False),
])
def test_markup_check_by_format(source, target, markup, failing) -> None:
    found = [f for f in run_checks(source, target, CheckContext(markup=markup))
             if f.check == "markup"]
    assert bool(found) is failing
