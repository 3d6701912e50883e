"""Target terms in their inflected forms: found with a Snowball stemmer per target language,
written from the forms the term base lists (``fr_variants``: ``pl=réalisateurs|f=…``), and
the number and gender a German hit shows, so a repair agrees with its source.

A stemmer alone over-stems (French *générateur* and *génératif* share ``géner``), so a text
word counts as a term word only when both have the same stem *and* differ by endings of one
inflection paradigm of the language (``""``/``s``, ``al``/``aux``, ``ón``/``ones``): plural and
adjective gender, never another word of the same family. Gender pairs of nouns (*réalisateur*,
*réalisatrice*) and irregular plurals are for the listed variants.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any, NamedTuple

from pipeline.model import languages
from pipeline.model.errors import GlossaryError


class Number(StrEnum):
    SG = "sg"
    PL = "pl"


class Gender(StrEnum):
    M = "m"
    F = "f"
    N = "n"


@dataclass(frozen=True)
class TargetForm:
    """One listed form of a target term (``réalisatrices``: feminine plural)."""

    text: str
    number: Number | None = None
    gender: Gender | None = None

    @property
    def tags(self) -> str:
        """``f.pl``: gender first, then number, as the TSV cell writes them."""
        return ".".join(tag for tag in (self.gender, self.number) if tag is not None)


# --- the variants cell: ``pl=réalisateurs|f=réalisatrice|f.pl=réalisatrices`` -------------

#: The TSV column of a language's listed forms: ``fr_variants`` beside ``fr``.
VARIANTS_SUFFIX = "_variants"
_TAGS = {tag.value: tag for tag in (*Number, *Gender)}


def variants_column(lang: str) -> str:
    return f"{lang}{VARIANTS_SUFFIX}"


def column_lang(column: str) -> str | None:
    """``fr`` for ``fr_variants``; None for any other column."""
    return column.removesuffix(VARIANTS_SUFFIX) if column.endswith(VARIANTS_SUFFIX) else None


def parse_forms(cell: str, path: object = None, line: int | None = None
                ) -> tuple[TargetForm, ...]:
    """``f.pl=réalisatrices|pl=réalisateurs`` → forms; each item needs a number or a gender
    tag (at most one of each) and a text."""
    forms = []
    for item in filter(None, cell.split("|")):
        tags, sep, text = (part.strip() for part in item.partition("="))
        found = [_TAGS.get(tag) for tag in tags.split(".")] if sep and tags else [None]
        numbers = [t for t in found if isinstance(t, Number)]
        genders = [t for t in found if isinstance(t, Gender)]
        if not text or None in found or len(numbers) > 1 or len(genders) > 1:
            raise GlossaryError(f"variant {item!r} is not tags=text (tags: sg or pl, m, f or n, "
                                "joined by '.': f.pl=…)", path=path, line=line)
        forms.append(TargetForm(text, numbers[0] if numbers else None,
                                genders[0] if genders else None))
    return tuple(forms)


def render_forms(forms: Sequence[TargetForm]) -> str:
    return "|".join(f"{form.tags}={form.text}" for form in forms)


# --- finding a term in target text -----------------------------------------------------------

_STEMMERS = {"ca": "catalan", "cs": "czech", "da": "danish", "de": "german", "el": "greek",
             "en": "english", "es": "spanish", "fi": "finnish", "fr": "french",
             "hu": "hungarian", "it": "italian", "lt": "lithuanian", "nl": "dutch",
             "no": "norwegian", "nb": "norwegian", "pl": "polish", "pt": "portuguese",
             "ro": "romanian", "ru": "russian", "sv": "swedish", "tr": "turkish"}
#: Endings of one paradigm may stand for each other; a word and a term word match when their
#: stems agree and what follows their common start is in one paradigm.
_PARADIGMS: dict[str, tuple[frozenset[str], ...]] = {
    "en": (frozenset({"", "s", "es", "'s", "’s"}), frozenset({"y", "ies"})),
    "fr": (frozenset({"", "s", "e", "es"}), frozenset({"", "x"}),
           frozenset({"al", "aux", "ale", "ales"}), frozenset({"if", "ive", "ifs", "ives"}),
           frozenset({"el", "elle", "els", "elles"}), frozenset({"en", "enne", "ens", "ennes"}),
           frozenset({"er", "ère", "ers", "ères"})),
    "es": (frozenset({"", "s", "es", "a", "as"}), frozenset({"o", "a", "os", "as"}),
           frozenset({"ón", "ones", "ona", "onas"}), frozenset({"z", "ces"})),
}
_DEFAULT_PARADIGMS = (frozenset({"", "s", "es"}),)
_WORD_RE = re.compile(r"[^\W_]+")
#: What may stand between two words of a term: spaces, hyphens, an elision's apostrophe.
_JOIN_RE = re.compile(r"[\s\u00a0\u2010\u2011'’-]+")


@lru_cache(maxsize=64)
def _stemmer(lang: str) -> Any:
    """Snowball's stemmer for ``lang`` (None without one); imported on first use, so the term
    base's reader stays light."""
    import snowballstemmer

    name = _STEMMERS.get(languages.base(lang))
    return snowballstemmer.stemmer(name) if name else None


