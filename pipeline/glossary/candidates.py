"""Finding candidate concepts in German text: compounds and phrases built on the term base's
parts (``KI-…``, ``…-KI``, ``…modell``, ``Film…``, elliptic ``Film-, Fernseh- und …branche``),
capitalised multi-word names, and frequent domain nouns the term base does not cover yet.

Only finding and counting happens here; :mod:`pipeline.glossary.suggest` adds targets.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from pipeline.glossary.dictionaries import Dictionaries, _bases
from pipeline.glossary.match import Glossary, _norm, _stem, find_terms

TOKEN_RE = re.compile(r"\w+(?:[-‐]\w+)*(?:[-‐](?=[,\s]))?")
#: ``Film-, Fernseh- und Streamingbranche``: truncated parts take the last compound's head.
ELLIPSIS_RE = re.compile(r"((?:\b\w+[-‐],?\s+)+)(?:und|oder|sowie|bzw\.)\s+(\w+(?:[-‐]\w+)*)")
#: Small words a name may hold between capitalised words (Academy of Motion Picture Arts).
CONNECTORS = frozenset({"of", "and", "the", "&", "de", "del", "la", "le", "du", "da", "von",
                        "van", "for", "on"})
#: Capitalised words that open sentences or stand before names but are none themselves.
OPENERS = frozenset(
    "Der Die Das Den Dem Des Ein Eine Einer Einen Einem Er Sie Es Wir Ich Ihr Man Dies Diese "
    "Dieser Dieses Damit Dabei Doch Aber Und Auch Nun Jetzt Heute Hier Dort Mehr Alle Viele "
    "Wie Was Wer Wo Wann Warum Als Wenn Weil Dass Ob Im In Am An Auf Aus Bei Mit Nach Von Vor "
    "Zu Zum Zur Für Über Unter Seit Laut Trotz Während Nicht Noch Schon Bereits So Sein Seine "
    "Ihre Ihren Unser Unsere Kein Keine Jede Jeder Jedes Jeden Jedem Manche Mehrere Einige "
    "Beide Welche Solche Andere Weitere Herr Frau Dr Prof".split())
#: Adjectives too general to make a phrase a term (neue Modelle is no concept).
COMMON_ADJECTIVES = frozenset(
    "neu groß klein erst letzt viel ander eigen gut hoch lang weit alt jung ganz gleich "
    "weiter wenig einig solch jed all manch mehrer best nächst früh spät stark schnell "
    "wichtig bekannt möglich heutig bisherig ehemalig künftig aktuell".split())
KINDS = ("compound", "phrase", "name", "noun")
#: A noun must occur this often to count as frequent (compounds and names need one).
NOUN_FLOOR = 2


@dataclass
class Proposal:
    """A candidate concept: its kind, the forms seen, where (article, sentence), and the
    term base concept it is built on (compounds and phrases)."""

    kind: str
    forms: Counter[str] = field(default_factory=Counter)
    contexts: list[tuple[str, str]] = field(default_factory=list)
    basis: str = ""

    @property
    def count(self) -> int:
        return sum(self.forms.values())


class Parts:
    """The term base's words as compound parts: a modifier starts a compound (``KI-``,
    ``Film…``), a head ends one (``…modell``, ``…-KI``); each maps to its concept's id."""

    def __init__(self, glossary: Glossary, dictionaries: Dictionaries) -> None:
        self.modifiers: dict[str, str] = {}
        self.heads: dict[str, str] = {}
        words = {form: c.id for c in glossary.concepts for form in c.forms if " " not in form}
        for concept in glossary.concepts:
            for form in concept.forms if concept.pos != "name" else ():
                for word in form.split():
                    if word[:1].isupper() or word.isupper():
                        words.setdefault(word, concept.id)
        for word, cid in sorted(words.items(), key=lambda item: len(item[0])):
            pieces = [p for p in re.split(r"[-‐]", word) if p[:1].isupper() or p.isupper()]
            for n, piece in enumerate(pieces):
                if len(piece) < 4 and not piece.isupper():
                    continue
                if n == len(pieces) - 1:
                    self.heads.setdefault(_norm(piece), words.get(piece, cid))
                if n == 0:
                    self.modifiers.setdefault(_norm(piece), words.get(piece, cid))
            if len(pieces) == 1 and (cut := dictionaries.split(word)) and len(cut[0]) >= 4 \
                    and cut[0].capitalize() not in OPENERS:
                self.modifiers.setdefault(_norm(cut[0]).rstrip("s"), cid)
                self.heads.setdefault(_norm(cut[1]), cid)
        closed = sorted(w for w in words if "-" not in w and len(w) >= 6)
        for one, two in zip(closed, closed[1:], strict=False):
            common = _common(_norm(one), _norm(two))
            if len(common) >= 4:
                self.modifiers.setdefault(common, words[one])

    def of(self, token: str) -> str | None:
        """The concept whose part ``token`` is (``Modelle`` → the one of ``KI-Modell``)."""
        for form in (token, *sorted(_bases(token), key=len, reverse=True)):
            if (found := self.modifiers.get(_norm(form)) or self.heads.get(_norm(form))):
                return found
        return None

    def basis(self, token: str) -> str | None:
        """The concept a compound token is built on, or None."""
        pieces = re.split(r"[-‐]", token)
        if len(pieces) > 1:
            for piece in pieces:
                forms = {piece, *_bases(piece)} if piece is pieces[-1] else {piece}
                for form in forms:
                    found = self.modifiers.get(_norm(form)) or self.heads.get(_norm(form))
                    if found:
                        return found
            return None
        norm = _norm(token)
        if not token[:1].isupper():
            return None  # a closed compound is a noun
        for modifier, cid in self.modifiers.items():
            if len(modifier) >= 4 and norm.startswith(modifier) and len(norm) - len(modifier) >= 4:
                return cid
        for base in {token, *_bases(token)}:
            for head, cid in self.heads.items():
                if len(head) >= 4 and _norm(base).endswith(head) and \
                        len(_norm(base)) - len(head) >= 3:
                    return cid
        return None


