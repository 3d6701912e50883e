"""Per-segment QA checks, after Translate Toolkit's pofilter and Okapi CheckMate.

A check looks at one source/target pair and returns None (pass) or a one-line message. Checks
are registered with a name and a severity; ``run_checks`` runs them all and returns typed
findings (text for files is made in :mod:`pipeline.formats.notes`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from pipeline.model import languages
from pipeline.model.annotations import Finding, Severity, TermAction, TermDecision
from pipeline.mt.protect import PLACEHOLDER_RE, Protected, mask

#: Checks to leave out for text kept as written (a tweet kept verbatim): copying is intended
#: and its numbers are not in the source locale's format.
VERBATIM_SKIP = frozenset({"unchanged", "numbers"})


@dataclass(frozen=True)
class CheckContext:
    """What a check may know besides the two strings; the ratio bounds are tunable."""

    source_lang: str = "de"
    target_lang: str = "en"
    glossary: Sequence[TermDecision] = ()
    min_ratio: float = 0.5
    max_ratio: float = 2.5
    min_length: int = 20
    disabled: frozenset[str] = frozenset()


CheckFunc = Callable[[str, str, CheckContext], "str | None"]


@dataclass(frozen=True)
class Check:
    """A registered check: its name, how bad a failure is and the function."""

    name: str
    severity: Severity
    func: CheckFunc


CHECKS: dict[str, Check] = {}


def register(name: str, severity: str) -> Callable[[CheckFunc], CheckFunc]:
    """Add a check to the registry; the registry's order is the order findings come in."""
    level = Severity(severity)  # an unknown severity is a ValueError at import

    def add(func: CheckFunc) -> CheckFunc:
        CHECKS[name] = Check(name, level, func)
        return func

    return add


def run_checks(source: str, target: str, ctx: CheckContext | None = None) -> list[Finding]:
    """Every enabled check on one pair; an empty target gets only ``untranslated``."""
    ctx = ctx or CheckContext()
    names = ["untranslated"] if not target.strip() else list(CHECKS)
    findings = []
    for name in names:
        check = CHECKS[name]
        if name in ctx.disabled:
            continue
        message = check.func(source, target, ctx)
        if message is not None:
            findings.append(Finding(name, check.severity, message))
    return findings


# --- helpers ---------------------------------------------------------------------------------

@lru_cache(maxsize=1024)
def _items(text: str) -> tuple[Protected, ...]:
    """URLs, e-mails, handles, hashtags, markers and numbers, found by protect's patterns."""
    return mask(text).items


def _values(text: str, kind: str) -> list[str]:
    return [item.value for item in _items(text) if item.kind == kind]


def _compare(expected: Sequence[tuple[str, object]], found: Sequence[tuple[str, object]]) -> str:
    """Multiset difference by key, reported with each item as written; '' if equal."""
    want, have = Counter(k for _, k in expected), Counter(k for _, k in found)
    missing = _pick(expected, want - have)
    extra = _pick(found, have - want)
    parts = [f"{', '.join(missing)} missing"] if missing else []
    parts += [f"{', '.join(extra)} not in source"] if extra else []
    return "; ".join(parts)


def _pick(items: Sequence[tuple[str, object]], surplus: Counter) -> list[str]:
    picked = []
    for text, key in items:
        if surplus[key] > 0:
            surplus[key] -= 1
            picked.append(text)
    return picked


# --- numbers ---------------------------------------------------------------------------------

_SPACES = " \u00a0\u202f"
#: Longer "numbers" (IDs, digit runs) are compared as text: no locale parse, no Decimal cliff.
_MAX_NUMBER = 40


def _plain(text: str) -> str:
    """The text with URLs, e-mails, handles, hashtags, markers and placeholders blanked:
    their digits are not numbers."""
    masked = mask(PLACEHOLDER_RE.sub(" ", text))

    def put(match: re.Match[str]) -> str:
        item = masked.items[int(match[1])]
        return item.value if item.kind == "number" else " "

    return re.sub(r"\[(\d+)\]", put, masked.text)


