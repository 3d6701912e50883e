"""Finding the term base's terms in German text: stems, compounds, case rules."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import snowballstemmer

from pipeline.glossary.termbase import Concept, load_file
from pipeline.model.errors import GlossaryError


@dataclass(frozen=True, eq=False)
class Glossary:
    """All concepts of a term base; the matcher index is built once, on first use.

    Compared and hashed by identity, so it can key a cache."""

    concepts: tuple[Concept, ...]
    folder: Path | None = None

    def get(self, concept_id: str) -> Concept | None:
        return next((c for c in self.concepts if c.id == concept_id), None)

    @cached_property
    def matcher(self) -> _Matcher:
        return _Matcher(self.concepts)


def load_glossary(folder: Path) -> Glossary:
    """Read every ``*.tsv`` in ``folder``; a bad row or a duplicate id is a GlossaryError."""
    folder = Path(folder)
    files = sorted(folder.glob("*.tsv"))
    if not files:
        raise GlossaryError("no *.tsv term base files", path=folder)
    concepts: dict[str, Concept] = {}
    for concept in (c for path in files for c in load_file(path)):
        if (first := concepts.setdefault(concept.id, concept)) is not concept:
            raise GlossaryError(f"duplicate id {concept.id!r} (first at {first.path}:{first.line})",
                                path=concept.path, line=concept.line)
    return Glossary(tuple(concepts.values()), folder)


# --- matching German text --------------------------------------------------------------------
# Text and terms are split into words at anything that is not a letter or digit; what joins
# two words (space, hyphen, other) must agree, except that a space in a term also matches a
# hyphen (Open Source / Open-Source-Modell). A separate word matches when its Snowball stem
# equals the term's (after folding umlauts, so Arbeitsplätze → arbeitsplatz) and, for the
# last word, when it is the term's base plus a German ending (_inflects). Words inside a
# hyphenated compound match as written, so KI matches in KI-Fortschritten. A closed compound
# whose stem ends in a term's stem is a "head" hit (Filmstreiks → Streik), never its first
# part (Streikposten is not Streik). Case=exact terms match only as written, plus "s".

_STEMMER = snowballstemmer.stemmer("german")
_UMLAUTS = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
_ATOM_RE = re.compile(r"[^\W_]+")
_HYPHENS = frozenset("-\u2010\u2011")
#: What may follow a base form in an inflected noun or adjective (base: see _base).
_ENDINGS = frozenset({"", "e", "en", "n", "s", "es", "ens", "ns", "er", "ern", "ers", "em"})
#: Frequent words that scraped text glues to the previous word ("Bloombergsagte").
_GLUE = ("und", "oder", "sagte", "sagt", "sagten", "der", "die", "das", "den", "dem", "des",
         "ist", "hat", "war", "wird", "mit", "von", "auch", "aber", "nicht", "sich", "eine",
         "einen", "einem", "einer", "für", "auf", "als", "bei", "nach", "wie")
_KIND_RANK = {"word": 0, "compound": 0, "glued": 1, "head": 2}


@lru_cache(maxsize=65536)
def _norm(word: str) -> str:
    """Lowercase, umlauts folded, ``-innen`` → ``-in`` (Snowball leaves ``regisseurinn``)."""
    word = word.lower().translate(_UMLAUTS)
    return word[:-3] if len(word) > 6 and word.endswith("innen") else word


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return _STEMMER.stemWord(_norm(word))


@lru_cache(maxsize=4096)
def _stems(word: str) -> frozenset[str]:
    """A term's stems: Latin ``-us``/``-um`` nouns also stem to their ``-en`` plural."""
    norm = _norm(word)
    extra = {_stem(norm[:-2] + "en")} if norm.endswith(("us", "um")) else set()
    return frozenset({_stem(word), *extra})


def _base(form: str) -> tuple[str, str]:
    """Split off an ending that inflection replaces: Branche → Branch-en, Algorithm-us/-en."""
    for end in ("us", "um", "en", "e"):
        if form.endswith(end) and len(form) > len(end) + 2:
            return form[:-len(end)], end
    return form, ""


def _inflects(form: str, surface: str) -> bool:
    """Guard against Snowball's over-stemming: ``Schauspiel`` is no form of ``Schauspieler``."""
    base, cut = _base(_norm(form))
    rest = _norm(surface)[len(base):] if _norm(surface).startswith(base) else None
    return rest is not None and (rest in _ENDINGS or rest == cut)


@dataclass(frozen=True)
class _Atom:
    text: str
    start: int
    end: int
    joiner: str  # " " (space), "-" (hyphen), other punctuation as written, "" at the end


def _atoms(text: str) -> list[_Atom]:
    found = list(_ATOM_RE.finditer(text))
    atoms = []
    for i, m in enumerate(found):
        gap = text[m.end():found[i + 1].start()] if i + 1 < len(found) else ""
        joiner = " " if gap.isspace() else "-" if gap in _HYPHENS else gap
        atoms.append(_Atom(m.group(), m.start(), m.end(), joiner))
    return atoms


def _same(word: str, surface: str, exact: bool, inflect: bool, last: bool = False) -> bool:
    """Does a term word match a text word? Inside hyphenated compounds nothing inflects."""
    if exact:
        return surface == word or (inflect and last and surface == word + "s")
    if not inflect:
        return _norm(word) == _norm(surface)
    return _stem(surface) in _stems(word) and (not last or _inflects(word, surface))


def _glued(word: str, surface: str, exact: bool) -> bool:
    head, tail = surface[:len(word)], surface[len(word):].lower()
    same = head == word if exact else _norm(head) == _norm(word)
    return len(word) >= 4 and same and tail in _GLUE