def _common(a: str, b: str) -> str:
    n = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a),
                                                                                 len(b)))
    return a[:n]


def key(surface: str) -> str:
    """Forms of one candidate share a key: its words folded, the last one stemmed."""
    words = surface.split()
    last = re.split(r"[-‐]", words[-1])
    return " ".join([*map(_norm, words[:-1]), "-".join([*map(_norm, last[:-1]),
                                                        _stem(last[-1])])])


class Finder:
    """Collects proposals sentence by sentence; :meth:`proposals` gives the kept ones."""

    def __init__(self, glossary: Glossary, dictionaries: Dictionaries) -> None:
        self.glossary = glossary
        self.dictionaries = dictionaries
        self.parts = Parts(glossary, dictionaries)
        self.found: dict[tuple[str, str], Proposal] = {}

    def add(self, article: str, sentence: str) -> None:
        tokens = [(m.group(), m.start(), m.end()) for m in TOKEN_RE.finditer(sentence)]
        taken: set[int] = set()
        for name, start, end in self._names(sentence, tokens):
            self._note("name", name, article, sentence)
            taken.update(range(start, end))
        for token, start, _ in tokens:
            if start in taken or token.endswith(("-", "‐")) or not any(c.isalpha() for c in token):
                continue
            hit = self._covering(token)
            part = self.parts.of(token) if hit is None else None
            basis = self.parts.basis(token) if hit is None and part is None else None
            if basis is not None:
                self._note("compound", token, article, sentence, basis)
            before = re.search(r"(\w+)\s+$", sentence[:start])
            phrase = f"{before.group(1)} {token}" if before else ""
            if (part or basis) and before and _is_adjective(before.group(1)) and \
                    self._covering(phrase) is None:
                self._note("phrase", phrase, article, sentence, part or basis or "")
            elif (hit or part or basis) is None and token[:1].isupper() and len(token) >= 4 \
                    and start > 0 and token not in OPENERS:
                self._note("noun", token, article, sentence)
        for match in ELLIPSIS_RE.finditer(sentence):
            for compound in self._expand(match.group(1), match.group(2)):
                if self._covering(compound) is None and (basis := self.parts.basis(compound)):
                    self._note("compound", compound, article, sentence, basis)

    def _names(self, sentence: str, tokens: list[tuple[str, int, int]]
               ) -> Iterable[tuple[str, int, int]]:
        run: list[tuple[str, int, int]] = []
        for item in [*tokens, ("", len(sentence) + 1, len(sentence) + 1)]:
            token, start, _ = item
            joined = not run or not sentence[run[-1][2]:start].strip()
            if joined and token and (token[:1].isupper() or (run and token in CONNECTORS)):
                run.append(item)
                continue
            while run and (run[0][0] in OPENERS or run[0][0] in CONNECTORS
                           or self._common_noun(run[0][0], first=run[0][1] == 0)):
                run.pop(0)
            while run and (run[-1][0] in CONNECTORS or self._ours(run[-1][0])
                           or self._common_noun(run[-1][0], first=False)):
                run.pop()
            if len(run) >= 2:
                name = sentence[run[0][1]:run[-1][2]]
                if self._covering(name) is None:
                    yield name, run[0][1], run[-1][2]
            run = [item] if token and token[:1].isupper() else []

    def _common_noun(self, word: str, first: bool) -> bool:
        """A German noun (or any known word opening a sentence), not part of a name."""
        if self._ours(word):
            return True
        if not self.dictionaries.available:
            return first  # without dictionaries a capital says nothing in German
        lemma = self.dictionaries.lemma(word, heads=False)
        return lemma is not None and (first or lemma[:1].isupper())

    def _ours(self, word: str) -> bool:
        """A term base term, one of its parts, or a compound built on one."""
        return (self._covering(word) is not None or self.parts.of(word) is not None
                or self.parts.basis(word) is not None)

    def _expand(self, truncated: str, last: str) -> list[str]:
        """``Film-, Fernseh-`` + ``Streamingbranche`` → Filmbranche, Fernsehbranche, and the
        last compound itself."""
        if re.search(r"[-‐]", last):
            head = re.split(r"[-‐]", last)[-1]
        else:
            cut = self.dictionaries.split(last)
            found = next((last[i:] for i in range(2, len(last) - 3)
                          if _norm(last[i:]) in self.parts.heads), None)
            head = cut[1] if cut else (found or "")
        if not head:
            return []
        parts = [p.strip(" ,-‐") for p in re.findall(r"\w+[-‐]", truncated)]
        return [p + "-" + head[:1].upper() + head[1:] if p.isupper() else p + head.lower()
                for p in parts] + [last]

    def _covering(self, text: str) -> str | None:
        """The concept that is the whole text already (a compound's head is not)."""
        return next((h.concept.id for h in find_terms(self.glossary, text)
                     if h.start == 0 and h.end == len(text) and h.kind != "head"), None)

    def _note(self, kind: str, surface: str, article: str, sentence: str, basis: str = ""
              ) -> None:
        found = self.found.setdefault((kind, surface if kind == "name" else key(surface)),
                                      Proposal(kind, basis=basis))
        found.forms[surface] += 1
        if len(found.contexts) < 3 and (article, sentence) not in found.contexts:
            found.contexts.append((article, sentence))

    def proposals(self, min_count: int = 1) -> list[Proposal]:
        """Kept proposals, most frequent first: compounds, phrases and names from
        ``min_count`` occurrences, single nouns from ``max(min_count, NOUN_FLOOR)`` when
        they are of the beat (a domain label, or unknown to the dictionaries: then a name)."""
        kept = []
        self._merge_inflected()
        compounds = {k for (kind, k) in self.found if kind == "compound"}
        for (kind, k), found in self.found.items():
            floor = max(min_count, NOUN_FLOOR) if kind == "noun" else min_count
            if found.count < floor or (kind == "noun" and k in compounds):
                continue
            if kind == "noun" and self.dictionaries.available:
                word = found.forms.most_common(1)[0][0]
                if not self.dictionaries.knows(word):
                    found.kind = "noun" if self.dictionaries.split(word) else "name"
                elif not any(c.domain > 0 for c in self.dictionaries.lookup(word, "en",
                                                                              heads=False)):
                    continue
            kept.append(found)
        return sorted(kept, key=lambda p: (-p.count, KINDS.index(p.kind),
                                           p.forms.most_common(1)[0][0]))


    def _merge_inflected(self) -> None:
        """Forms the stemmer keeps apart (Filmcrew, Filmcrews) join the shorter one's group."""
        by_form = {(kind, form): k for (kind, k), found in self.found.items()
                   for form in found.forms}
        for (kind, k) in sorted(self.found, key=lambda item: -len(item[1])):
            found = self.found[(kind, k)]
            form = found.forms.most_common(1)[0][0]
            target = next((by_form[(kind, base)] for base in sorted(_bases(form), key=len)
                           if (kind, base) in by_form and by_form[(kind, base)] != k), None)
            if target is not None and (kind, target) in self.found:
                into = self.found.pop((kind, k))
                keep = self.found[(kind, target)]
                keep.forms.update(into.forms)
                keep.contexts.extend(c for c in into.contexts if c not in keep.contexts)
                del keep.contexts[3:]
                by_form.update({(kind, f): target for f in into.forms})


def _is_adjective(word: str) -> bool:
    """A lowercase inflected adjective that can make a term (generative, synthetische)."""
    stem = re.sub(r"(?:e|en|er|es|em)$", "", word)
    return (word.islower() and stem != word and len(word) >= 6
            and stem not in COMMON_ADJECTIVES and word not in OPENERS)