def _numbers(text: str, lang: str) -> list[tuple[str, object]]:
    """Each number as written and its value in ``lang`` (French 204 000 = German 204.000)."""
    from babel.numbers import get_group_symbol

    plain = _plain(text)
    found: list[str] = []
    locale = languages.locale(lang)
    group = get_group_symbol(locale) if locale else ","
    if group not in ".,":
        seps = re.escape(group + _SPACES)
        spaced = rf"(?<![\w.,])\d{{1,3}}(?:[{seps}]\d{{3}})+(?:[.,]\d+)?(?!\w)"

        def take(match: re.Match[str]) -> str:
            found.append(match[0])
            return " "

        plain = re.sub(spaced, take, plain)
    found += [item.value for item in mask(plain).items if item.kind == "number"]
    return [(token, _number_value(token, lang)) for token in found]


def _number_value(token: str, lang: str) -> object:
    """Strict CLDR parse; else as a plain decimal (3.5 kept as written); else the text."""
    from babel.numbers import NumberFormatError, parse_decimal

    compact = re.sub(f"[{_SPACES}]", "", token)
    if len(compact) > _MAX_NUMBER:  # a digit run, not a quantity: compare it as written
        return token
    locale = languages.locale(lang)
    if locale is not None:
        try:
            return parse_decimal(compact, locale=locale, strict=True)
        except (NumberFormatError, ValueError, ArithmeticError):
            pass
    try:
        return Decimal(compact)
    except InvalidOperation:
        return token


# --- checks ----------------------------------------------------------------------------------

@register("untranslated", "error")
def untranslated(source: str, target: str, ctx: CheckContext) -> str | None:
    """An empty target ships the source's gap to readers."""
    return "target is empty" if source.strip() and not target.strip() else None


@register("unchanged", "warning")
def unchanged(source: str, target: str, ctx: CheckContext) -> str | None:
    """A copied source is usually a missed translation, unless it is only names or numbers."""
    if target.strip() != source.strip():
        return None
    words = re.findall(r"[^\W\d_]+", _plain_words(source))
    if not any(word.islower() for word in words):
        return None
    return "target is the source copied unchanged"


def _plain_words(text: str) -> str:
    """The text without URLs, handles, hashtags, e-mails, markers and numbers."""
    return re.sub(r"\[\d+\]", " ", mask(text).text)


@register("numbers", "error")
def numbers(source: str, target: str, ctx: CheckContext) -> str | None:
    """Every number must come back with the same value, written the target's way."""
    message = _compare(_numbers(source, ctx.source_lang), _numbers(target, ctx.target_lang))
    return message or None


def _same_items(kind: str) -> CheckFunc:
    def check(source: str, target: str, ctx: CheckContext) -> str | None:
        expected = [(v, v) for v in _values(source, kind)]
        found = [(v, v) for v in _values(target, kind)]
        return _compare(expected, found) or None

    check.__doc__ = f"Every {kind} must be in the target exactly as in the source."
    return check


for _kind, _name in (("url", "urls"), ("email", "emails"), ("handle", "handles"),
                     ("hashtag", "hashtags")):
    register(_name, "error")(_same_items(_kind))


@register("placeholders", "error")
def placeholders(source: str, target: str, ctx: CheckContext) -> str | None:
    """A placeholder that was not restored is garbage in the published text."""
    allowed = Counter(int(v[1:-1]) for v in _values(source, "marker"))
    leftover = []
    for match in PLACEHOLDER_RE.finditer(target):
        index = int(match[1])
        if allowed[index] > 0:
            allowed[index] -= 1
        else:
            leftover.append(match[0])
    return f"leftover placeholder {', '.join(leftover)}" if leftover else None


@register("glossary", "warning")
def glossary(source: str, target: str, ctx: CheckContext) -> str | None:
    """The glossary step could not place a required term; a person has to look."""
    flagged = [d for d in ctx.glossary if d.action is TermAction.FLAGGED]
    if not flagged:
        return None
    names = ", ".join(d.concept_id for d in flagged)
    return f"term not translated as the glossary requires: {names}"


_CLOSERS = "\"'"
_END_MARKS = {".": ".", "!": "!", "?": "?", ":": ":", "…": "…", "。": ".", "！": "!",
              "？": "?", "：": ":"}


def _final_mark(text: str) -> str:
    """The last sentence mark, looking through closing quotes and brackets ('' if none)."""
    text = text.rstrip()
    while text and (text[-1] in _CLOSERS
                    or unicodedata.category(text[-1]) in ("Pe", "Pf", "Pi")):
        text = text[:-1].rstrip()
    if text.endswith("..."):
        return "…"
    return _END_MARKS.get(text[-1:], "")


