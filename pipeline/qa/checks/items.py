"""Checks that things come back: a translation at all, numbers, URLs, e-mails, handles,
hashtags, placeholders, glossary terms."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from pipeline.ingest.inline import TAG, codes_in
from pipeline.model import languages
from pipeline.model.annotations import TermAction
from pipeline.model.document import CodeKind, InlineCode
from pipeline.mt.protect import PLACEHOLDER_RE, Protected, mask
from pipeline.qa.checks.registry import CheckContext, CheckFunc, register


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


@lru_cache(maxsize=1024)
def _numbers(text: str, lang: str) -> tuple[tuple[str, object], ...]:
    """Each number as written and its value in ``lang`` (French 204 000 = German 204.000);
    kept for a while, as a source sentence is checked once per target language."""
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
    return tuple((token, _number_value(token, lang)) for token in found)


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
    """The glossary step could not place a required term; a person has to look. Named by
    the words: the German as the source has it and the target term expected."""
    flagged = [d for d in ctx.glossary if d.action is TermAction.FLAGGED]
    if not flagged:
        return None
    names = ", ".join(dict.fromkeys(
        f"{d.source_surface} → {d.target}" if d.target
        else f"{d.source_surface} (no {ctx.target_lang} term)" for d in flagged))
    return f"term not translated as the glossary requires: {names}"




#: In an HTML target, what a browser might read as the start of markup.
_UNFINISHED = re.compile(r"<[A-Za-z!/?][^<]*")


@register("markup", "error")
def markup(source: str, target: str, ctx: CheckContext) -> str | None:
    """Every inline code (a link, emphasis, a line break) must come back once, and a pair
    must stay a pair: a lost ``</a>`` or crossed tags break the published page. A person's
    text is only flagged, never changed."""
    if ctx.markup is None:
        return None
    expected, found = codes_in(source, ctx.markup), codes_in(target, ctx.markup)
    problems = []
    lost = Counter(c.data for c in expected) - Counter(c.data for c in found)
    added = Counter(c.data for c in found) - Counter(c.data for c in expected)
    if lost:
        problems.append("lost " + ", ".join(sorted(lost.elements())))
    if added:
        problems.append("added " + ", ".join(sorted(added.elements())))
    if ctx.markup == "html" and (stray := _UNFINISHED.search(TAG.sub("", target))):
        problems.append(f"an unfinished tag {stray.group()[:20]!r}")
    if not lost and not added and _pairs(expected) - _pairs(found):
        problems.append("broke the nesting of " + ", ".join(
            f"{a}…{b}" for a, b in sorted((_pairs(expected) - _pairs(found)).elements())))
    return "; ".join(problems) or None


def _pairs(codes: Sequence[InlineCode]) -> Counter[tuple[str, str]]:
    """Each paired code as (opening markup, closing markup)."""
    opened = {c.id: c.data for c in codes if c.kind is CodeKind.OPEN}
    return Counter((opened[c.id], c.data) for c in codes
                   if c.kind is CodeKind.CLOSE and c.id in opened)
