"""Embedded tweets: their attribution line, its date, and whether a body is already translated.

Pasted tweets lose their embed markup; what survives is the body and a line like
``- Reid Southen (@Rahll) 22. März 2024``. Name, handle and links stay verbatim; the date is
rewritten in the target locale.
"""

from __future__ import annotations

import datetime as dt
import re

from pipeline.model.document import Attribution

_DE_MONTHS = {
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "april": 4, "mai": 5, "juni": 6,
    "juli": 7, "august": 8, "september": 9, "oktober": 10, "november": 11, "dezember": 12,
}
_EN_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}

ATTRIBUTION_RE = re.compile(
    r"^(?P<dash>[-—–])\s*(?P<author>[^()\n]{1,80}?)\s*\((?P<handle>@\w{1,15})\)"
    r"\s*(?P<date>[^\n]{0,40}?)\s*$"
)
_DE_DATE_RE = re.compile(r"^(?P<d>\d{1,2})\.\s*(?P<m>[A-Za-zäÄ]+)\s+(?P<y>\d{4})$")
_EN_DATE_RE = re.compile(r"^(?P<m>[A-Za-z]+)\.?\s+(?P<d>\d{1,2}),?\s+(?P<y>\d{4})$")

#: The note on a tweet kept as written; checks read it to skip "source copied".
VERBATIM_NOTE = "tweet kept verbatim"

TWEET_LINK_RE = re.compile(r"(?:https?://t\.co/\w+|pic\.twitter\.com/\w+)")


def parse_date(text: str) -> dt.date | None:
    """Read a German (``22. März 2024``) or English (``August 10, 2022``) date, else None."""
    text = text.strip()
    match = _DE_DATE_RE.match(text)
    if match and match["m"].lower() in _DE_MONTHS:
        return _safe_date(int(match["y"]), _DE_MONTHS[match["m"].lower()], int(match["d"]))
    match = _EN_DATE_RE.match(text)
    if match and match["m"].lower() in _EN_MONTHS:
        return _safe_date(int(match["y"]), _EN_MONTHS[match["m"].lower()], int(match["d"]))
    return None


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_attribution(line: str) -> Attribution | None:
    """An attribution if the whole line is one; a date that cannot be read is kept as text."""
    match = ATTRIBUTION_RE.match(line.strip())
    if not match:
        return None
    date_text = match["date"]
    return Attribution(
        author=match["author"].strip(),
        handle=match["handle"],
        date=parse_date(date_text) if date_text else None,
        date_text=date_text,
        dash=match["dash"],
    )


def format_attribution(attribution: Attribution, lang: str) -> str:
    """The attribution line for ``lang``: the date in that locale's long format (CLDR)."""
    date_text = attribution.date_text
    if attribution.date is not None:
        from babel.dates import format_date

        date_text = format_date(attribution.date, format="long", locale=lang)
    dash = "—"
    line = f"{dash} {attribution.author} ({attribution.handle})"
    return f"{line} {date_text}" if date_text else line


_STOPWORDS = {
    "de": {"der", "die", "das", "und", "ist", "nicht", "ich", "mit", "sie", "es", "ein", "eine",
           "zu", "den", "von", "auf", "für", "dass", "wie", "über", "auch", "nur", "bitte"},
    "en": {"the", "and", "is", "not", "i", "with", "they", "it", "a", "an", "to", "of", "on",
           "for", "that", "this", "are", "just", "please", "about", "my", "you"},
    "fr": {"le", "la", "les", "et", "est", "pas", "je", "avec", "ils", "un", "une", "des",
           "pour", "que", "ce", "sur", "du", "mon", "vous"},
    "es": {"el", "la", "los", "las", "y", "es", "no", "yo", "con", "un", "una", "de", "para",
           "que", "este", "por", "mi", "usted"},
}
_WORD_RE = re.compile(r"[^\W\d_]+")


def guess_language(text: str) -> str | None:
    """Guess the language of a short text from stop words; None when there is no clear winner.

    Enough to tell a tweet quoted in English from one translated into German; no model needed.
    """
    words = [w.lower() for w in _WORD_RE.findall(TWEET_LINK_RE.sub(" ", text))]
    scores = {lang: sum(w in stop for w in words) for lang, stop in _STOPWORDS.items()}
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    best, runner_up = ranked[0], ranked[1]
    if best[1] >= 2 and best[1] >= 2 * runner_up[1]:
        return best[0]
    return None
