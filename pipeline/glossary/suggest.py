"""``glossary suggest``: candidate concepts from new articles with the dictionaries' targets per
language and the renderings reviewers used, written as a TSV a person edits and ``glossary
import`` reads (the format is in glossary/README.md).

Finding candidates is :mod:`pipeline.glossary.candidates`; this module translates and writes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.glossary.candidates import Finder, Proposal
from pipeline.glossary.dictionaries import Candidate, Dictionaries, Sense
from pipeline.glossary.drift import Reviewed
from pipeline.glossary.inflect import find_term
from pipeline.glossary.match import Glossary, _norm
from pipeline.glossary.termbase import FIXED_COLUMNS, TAIL_COLUMNS, Concept

#: Candidate targets kept per language.
TOP = 3
#: Columns after the term base's: what a person edits (domain, take), then provenance.
EXTRA_COLUMNS = ("domain", "take", "kind", "count", "basis")
_UMLAUT_SLUG = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


@dataclass(frozen=True)
class Suggestion:
    """A candidate concept ready to write: the proposed headword, how often and where it was
    seen, the concept it is built on, ranked targets and reviewers' renderings per language
    (rendering, sentences using it, reviewed sentences with the term)."""

    id: str
    de: str
    kind: str
    count: int
    contexts: tuple[tuple[str, str], ...]
    basis: str
    domain: str
    targets: dict[str, tuple[Candidate, ...]]
    reviewed: dict[str, tuple[tuple[str, int, int], ...]]

    @property
    def is_name(self) -> bool:
        return self.kind == "name"


@dataclass(frozen=True)
class Coverage:
    """Of ``total`` suggestions (names aside), how many have a dictionary target for the
    whole term, and how many only one built from its parts (composed, or its head)."""

    lang: str
    whole: int
    partial: int
    total: int

    def __str__(self) -> str:
        return (f"{self.lang}: {self.whole} whole term, {self.partial} from its parts, "
                f"{self.total - self.whole - self.partial} none (of {self.total})")


def suggest(texts: Iterable[tuple[str, str]], glossary: Glossary, dictionaries: Dictionaries,
            langs: Sequence[str], *, min_count: int = 1, reviewed: Iterable[Reviewed] = ()
            ) -> tuple[list[Suggestion], list[Coverage]]:
    """Suggestions from ``texts`` ((article, sentence) pairs), most frequent first, and the
    dictionaries' coverage per language."""
    finder = Finder(glossary, dictionaries)
    for article, sentence in texts:
        finder.add(article, sentence)
    by_id = {c.id: c for c in glossary.concepts}
    segments = list(reviewed)
    taken = {c.id for c in glossary.concepts}
    suggestions = []
    for proposal in finder.proposals(min_count):
        de = _headword(proposal, dictionaries)
        targets = {lang: tuple(_targets(de, proposal, lang, dictionaries, by_id)) for lang in langs}
        basis = by_id.get(proposal.basis)
        suggestions.append(Suggestion(
            _slug(de, taken), de, proposal.kind, proposal.count, tuple(proposal.contexts),
            proposal.basis, "names" if proposal.kind == "name" else basis.domain if basis else "",
            targets, {lang: _reviewed(proposal, targets[lang], lang, segments) for lang in langs}))
    return suggestions, [_coverage(suggestions, lang) for lang in langs]


def _headword(proposal: Proposal, dictionaries: Dictionaries) -> str:
    """The dictionary form: what the dictionaries say (KI-Modellen → KI-Modell), else the
    shortest form seen; names and phrases as they were written most often."""
    forms = [form for form, _ in proposal.forms.most_common()]
    if proposal.kind in ("name", "phrase"):
        return forms[0]
    for form in sorted(forms, key=len):
        if (lemma := dictionaries.lemma(form)) is not None and lemma[:1] == form[:1]:
            return lemma
    return min(forms, key=len)


def _slug(de: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", de.lower().translate(_UMLAUT_SLUG)).strip("-") or "term"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def _targets(de: str, proposal: Proposal, lang: str, dictionaries: Dictionaries,
             concepts: dict[str, Concept]) -> list[Candidate]:
    """Ranked candidates: the dictionaries' for the whole term, one composed from the
    modifier's and head's translations (the term base's first), then the head's."""
    if proposal.kind == "name":
        return []
    found = dictionaries.lookup(de, lang)
    if not any(c.match in ("headword", "inflected") for c in found):
        composed = _compose(de, lang, dictionaries, concepts)
        found = ([composed] if composed else []) + found
    return found[:TOP]


