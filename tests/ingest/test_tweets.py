"""Tweet attributions: parsing, dates in the target locale, language of a tweet body."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.ingest.tweets import format_attribution, guess_language, parse_attribution, parse_date


@pytest.mark.parametrize(("line", "author", "handle", "date"), [
    ("- Reid Southen (@Rahll) 22. März 2024", "Reid Southen", "@Rahll", dt.date(2024, 3, 22)),
    ("— Heather-Ashley Boyer (@HeatherAshleyB_) 24. März 2024", "Heather-Ashley Boyer",
     "@HeatherAshleyB_", dt.date(2024, 3, 24)),
    ("– Jane Doe (@jane) August 10, 2022", "Jane Doe", "@jane", dt.date(2022, 8, 10)),
    ("- Jane Doe (@jane)", "Jane Doe", "@jane", None),
    ("- Jane Doe (@jane) 31. Februar 2024", "Jane Doe", "@jane", None),
])
def test_parse_attribution(line, author, handle, date):
    attribution = parse_attribution(line)
    assert (attribution.author, attribution.handle, attribution.date) == (author, handle, date)


@pytest.mark.parametrize("line", [
    "Reid Southen (@Rahll) 22. März 2024",
    "- Dies ist ein Aufzählungspunkt.",
    "- Reid Southen (Rahll) 22. März 2024",
])
def test_not_an_attribution(line):
    assert parse_attribution(line) is None


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "— Reid Southen (@Rahll) March 22, 2024"),
    ("fr", "— Reid Southen (@Rahll) 22 mars 2024"),
    ("es", "— Reid Southen (@Rahll) 22 de marzo de 2024"),
    ("de", "— Reid Southen (@Rahll) 22. März 2024"),
])
def test_date_in_target_locale(lang, expected):
    assert format_attribution(parse_attribution("- Reid Southen (@Rahll) 22. März 2024"),
                              lang) == expected


def test_unparsed_date_is_kept():
    attribution = parse_attribution("- A (@a) gestern Abend")
    assert format_attribution(attribution, "en") == "— A (@a) gestern Abend"


@pytest.mark.parametrize(("text", "lang"), [
    ("Ich hasse das mit meinem ganzen Körper. Das ist nicht gut.", "de"),
    ("I hate this with my whole body. This is not ok and it is bad.", "en"),
    ("Je ne suis pas content avec le plan pour les artistes.", "fr"),
    ("https://t.co/abc", None),
])
def test_guess_language(text, lang):
    assert guess_language(text) == lang


@pytest.mark.parametrize(("text", "date"), [
    ("1. Januar 2020", dt.date(2020, 1, 1)), ("March 3, 2021", dt.date(2021, 3, 3)),
    ("Mar. 3, 2021", None), ("irgendwann", None),
])
def test_parse_date(text, date):
    assert parse_date(text) == date
