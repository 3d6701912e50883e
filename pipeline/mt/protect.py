"""Keep untouchables out of machine translation: URLs, e-mails, @handles, #hashtags, numbers.

Each is replaced by a numbered placeholder before MT and put back after. NMT models drop,
repeat or mangle placeholders, so restoring checks that each comes back exactly once and
records every repair. Numbers come back with the same value, written the target's way
(German 204.000 → English 204,000).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.model import languages
from pipeline.model.annotations import Repair, RepairKind

#: Order matters: a URL may contain an @ or digits, an e-mail contains an @.
_PATTERNS = [
    ("url", r"(?:https?://|www\.)[^\s<>\"“”„»«⟦⟧（）【】]+[^\s<>\"“”„»«⟦⟧（）【】.,;:!?)\]]"
            r"|pic\.twitter\.com/\w+"),
    # the look-behind makes every start the start of a run: linear time on long words
    ("email", r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    ("handle", r"(?<![\w@])@\w{1,30}"),
    ("hashtag", r"(?<![\w#&])#\w*[^\W\d_]\w*"),
    ("marker", r"\[\d+\]"),
    ("number", r"(?<![\w.,])\d+(?:[.,]\d+)*(?![\w])"),
]
_PROTECT_RE = re.compile("|".join(f"(?P<{name}>{rx})" for name, rx in _PATTERNS))
#: What a model may turn a placeholder into: spaces inside, full-width brackets.
PLACEHOLDER_RE = re.compile(r"[\[［]\s*(\d{1,3})\s*[\]］]")
_FINAL = re.compile(r"[\s.!?:;…\"“”»«)]*$")



@dataclass(frozen=True)
class Protected:
    """One masked item: its kind, the text as written and its placeholder."""

    kind: str
    value: str
    placeholder: str
    restore: str | None = None


@dataclass(frozen=True)
class Masked:
    """A segment ready for MT and what has to come back."""

    text: str
    items: tuple[Protected, ...]


def placeholder(index: int) -> str:
    """Bracketed numbers: every vocabulary has them and models copy them like citations."""
    return f"[{index}]"


def mask(text: str, spans: Sequence[tuple[int, int, str]] = ()) -> Masked:
    """Replace untouchables with placeholders, in reading order.

    ``spans`` are extra (start, end, restore) ranges found by others, e.g. glossary names;
    ``restore`` is what comes back in their place. A span cutting into a URL, handle or
    hashtag is dropped (``@OpenAI`` stays a handle); one that holds them whole (a tag with
    its ``href``) swallows them; otherwise spans win over the patterns.
    """
    fixed = [(m.start(), m.end()) for m in _PROTECT_RE.finditer(text) if m.lastgroup != "number"]
    spans = [s for s in spans if not any(s[0] < end and start < s[1]
                                         and not s[0] <= start < end <= s[1]
                                         for start, end in fixed)]
    items: list[Protected] = []
    pieces: list[str] = []

    def swap(match: re.Match[str]) -> str:
        items.append(Protected(match.lastgroup or "number", match.group(0),
                               placeholder(len(items))))
        return items[-1].placeholder

    position = 0
    for start, end, restore in sorted(spans):
        if start < position or end <= start:
            continue
        pieces.append(_PROTECT_RE.sub(swap, text[position:start]))
        items.append(Protected("term", text[start:end], placeholder(len(items)), restore))
        pieces.append(items[-1].placeholder)
        position = end
    pieces.append(_PROTECT_RE.sub(swap, text[position:]))
    return Masked("".join(pieces), tuple(items))


def unmask(masked: Masked, translated: str, target_lang: str = "en", source_lang: str = "de"
           ) -> tuple[str, list[Repair]]:
    """Put every item back exactly once; return the text and every repair it took."""
    repairs: list[Repair] = []
    used: set[int] = set()
    expected = len(masked.items)

    def swap(match: re.Match[str]) -> str | None:
        index = int(match.group(1))
        if index >= expected:
            repairs.append(Repair(RepairKind.INVENTED, "placeholder", match.group(0)))
            return None
        if index in used:
            item = masked.items[index]
            repairs.append(Repair(RepairKind.REPEATED, item.kind, item.value))
            return None
        used.add(index)
        return localize(masked.items[index], target_lang, source_lang)

    pieces: list[str] = []
    position = 0
    for match in PLACEHOLDER_RE.finditer(translated):
        pieces.append(translated[position:match.start()])
        replacement = swap(match)
        if replacement is None:
            pieces[-1] = pieces[-1].rstrip(" \t")
        else:
            pieces.append(replacement)
        position = match.end()
    pieces.append(translated[position:])
    text = "".join(pieces)
    missing = [item for i, item in enumerate(masked.items) if i not in used]
    if missing:
        tail = _FINAL.search(text)
        cut = tail.start() if tail else len(text)
        restored = " ".join(localize(item, target_lang, source_lang) for item in missing)
        text = f"{text[:cut].rstrip()} {restored}{text[cut:].lstrip()}".strip()
        repairs.extend(Repair(RepairKind.DROPPED, item.kind, item.value) for item in missing)
    return re.sub(r"[ \t]{2,}", " ", text).strip(), repairs


def localize(item: Protected, target_lang: str, source_lang: str = "de") -> str:
    """Numbers are written the target's way, terms as asked; the rest comes back as written."""
    if item.restore is not None:
        return item.restore
    if item.kind != "number":
        return item.value
    return localize_number(item.value, target_lang, source_lang)


def localize_number(value: str, target_lang: str, source_lang: str = "de") -> str:
    """Rewrite a number of the source locale for the target locale, keeping its value and
    precision.

    Only forms unambiguous in the source locale change: in German ``204.000`` (groups of
    three after the group mark) and ``1,5`` (the decimal mark); in English ``204,000`` and
    ``1.5``. ``2024`` stays as written, and so does German ``3.5``.
    """
    if languages.base(target_lang) == languages.base(source_lang):
        return value
    from babel.numbers import (
        format_decimal,
        get_decimal_symbol,
        get_group_symbol,
        parse_decimal,
    )

    source = languages.locale(source_lang)
    if source is None or languages.locale(target_lang) is None:
        return value
    group, point = re.escape(get_group_symbol(source)), re.escape(get_decimal_symbol(source))
    grouped = re.fullmatch(rf"\d{{1,3}}(?:{group}\d{{3}})+(?:{point}\d+)?", value)
    decimal = re.fullmatch(rf"\d+{point}\d+", value)
    if not (grouped or decimal):
        return value
    try:
        number = parse_decimal(value, locale=source, strict=True)
    except Exception:  # noqa: BLE001 - babel raises several kinds; keep the value as written
        return value
    mark = get_decimal_symbol(source)
    places = len(value.split(mark)[1]) if mark in value else 0
    fmt = "#,##0" + ("." + "0" * places if places else "")
    if not grouped:
        fmt = "0" + ("." + "0" * places if places else "")
    return format_decimal(number, format=fmt, locale=target_lang)
