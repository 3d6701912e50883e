"""Looking up German terms in the offline dictionaries, the way the glossary matches them.

A term is found as a headword, else as an inflected form of one (the matcher's folding and
endings: *Filmfestivals* → *Filmfestival*), else by its head (*KI-Trainingsdaten* →
*Trainingsdaten*, *Filmstreik* → *Streik*), marked as such. French and Spanish come from
the German–French/Spanish dictionaries and through English (German → English → French),
marked as such. Candidates are ranked: how exactly the term was found, how many independent
dictionaries agree, direct over through English, how many senses agree, domain labels
(``[comp.]``, ``[art]``…), dictionary order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from pipeline.glossary.dictindex import DictionaryIndex, Indexed, Row, key_of
from pipeline.glossary.dictsources import HINT, discover
from pipeline.glossary.match import _ENDINGS, _inflects, _norm, _stem
from pipeline.glossary.termbase import Concept, LintIssue

#: Labels of the beat (computing, arts and film, economy, law, politics…; matched by word, so
#: ``[Film, TV]`` counts): a sense with one ranks higher. Labels of register, region or another
#: field rank lower; English prefers US spelling, as the term base does.
BEAT_LABEL_RE = re.compile(r"\b(?:comp|telco|art|photo|film|TV|print|econ|fin|jur|pol|adm|soc|"
                           r"media|theatre)\b", re.IGNORECASE)
MARKED_LABELS = frozenset({
    "coll.", "ugs.", "slang", "pej.", "obs.", "archaic", "dated", "rare", "selten",
    "veraltet", "veraltend", "humor.", "poet.", "Br.", "Ös.", "Schw.", "Bayr.", "Süddt.",
    "Norddt.", "ornith.", "bot.", "zool.", "med.", "chem.", "cook.", "anat.", "geol.",
    "min.", "textil.", "agr.", "biol.", "naut.", "mil.", "relig.", "hist.", "mach.",
    "constr.", "electr.", "auto", "pharm.", "biochem.", "astron.", "meteo.", "sport"})
#: How exactly a German term was found; ``composed`` (suggest: modifier + head translated
#: apart) says more than the head alone.
MATCH_RANK = {"headword": 4, "inflected": 3, "composed": 2, "head": 1}
#: English senses followed to French/Spanish; more only adds noise from their other senses.
PIVOT_WIDTH = 4
_MIN_HEAD = 4


@dataclass(frozen=True)
class Sense:
    """One translation as one dictionary gives it: ``match`` says how the German was found
    (``headword``, ``inflected``, ``head`` of a compound), ``german`` is the headword that
    matched, ``via`` the English term a French or Spanish sense was reached through."""

    text: str
    dictionary: str
    family: str
    labels: tuple[str, ...]
    match: str
    german: str
    via: str = ""
    order: int = 0


@dataclass(frozen=True)
class Candidate:
    """A target term and every sense that offers it, best first."""

    text: str
    senses: tuple[Sense, ...]

    @property
    def match(self) -> str:
        return max((s.match for s in self.senses), key=MATCH_RANK.__getitem__)

    @property
    def direct(self) -> bool:
        return any(not s.via for s in self.senses)

    @property
    def agreeing(self) -> int:
        """Independent dictionaries (families) that offer this target."""
        return len({s.family for s in self.senses})

    @property
    def domain(self) -> int:
        labels = {label for s in self.senses for label in s.labels}
        beat = any(BEAT_LABEL_RE.search(label) for label in labels)
        return (1 if beat else 0) - (1 if labels & MARKED_LABELS else 0)

    def rank(self) -> tuple[int, int, int, int, int, int]:
        """How exactly the German was found, how many dictionaries agree, direct over
        through English, how many senses agree, domain labels, dictionary order."""
        return (MATCH_RANK[self.match], self.agreeing, self.direct, len(self.senses),
                self.domain, -min(s.order for s in self.senses))

    def provenance(self) -> str:
        """``ding-de-en+freedict-deu-eng; head Streik; via strike; [art]`` — where it is from."""
        parts = ["+".join(dict.fromkeys(s.dictionary for s in self.senses))]
        if self.match != "headword" or any(s.german for s in self.senses if s.match == "head"):
            parts.append(f"{self.match} {self.senses[0].german}")
        if not self.direct:
            parts.append("via " + "/".join(dict.fromkeys(s.via for s in self.senses)))
        labels = dict.fromkeys(label for s in self.senses for label in s.labels)
        if labels:
            parts.append(" ".join(f"[{label}]" for label in labels))
        return "; ".join(parts)


class Dictionaries:
    """The dictionaries found, indexed; :func:`open_dictionaries` makes one."""

    def __init__(self, index: DictionaryIndex | None, sources: list[Indexed]) -> None:
        self.index = index
        self.sources = sources
        self._rows: dict[tuple[str, str, bool], list[tuple[Row, str]]] = {}

    @property
    def available(self) -> bool:
        return bool(self.sources)

    def languages(self) -> set[str]:
        """Target languages reachable from German, directly or through English."""
        direct = {s.tgt for s in self.sources if s.src == "de"}
        return direct | ({s.tgt for s in self.sources if s.src == "en"} if "en" in direct
                         else set())

    def close(self) -> None:
        if self.index is not None:
            self.index.close()

    def lookup(self, term: str, lang: str, *, heads: bool = True) -> list[Candidate]:
        """Ranked candidates for German ``term`` in ``lang``; ``heads=False`` leaves out the
        compound's head (lint compares the whole term only)."""
        senses = self._senses(term, lang, heads)
        if lang != "en":
            english = {key_of(c.text, "en"): c for c in self.lookup(term, "en", heads=heads)
                       if c.match != "head"}
            english = dict(list(english.items())[:PIVOT_WIDTH])
            pivot = [s for s in self.sources if s.src == "en" and s.tgt == lang]
            for n, row in enumerate(self._find(pivot, list(english))):
                found = english[key_of(row.headword, "en")]
                senses += [Sense(text, row.source.name, row.source.family, labels, found.match,
                                 found.senses[0].german, row.headword, 100 + n * 10 + k)
                           for k, (text, labels) in enumerate(row.translations)]
        grouped: dict[str, list[Sense]] = {}
        for sense in senses:
            grouped.setdefault(_fold(sense.text), []).append(sense)
        candidates = [Candidate(group[0].text, tuple(group)) for group in grouped.values()]
        return sorted(candidates, key=lambda c: c.rank(), reverse=True)

    def knows(self, word: str) -> bool:
        """Is ``word`` (or a form of it) a German headword?"""
        return bool(self._german(word, "en", heads=False))

    def is_noun(self, word: str) -> bool:
        """Is ``word`` itself a noun headword, or a prefix entry (*Fernseh…*)?"""
        return any(match == "headword" and (row.noun or row.headword.endswith("…"))
                   for form in (word, word + "…")
                   for row, match in self._german(form, "en", heads=False))

    def lemma(self, word: str, *, heads: bool = True) -> str | None:
        """The dictionary form of a German word or compound (*KI-Modellen* → *KI-Modell*,
        *Filmstreiks* → *Filmstreik* by its head), when the dictionaries know it."""
        for row, _ in self._german(word, "en", heads=False):
            return row.lemma or row.headword
        parts = self.split(word) if heads else None
        if parts is not None and (head := self.lemma(parts[1])) is not None:
            return parts[0] + (head if parts[0].endswith("-") else head.lower())
        return None

    def split(self, word: str) -> tuple[str, str] | None:
        """A compound as (modifier, head) at the head the dictionaries know: after the last
        hyphen, else the longest known noun the word ends in (*Filmstreiks* → *Film*,
        *Streiks*)."""
        return self._cut([s for s in self.sources if s.src == "de" and s.tgt == "en"], word)

    # -- German side ------------------------------------------------------------------
    def _senses(self, term: str, lang: str, heads: bool) -> list[Sense]:
        return [Sense(text, row.source.name, row.source.family, labels, match, row.headword,
                      "", n * 10 + k)
                for n, (row, match) in enumerate(self._german(term, lang, heads))
                for k, (text, labels) in enumerate(row.translations)]

    def _german(self, term: str, lang: str, heads: bool) -> list[tuple[Row, str]]:
        """Rows for ``term`` with how they matched: whole term first, then its head."""
        cache_key = (term, lang, heads)
        if cache_key not in self._rows:
            sources = [s for s in self.sources if s.src == "de" and s.tgt == lang]
            found = self._whole(sources, term)
            if not found and heads:
                found = [(row, "head") for row, _ in self._head(sources, term)]
            self._rows[cache_key] = found
        return self._rows[cache_key]

    def _whole(self, sources: list[Indexed], term: str) -> list[tuple[Row, str]]:
        term = " ".join(term.split())
        if not term:
            return []
        rows = self._find(sources, [key_of(term, "de")])
        exact = _closest(term, [(r, "headword") for r in rows if _norm(r.headword) == _norm(term)])
        if exact:
            return exact
        *words, last = term.split(" ")
        prefix = " ".join(words) + " " if words else ""
        forms = {prefix + base for base in _bases(last)}
        return _closest(term, [
            (r, "inflected") for r in self._find(sources, [key_of(f, "de") for f in forms])
            if _norm(r.headword.rsplit(" ", 1)[-1]) != _norm(last)
            and r.headword.startswith(prefix) and _same_word(r.headword.split(" ")[-1], last)])

    def _head(self, sources: list[Indexed], term: str) -> list[tuple[Row, str]]:
        """The compound's head: the last word of a phrase, else what :meth:`split` finds."""
        if not sources:
            return []
        if " " in term.strip():
            return self._german(term.split()[-1], sources[0].tgt, True)
        parts = self._cut(sources, term)
        return self._german(parts[1], sources[0].tgt, True) if parts else []

    def _cut(self, sources: list[Indexed], word: str) -> tuple[str, str] | None:
        if "-" in word.strip("-"):
            cut = word.rindex("-") + 1
            return (word[:cut], word[cut:]) if self._whole(sources, word[cut:]) or \
                self._cut(sources, word[cut:]) else None
        for cut in range(3, len(word) - _MIN_HEAD + 1):
            head = word[cut].upper() + word[cut + 1:]
            if any(row.noun for row, _ in self._whole(sources, head)):
                return word[:cut], head
        return None

    def _find(self, sources: list[Indexed], keys: list[str]) -> list[Row]:
        return self.index.find(sources, keys) if self.index is not None and sources else []