def _compose(de: str, lang: str, dictionaries: Dictionaries, concepts: dict[str, Concept]
             ) -> Candidate | None:
    """``KI-Double`` → *AI double*, *double d'IA*, *doble de IA*: the modifier and the head
    translated apart and put in the language's order."""
    parts = dictionaries.split(de.split()[-1]) if de else None
    if parts is None:
        return None
    modifier, head = parts[0].rstrip("-‐"), parts[1]
    known = {_norm(form).replace("-", " "): c for c in concepts.values() for form in c.forms}

    def translate(word: str, prefix: bool) -> tuple[str, str] | None:
        for form in (word, word.rstrip("s")):
            concept = known.get(_norm(form).replace("-", " "))
            if concept is not None and concept.targets.get(lang):
                return concept.targets[lang], f"{form} (term base)"
        # the sense the term base's own compounds use: Branche is industry in film industry
        related = [c.targets[lang] for c in concepts.values() if c.targets.get(lang) and any(
            (_norm(f).startswith if prefix else _norm(f).endswith)(_norm(word)) for f in c.forms)]
        for form in ([word, word + "…"] if prefix else [word]):
            found = dictionaries.lookup(form, lang, heads=False)
            best = next((c for c in found for t in related if find_term(c.text, t, lang)),
                        found[0] if found else None)
            if best is not None:
                return best.text.replace("…", "").strip(), f"{form} ({best.senses[0].dictionary})"
        return None

    mod, head_text = translate(modifier, True), translate(head, False)
    if mod is None or head_text is None:
        return None
    # the term base's spelling stands (AI, Hollywood); a dictionary's noun is lowercased
    # unless it is an acronym (TV)
    m = mod[0] if mod[1].endswith("(term base)") or mod[0][:2].isupper() else mod[0].lower()
    if lang == "en":
        text = f"{m} {head_text[0]}"
    else:
        joint = "d'" if lang == "fr" and m[:1].lower() in "aeiouhéè" else "de "
        text = f"{head_text[0]} {joint}{m}"
    sense = Sense(text, "composed", "composed", (), "composed", f"{mod[1]} + {head_text[1]}")
    return Candidate(text, (sense,))


def _reviewed(proposal: Proposal, targets: Sequence[Candidate], lang: str,
              segments: Sequence[Reviewed]) -> tuple[tuple[str, int, int], ...]:
    """Per candidate target (a name: itself), in how many reviewed sentences with the term
    reviewers used it; ("", 0, n) when they used none of them."""
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(f)}(?!\w)" for f in proposal.forms),
                         0 if proposal.kind == "name" else re.IGNORECASE)
    used = [s.target for s in segments if s.lang == lang and pattern.search(s.source)]
    if not used:
        return ()
    texts = [next(iter(proposal.forms))] if proposal.kind == "name" else [c.text for c in targets]
    counts = [(text, sum(bool(find_term(text, t, lang)) for t in used), len(used))
              for text in texts]
    return tuple(c for c in counts if c[1]) or (("", 0, len(used)),)


def _coverage(suggestions: Sequence[Suggestion], lang: str) -> Coverage:
    terms = [s for s in suggestions if not s.is_name]
    whole = sum(any(c.match in ("headword", "inflected") for c in s.targets[lang]) for s in terms)
    some = sum(bool(s.targets[lang]) for s in terms)
    return Coverage(lang, whole, some - whole, len(terms))


# --- the suggestion TSV ----------------------------------------------------------------------

def render_suggestions(suggestions: Sequence[Suggestion], langs: Sequence[str]) -> str:
    """The TSV: the term base's columns (targets pre-filled with the best candidate), then
    domain, take (``no``: a person sets ``yes``), kind, count, basis, per language the
    candidates with their provenance, reviewers' renderings, contexts."""
    header = [*FIXED_COLUMNS, *langs, *TAIL_COLUMNS, *EXTRA_COLUMNS,
              *(f"{lang} candidates" for lang in langs), "reviewed", "contexts"]
    lines = ["# glossary suggestions: check each row, edit the targets (candidates are in the "
             "'<lang> candidates' columns), set take=yes, then: python -m pipeline glossary "
             "import THIS-FILE",
             "\t".join(header)]
    for s in suggestions:
        name = s.is_name
        targets = [s.de if name else (s.targets[lang][0].text if s.targets[lang] else "")
                   for lang in langs]
        cells = [s.id, s.de, "", "name" if name else "noun",
                 "exact" if name or s.de.isupper() else "any", "yes" if name else "no",
                 *targets, "", "", s.domain, "no", s.kind, str(s.count), s.basis,
                 *(" | ".join(f"{c.text} ({c.provenance()})" for c in s.targets[lang])
                   for lang in langs),
                 "; ".join(f"{lang}: " + ", ".join(f"{text or 'none of these'} {n}/{total}"
                                                   for text, n, total in found)
                           for lang, found in s.reviewed.items() if found),
                 " | ".join(f"{article}: {_excerpt(sentence)}" for article, sentence in
                            s.contexts)]
        lines.append("\t".join(_cell(cell) for cell in cells))
    return "\n".join(lines) + "\n"


def _excerpt(sentence: str, width: int = 200) -> str:
    return sentence if len(sentence) <= width else sentence[:width - 1] + "…"


def _cell(text: str) -> str:
    return " ".join(text.split())


def article_texts(paths: Sequence[Path]) -> list[tuple[str, str]]:
    """(article slug, sentence) pairs of German articles, read and segmented as a run does."""
    from pipeline.ingest.article import read_article
    from pipeline.ingest.segment import segment_document

    texts = []
    for path in paths:
        document = read_article(Path(path))
        texts += [(document.slug, segment.plain) for segment in segment_document(document)]
    return texts
