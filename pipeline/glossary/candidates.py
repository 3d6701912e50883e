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
#: Labels that make a frequent noun one of the beat's (film, the arts, media, computing);
#: economy or law alone would bring in Ersatz and Menschen.
CORE_LABEL_RE = re.compile(r"\b(?:comp|telco|art|photo|film|TV|media|theatre|print)\b",
                           re.IGNORECASE)
#: How many concepts must share a piece for it to be a part (see Parts).
PART_SHARE = 3
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
    ``Film…``), a head ends one (``…modell``, ``…-KI``); each maps to a concept's id.

    A part is a whole term of the term base, or a noun that ``PART_SHARE`` of its concepts
    are built from, split at a hyphen or where the dictionaries split them (Film- in
    Filmbranche, Filmstudio, Filmproduktion; -modell in KI-Modell, Sprachmodell,
    Basismodell): the piece one or two words happen to share (Raum in Autorenraum, Führung
    in Uraufführung and Kameraführung) makes no beat. Names are left out (Hollywood-Studio
    is Hollywood's, not a new term). Parts compare in lowercase without folding umlauts, so
    Förderung is no Forderung. Without dictionaries closed terms are not split.
    """

    def __init__(self, glossary: Glossary, dictionaries: Dictionaries) -> None:
        words: dict[str, str] = {}  # every capitalised word of a term → its concept
        whole: dict[str, str] = {}  # one-word terms
        for concept in (c for c in glossary.concepts if c.pos != "name"):
            for form in concept.forms:
                if " " not in form:
                    whole.setdefault(form.lower(), concept.id)
                for word in form.split():
                    if word[:1].isupper():
                        words.setdefault(word, concept.id)
        mods: dict[str, list[str]] = {}
        heads: dict[str, list[str]] = {}
        for word, cid in words.items():
            pieces = [p for p in re.split(r"[-‐]", word) if p[:1].isupper()]
            cut = dictionaries.split(word) if len(pieces) == 1 else None
            if cut and not self._noun(cut[0].lower(), dictionaries):
                cut = None  # Rende|ring, Urauf|führung: no compound the dictionaries made
            first, last = (cut[0].rstrip("-‐"), cut[1]) if cut else (pieces[0], pieces[-1])
            if len(pieces) > 1 or cut:
                mods.setdefault(first.lower(), []).append(cid)
                heads.setdefault(last.lower(), []).append(cid)
        self.modifiers = {**{p: ids[0] for p, ids in mods.items()
                             if len(set(ids)) >= PART_SHARE and self._noun(p, dictionaries)},
                          **whole}
        self.heads = {**{p: ids[0] for p, ids in heads.items()
                         if len(set(ids)) >= PART_SHARE and self._noun(p, dictionaries)},
                      **whole}

    @staticmethod
    def _noun(piece: str, dictionaries: Dictionaries) -> bool:
        """A piece that can be a part: long enough, no preposition, a noun (or a prefix
        entry) when the dictionaries can tell (Kurz- of Kurzfilm and Kurzarbeit is none)."""
        word = piece[:1].upper() + piece[1:]
        if (len(piece) < 4 and not piece.isupper()) or word in OPENERS:
            return False
        return not dictionaries.available or any(
            dictionaries.is_noun(form) for form in (word, word.removesuffix("s")))

    def of(self, token: str) -> str | None:
        """The concept whose part ``token`` is (``Modelle`` → the one of ``KI-Modell``)."""
        for form in (token, *sorted(_bases(token), key=len, reverse=True)):
            if (found := self.modifiers.get(form.lower()) or self.heads.get(form.lower())):
                return found
        return None

    def basis(self, token: str) -> str | None:
        """The concept a compound token is built on, or None."""
        pieces = re.split(r"[-‐]", token)
        if len(pieces) > 1:
            for piece in pieces:
                forms = {piece, *_bases(piece)} if piece is pieces[-1] else {piece}
                for form in forms:
                    found = self.modifiers.get(form.lower()) or self.heads.get(form.lower())
                    if found:
                        return found
            return None
        low = token.lower()
        if not token[:1].isupper():
            return None  # a closed compound is a noun
        for modifier, cid in self.modifiers.items():
            if len(modifier) >= 4 and low.startswith(modifier) and len(low) - len(modifier) >= 4:
                return cid
        for base in {token, *_bases(token)}:
            for head, cid in self.heads.items():
                if len(head) >= 4 and base.lower().endswith(head) and \
                        len(base) - len(head) >= 3:
                    return cid
        return None


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
        hits = find_terms(self.glossary, sentence)
        names = {h.concept.de.lower() for h in hits if h.concept.pos == "name"}
        covered = {i for h in hits if h.kind != "head" for i in range(h.start, h.end)}
        glued = {h.start for h in hits if h.kind == "glued"}  # Bloombergsagte is no term
        taken: set[int] = set()
        for name, start, end in self._names(sentence, tokens, covered):
            self._note("name", name, article, sentence)
            taken.update(range(start, end))
        for token, start, end in tokens:
            if (start in taken or start in glued or token.endswith(("-", "‐"))
                    or not any(c.isalpha() for c in token)):
                continue
            if set(range(start, end)) <= covered:
                continue  # the term base has it (or the longer term it is in)
            if re.split(r"[-‐]", token)[0].lower() in names:
                continue  # Hollywood-Studio: the name's, translated as it is
            part = self.parts.of(token)
            basis = self.parts.basis(token) if part is None else None
            if basis is not None:
                self._note("compound", token, article, sentence, basis)
                before = re.search(r"(\w+)\s+$", sentence[:start])
                phrase = f"{before.group(1)} {token}" if before else ""
                if before and _is_adjective(before.group(1)) and self._covering(phrase) is None:
                    self._note("phrase", phrase, article, sentence, basis)
            elif part is None and token[:1].isupper() and len(token) >= 4 and start > 0 \
                    and token not in OPENERS:
                self._note("noun", token, article, sentence)
        for match in ELLIPSIS_RE.finditer(sentence):
            for compound in self._expand(match.group(1), match.group(2)):
                if self._covering(compound) is None and (basis := self.parts.basis(compound)):
                    self._note("compound", compound, article, sentence, basis)

    def _names(self, sentence: str, tokens: list[tuple[str, int, int]], covered: set[int]
               ) -> Iterable[tuple[str, int, int]]:
        """Runs of capitalised words (with connectors inside), German nouns, openers and the
        term base's terms trimmed off the ends; a term base term ends a run."""
        run: list[tuple[str, int, int]] = []
        for item in [*tokens, ("", len(sentence) + 1, len(sentence) + 1)]:
            token, start, _ = item
            joined = not run or not sentence[run[-1][2]:start].strip()
            free = start not in covered
            if joined and token and free and (token[:1].isupper()
                                             or (run and token in CONNECTORS)):
                run.append(item)
                continue
            while run and (run[0][0] in OPENERS or run[0][0] in CONNECTORS
                           or self._common_noun(run[0][0], first=run[0][1] == 0)):
                run.pop(0)
            while run and (run[-1][0] in CONNECTORS or self._ours(run[-1][0])
                           or self._common_noun(run[-1][0], first=False)):
                run.pop()
            if len(run) >= 2:
                yield sentence[run[0][1]:run[-1][2]], run[0][1], run[-1][2]
            run = [item] if token and free and token[:1].isupper() else []

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
                          if last[i:].lower() in self.parts.heads), None)
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
                elif not any(CORE_LABEL_RE.search(label)
                             for c in self.dictionaries.lookup(word, "en", heads=False)[:1]
                             for sense in c.senses for label in sense.labels):
                    continue  # a domain noun: its first sense is labelled for the beat
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