def _closest(term: str, rows: list[tuple[Row, str]]) -> list[tuple[Row, str]]:
    """The rows spelt as ``term`` is (the key folds case and umlauts: *Bühne* is not *Buhne*),
    else those with its case folded, else all."""
    for same in (lambda h: h == term, lambda h: h.lower() == term.lower(),
                 lambda h: h.lower()[:len(term) - 3] == term.lower()[:len(term) - 3]):
        kept = [(row, match) for row, match in rows if same(row.headword)]
        if kept:
            return kept
    return rows


def _bases(word: str) -> set[str]:
    """Dictionary forms ``word`` may be an inflection of (ending off, a replaced one back)."""
    forms = set()
    for ending in (e for e in _ENDINGS if e and word.lower().endswith(e)):
        base = word[:-len(ending)]
        if len(base) >= 2:
            forms |= {base, base + "e", base + "en", base + "us", base + "um"}
    return forms - {word}


def _same_word(headword: str, surface: str) -> bool:
    """The matcher's test that ``surface`` inflects ``headword`` (its stem, its endings)."""
    return _stem(headword) == _stem(surface) or _inflects(headword, surface)


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[-‐]", " ", text.casefold()).split())


_ARTICLES = re.compile(r"^(?:the|a|an|to|le|la|les|l'|l’|un|une|el|los|las|lo|uno|una)\s*")


