"""Checks of form: final punctuation, brackets and quotes, length, doubled words, white space,
invisible control characters."""

from __future__ import annotations

import re
import unicodedata

from pipeline.model import languages
from pipeline.qa.checks.registry import CheckContext, register

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


#: Trojan Source: bidi embeddings, overrides and isolates reorder what a reader sees.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"
                          "\u061c")


def invisible_characters(text: str) -> list[str]:
    """Format characters (Unicode Cf: bidi controls, zero-width spaces and joiners, BOM,
    soft hyphen …) in ``text``, each once, as ``U+202E RIGHT-TO-LEFT OVERRIDE``."""
    found = dict.fromkeys(c for c in text if unicodedata.category(c) == "Cf")
    return [f"U+{ord(c):04X} {unicodedata.name(c, 'FORMAT CHARACTER')}" for c in found]


@register("invisible", "error")
def invisible(source: str, target: str, ctx: CheckContext) -> str | None:
    """A bidi control or other invisible character the source lacks can make the published
    text read differently from what a reviewer saw (Trojan Source)."""
    extra = [c for c in dict.fromkeys(target)
             if unicodedata.category(c) == "Cf" and c not in source]
    if not extra:
        return None
    return "invisible characters not in source: " + ", ".join(invisible_characters("".join(extra)))