@lru_cache(maxsize=65536)
def _stem(word: str, lang: str) -> str:
    stemmer = _stemmer(lang)
    return stemmer.stemWord(word) if stemmer is not None else word


def same_word(word: str, term_word: str, lang: str) -> bool:
    """``word`` (text) is an inflected form of ``term_word`` (lowercase both)."""
    if word == term_word:
        return True
    if _stem(word, lang) != _stem(term_word, lang):
        return False
    common = next((i for i, (a, b) in enumerate(zip(word, term_word, strict=False)) if a != b),
                  min(len(word), len(term_word)))
    rests = {word[common:], term_word[common:]}
    paradigms = _PARADIGMS.get(languages.base(lang), _DEFAULT_PARADIGMS)
    return any(rests <= paradigm for paradigm in paradigms)


class _Word(NamedTuple):
    text: str  # lowercase
    start: int
    end: int
    joined: bool  # only spaces, hyphens or an apostrophe before the next word


@lru_cache(maxsize=256)
def _words(text: str) -> tuple[_Word, ...]:
    found = [(m.group().lower(), *m.span()) for m in _WORD_RE.finditer(text)]
    words = []
    for i, (word, start, end) in enumerate(found):
        gap = text[end:found[i + 1][1]] if i + 1 < len(found) else ""
        # a space is the common gap (``\s`` is what str.isspace says)
        joined = gap.isspace() or (bool(gap) and bool(_JOIN_RE.fullmatch(gap)))
        words.append(_Word(word, start, end, joined))
    return tuple(words)


@lru_cache(maxsize=256)
def _by_stem(text: str, lang: str) -> dict[str, tuple[int, ...]]:
    """The positions of ``text``'s words per stem: a word can only be a form of a term word
    of the same stem (see same_word), so a term is looked for only where it may start."""
    index: dict[str, list[int]] = {}
    for i, word in enumerate(_words(text)):
        index.setdefault(_stem(word.text, lang), []).append(i)
    return {stem: tuple(found) for stem, found in index.items()}


#: the longest ending a paradigm lets differ between two forms of a word
_LONGEST_REST = max(len(rest) for paradigms in (*_PARADIGMS.values(), _DEFAULT_PARADIGMS)
                    for paradigm in paradigms for rest in paradigm)


@lru_cache(maxsize=256)
def _lowered(text: str) -> str:
    return text.lower()


def _may_stand(word: str, lowered: str) -> bool:
    """Whether a form of ``word`` may be in the text: any form begins with all of ``word`` but
    a paradigm's ending (see same_word), so a text without that beginning holds none."""
    keep = len(word) - _LONGEST_REST
    return keep <= 0 or word[:keep] in lowered