def agrees(target: str, offered: str) -> bool:
    """Does a dictionary's ``offered`` text give the term base's ``target``? Case, hyphens,
    a leading article or ``to`` and a plural ``s`` aside."""
    a, b = (_ARTICLES.sub("", _fold(text)) for text in (target, offered))
    return a == b or a + "s" == b or a == b + "s"


def open_dictionaries(folder: Path | str | None = None, *, cache: Path | None = None,
                      say: Callable[[str], None] | None = None) -> Dictionaries:
    """The dictionaries of ``folder`` (else ``$PIPELINE_DICTIONARIES``, else Debian's),
    indexed on first use. None found: an empty Dictionaries, and ``say`` hears how to add
    them (once per call)."""
    sources = discover(folder)
    if not sources:
        if say is not None:
            say(HINT)
        return Dictionaries(None, [])
    index = DictionaryIndex.open(cache)
    try:
        return Dictionaries(index, index.refresh(sources, say))
    except BaseException:
        index.close()
        raise


def dictionary_issues(concepts: Iterable[Concept], dictionaries: Dictionaries
                      ) -> list[LintIssue]:
    """A warning per concept and language whose target is nowhere among the dictionaries'
    translations of its German term or variants (when they offer any; names are skipped)."""
    issues = []
    reachable = dictionaries.languages()
    for concept in concepts:
        if concept.dnt:
            continue
        for lang, target in concept.targets.items():
            if lang not in reachable:
                continue
            offered = [c for form in concept.forms
                       for c in dictionaries.lookup(form, lang, heads=False)]
            if offered and not any(agrees(target, c.text) for c in offered):
                shown = ", ".join(list(dict.fromkeys(repr(c.text) for c in offered))[:4])
                issues.append(LintIssue(
                    concept.path, concept.line, "warning",
                    f"{concept.id}: {lang} target {target!r} is not among the dictionaries' "
                    f"translations ({shown})"))
    return issues