@dataclass(frozen=True)
class _Pattern:
    concept: Concept
    form: str
    words: tuple[tuple[str, str], ...]  # (word, joiner after it)
    exact: bool


@dataclass(frozen=True)
class TermHit:
    """A term found in the source: ``text[start:end] == surface``. ``kind``: ``word`` (whole
    words), ``compound`` (part of a hyphenated compound: KI in KI-Fortschritten), ``head`` (the
    head of a closed compound: Filmstreiks), ``glued`` (a missing space: Bloombergsagte)."""

    concept: Concept
    start: int
    end: int
    surface: str
    kind: str = "word"


#: Longer than the longest German compounds in print (Rindfleischetikettierungs… is 63).
MAX_WORD = 80


class _Matcher:
    """Index of term patterns by the key of their first word (its normal form and its stem)."""

    def __init__(self, concepts: Iterable[Concept]) -> None:
        self.index: dict[str, list[_Pattern]] = defaultdict(list)
        self.heads: dict[str, list[_Pattern]] = defaultdict(list)
        for concept in concepts:
            for form in concept.forms:
                atoms = _atoms(form)
                if not atoms:
                    continue
                pattern = _Pattern(concept, form, tuple((a.text, a.joiner) for a in atoms),
                                   concept.case == "exact")
                for key in {_norm(atoms[0].text), *_stems(atoms[0].text)}:
                    self.index[key].append(pattern)
                if len(atoms) == 1 and not pattern.exact and len(_stem(form)) >= 4:
                    self.heads[_stem(form)].append(pattern)

    def candidates(self, text: str) -> list[tuple[TermHit, int]]:
        """Every possible hit with its affinity (shared prefix with the term as written).

        Words longer than any German word (``MAX_WORD``) are junk, not terms: skipping them
        keeps stemming and compound-head lookups linear in the text.
        """
        atoms, found = _atoms(text), []
        for i, atom in enumerate(atoms):
            if len(atom.text) > MAX_WORD:
                continue
            for pattern in self._lookup(atom):
                if (match := self._match(pattern, atoms, i)) is not None:
                    end, kind = match
                    found.append(self._hit(pattern, text, atom.start, end, kind))
            if atom.joiner not in _HYPHENS:
                found.extend(self._heads(text, atom))
        return found

    def _lookup(self, atom: _Atom) -> list[_Pattern]:
        word = atom.text
        keys = {_norm(word), _stem(word), _norm(word[:-1])}
        keys.update(_norm(word[:-len(g)]) for g in _GLUE if word.lower().endswith(g))
        return list({id(p): p for key in keys for p in self.index.get(key, ())}.values())

    @staticmethod
    def _match(p: _Pattern, atoms: list[_Atom], i: int) -> tuple[int, str] | None:
        if i + len(p.words) > len(atoms):
            return None
        for k, (word, joiner) in enumerate(p.words[:-1]):
            atom = atoms[i + k]
            if not (joiner == atom.joiner or (joiner == " " and atom.joiner == "-")):
                return None
            if not _same(word, atom.text, p.exact, inflect="-" not in (joiner, atom.joiner)):
                return None
        last, word = atoms[i + len(p.words) - 1], p.words[-1][0]
        inside = (i > 0 and atoms[i - 1].joiner == "-") or last.joiner == "-"
        if _same(word, last.text, p.exact, inflect=last.joiner != "-", last=True):
            return last.end, "compound" if inside else "word"
        if last.joiner != "-" and _glued(word, last.text, p.exact):
            return last.start + len(word), "glued"
        return None

    def _heads(self, text: str, atom: _Atom) -> Iterable[tuple[TermHit, int]]:
        stem, norm = _stem(atom.text), _norm(atom.text)
        if not norm.startswith(stem):
            return
        for cut in range(3, len(stem) - 3):
            for pattern in self.heads.get(stem[cut:], ()):
                if _inflects(pattern.form, norm[cut:]):
                    yield self._hit(pattern, text, atom.start, atom.end, "head")

    @staticmethod
    def _hit(p: _Pattern, text: str, start: int, end: int, kind: str) -> tuple[TermHit, int]:
        surface, form = _norm(text[start:end]), _norm(p.form)
        affinity = next((n for n, (a, b) in enumerate(zip(surface, form, strict=False)) if a != b),
                        min(len(surface), len(form)))
        return TermHit(p.concept, start, end, text[start:end], kind), affinity


#: Where a term is never looked for nor changed: inside a tag (an ``href`` ending in /ki),
#: a Markdown link target, a URL.
_OFF_LIMITS = re.compile(r"<[^<>]*>|\]\([^()\s]*\)|(?:https?://|www\.)[^\s<>\"]+")


def off_limits(text: str) -> list[tuple[int, int]]:
    """The spans of ``text`` no term may be found or replaced in."""
    return [m.span() for m in _OFF_LIMITS.finditer(text)]


def find_terms(glossary: Glossary, text: str) -> list[TermHit]:
    """Non-overlapping hits in document order; the longest match wins, then whole words over
    compound heads, then the form closest to the text (Schauspielerin over Schauspieler).
    Nothing inside markup or a URL counts (see ``off_limits``)."""
    ranked = sorted(glossary.matcher.candidates(text), key=lambda c: (
        c[0].start - c[0].end, _KIND_RANK[c[0].kind], -c[1], c[0].start, c[0].concept.id))
    taken = bytearray(len(text))
    for start, end in off_limits(text):
        taken[start:end] = b"\x01" * (end - start)
    hits = []
    for hit, _ in ranked:
        if not any(taken[hit.start:hit.end]):
            taken[hit.start:hit.end] = b"\x01" * (hit.end - hit.start)
            hits.append(hit)
    return sorted(hits, key=lambda h: h.start)