def term_spans(forms: Sequence[str], text: str, lang: str) -> list[tuple[int, int]]:
    """Where any of ``forms`` (a term and its listed variants) stands in ``text``, inflected
    or not: non-overlapping spans in text order, longer forms first."""
    lowered = _lowered(text)
    looked_for = []
    for form in sorted(dict.fromkeys(f for f in forms if f.strip()), key=len, reverse=True):
        wanted = [w.lower() for w in _WORD_RE.findall(form)]
        if wanted and _may_stand(wanted[0], lowered):
            looked_for.append(wanted)
    if not looked_for:  # the common case: most terms are in none of the texts checked
        return []
    words = _words(text)
    starts = _by_stem(text, lang)
    taken: list[tuple[int, int]] = []
    for wanted in looked_for:
        for i in starts.get(_stem(wanted[0], lang), ()):
            if i + len(wanted) > len(words):
                break
            run = words[i:i + len(wanted)]
            if all(w.joined for w in run[:-1]) and all(
                    same_word(w.text, t, lang) for w, t in zip(run, wanted, strict=True)):
                span = (run[0].start, run[-1].end)
                if all(span[1] <= a or span[0] >= b for a, b in taken):
                    taken.append(span)
    return sorted(taken)


# --- the number and gender of a German hit ---------------------------------------------------

_FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
#: Endings that make a German noun plural whatever its case (Regisseure, Bilder, Bildern).
_PLURAL = frozenset({"e", "er", "ern", "innen"})
#: Weak nouns take -en/-n in the singular too (den Journalisten): no evidence there.
_WEAK = ("ist", "ent", "ant", "at", "og", "graf", "graph", "nom", "ot")
#: Nouns of these endings have a plural like the singular (die Schauspieler).
_ZERO_PLURAL = ("er", "el", "en", "chen", "lein")


def source_number(surface: str, forms: Sequence[str]) -> Number | None:
    """The number a German hit shows against its term (headword and variants), None where
    its form does not tell (Schauspieler, Journalisten, Chatbots, Experten)."""
    word = surface.lower().translate(_FOLD)
    for form in sorted(forms, key=len, reverse=True):
        base = form.lower().translate(_FOLD)
        cut = next((end for end in ("us", "um", "e") if base.endswith(end)
                    and len(base) > len(end) + 2), "")
        stem = base[:len(base) - len(cut)]
        if not word.startswith(stem):
            continue
        rest = word[len(stem):]
        if rest == cut:
            return None if not cut and base.endswith(_ZERO_PLURAL) else Number.SG
        if rest in _PLURAL or (rest == "nen" and base.endswith("in")):
            return Number.PL
        if rest in ("en", "n"):  # Algorithmen, Regisseuren; never Experten, Journalisten
            weak = cut == "e" or stem.endswith(_WEAK)
            return None if weak and cut not in ("us", "um") else Number.PL
        return Number.SG if rest == "es" else None
    return None


def source_gender(surface: str, forms: Sequence[str]) -> Gender | None:
    """Feminine when the hit has a feminine ending (-in, -innen) its headword lacks."""
    word = surface.lower()
    if word.endswith(("in", "innen")) and not forms[0].lower().endswith("in"):
        return Gender.F
    return None


def agreeing(head: str, forms: Sequence[TargetForm], number: Number, gender: Gender | None
             ) -> str | None:
    """The listed form (or the headword, singular and unmarked) of ``number`` and ``gender``;
    unmarked forms stand in for a gender nobody listed. None when no form has that number."""
    candidates = [TargetForm(head, Number.SG), *forms]
    fitting = [f for f in candidates if (f.number or Number.SG) is number]
    for wanted in ((gender,) if gender in (None, Gender.M) else (gender, None)):
        for form in fitting:
            if form.gender is wanted or (wanted is None and form.gender is Gender.M):
                return form.text
    return None


def find_term(term: str, text: str, lang: str) -> tuple[int, int] | None:
    """Where ``term`` first stands in ``text`` in any inflected form, None if nowhere."""
    spans = term_spans([term], text, lang)
    return min(spans) if spans else None