@register("endpunc", "warning")
def endpunc(source: str, target: str, ctx: CheckContext) -> str | None:
    """A lost or added full stop, question mark or colon changes how the sentence reads."""
    want, have = _final_mark(source), _final_mark(target)
    if want == have:
        return None
    if not have:
        return f"source ends with '{want}', target does not"
    if not want:
        return f"target ends with '{have}', source does not"
    return f"source ends with '{want}', target with '{have}'"


_BRACKETS = {"(": ")", "[": "]", "{": "}"}
_QUOTES = {
    "de": {"„": "“", "‚": "‘", "»": "«"},
    "en": {"“": "”", "‘": "’"},
    "fr": {"«": "»", "“": "”", "‹": "›"},
    "es": {"«": "»", "“": "”", "‘": "’"},
}
#: Closers that double as apostrophes: unmatched, they are not an error.
_SOFT = "’"


def _imbalance(text: str, lang: str) -> str | None:
    """The first unmatched or unclosed quote or bracket under ``lang``'s conventions."""
    pairs = {**_BRACKETS, **_QUOTES.get(languages.base(lang), {"“": "”", "‘": "’", "«": "»"})}
    closers = {close: open_ for open_, close in pairs.items()}
    stack: list[str] = []
    for char in text:
        if char == '"':
            if stack and stack[-1] == '"':
                stack.pop()
            else:
                stack.append(char)
        elif char in pairs:
            stack.append(char)
        elif char in closers:
            if stack and stack[-1] == closers[char]:
                stack.pop()
            elif char not in _SOFT:
                return f"unmatched {char}"
    return f"unclosed {stack[-1]}" if stack else None


@register("brackets", "warning")
def brackets(source: str, target: str, ctx: CheckContext) -> str | None:
    """Unbalanced quotes or brackets; not flagged when the source sentence is itself cut
    inside a quotation."""
    if _imbalance(source, ctx.source_lang) is not None:
        return None
    problem = _imbalance(target, ctx.target_lang)
    return f"{problem} in target" if problem else None


@register("length", "warning")
def length(source: str, target: str, ctx: CheckContext) -> str | None:
    """A far too short or long target often means a truncated or hallucinated translation."""
    if len(source.strip()) < ctx.min_length:
        return None
    ratio = len(target.strip()) / len(source.strip())
    if ctx.min_ratio <= ratio <= ctx.max_ratio:
        return None
    return f"target/source length ratio {ratio:.2f} outside {ctx.min_ratio:g}-{ctx.max_ratio:g}"


_DOUBLED = re.compile(r"(?<![\w-])([^\W\d_]+)\s+(\1)(?![\w-])", re.IGNORECASE)
#: Doubled words that are grammatical.
_DOUBLE_OK = {"en": {"had", "that"}, "fr": {"nous", "vous"}, "de": {"die", "der", "das"}}


@register("doublewords", "warning")
def doublewords(source: str, target: str, ctx: CheckContext) -> str | None:
    """"the the" is a typical MT and editing slip; doubling that the source has is kept."""
    in_source = {m[1].lower() for m in _DOUBLED.finditer(source)}
    allowed = _DOUBLE_OK.get(languages.base(ctx.target_lang), set()) | in_source
    doubled = [f"{m[1]} {m[2]}" for m in _DOUBLED.finditer(target)
               if m[1].lower() not in allowed]
    return f"doubled word: {', '.join(doubled)}" if doubled else None


_NBSP = "\u00a0\u202f"


@register("whitespace", "warning")
def whitespace(source: str, target: str, ctx: CheckContext) -> str | None:
    """Stray spaces show in print; French wants a no-break space before ; : ! ?."""
    problems = []
    if target != target.lstrip():
        problems.append("leading whitespace")
    if target != target.rstrip():
        problems.append("trailing whitespace")
    if re.search(f"[ \t{_NBSP}]{{2,}}", target.strip()):
        problems.append("double space")
    french = languages.base(ctx.target_lang) == "fr"
    for match in re.finditer(f"([ \t{_NBSP}])([,.;:!?])", target.strip()):
        space, mark = match[1], match[2]
        if french and mark in ";:!?":
            if space not in _NBSP:
                problems.append(f"use a no-break space before '{mark}'")
        else:
            problems.append(f"space before '{mark}'")
    return "; ".join(dict.fromkeys(problems)) or None
