"""The term base on disk: data model, TSV reader and writer, merging.

The TSV files (format in glossary/README.md) are the source of truth; TBX and CSV exchange
live in :mod:`pipeline.glossary.exchange`, checks in :mod:`pipeline.glossary.lint`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.glossary.inflect import (
    TargetForm,
    column_lang,
    parse_forms,
    render_forms,
    variants_column,
)
from pipeline.infra.atomic import write_text
from pipeline.infra.files import LIMITS, read_text
from pipeline.model.errors import GlossaryError, InputError

FIXED_COLUMNS = ("id", "de", "variants", "pos", "case", "dnt")
TAIL_COLUMNS = ("avoid", "note")
REQUIRED_LANGS = ("en", "fr", "es")
POS_VALUES = ("noun", "verb", "adj", "name", "phrase")
CASE_VALUES = ("exact", "any")
SLUG_RE = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
DOMAIN_RE = re.compile(r"[a-z0-9][a-z0-9_-]*\Z")
LANG_RE = re.compile(r"[a-z]{2,3}\Z")


@dataclass(frozen=True)
class Concept:
    """One row of the term base. ``path``/``line`` say where it came from; equality ignores them,
    so a concept that went through TBX or CSV compares equal to the one that was loaded."""

    id: str
    domain: str
    de: str
    variants: tuple[str, ...]
    pos: str
    case: str
    dnt: bool
    targets: dict[str, str]
    avoid: dict[str, tuple[str, ...]]
    note: str = ""
    path: Path | None = field(default=None, compare=False)
    line: int = field(default=0, compare=False)
    #: listed forms of a target term (``fr_variants``): plural, feminine, irregular
    target_variants: dict[str, tuple[TargetForm, ...]] = field(default_factory=dict)

    def __hash__(self) -> int:  # the dict fields are unhashable; equal concepts share an id
        return hash(self.id)

    @property
    def forms(self) -> tuple[str, ...]:
        """Every German spelling the matcher looks for: the headword, then the variants."""
        return (self.de, *self.variants)

    def target_forms(self, lang: str) -> tuple[str, ...]:
        """The target term in ``lang`` and its listed variants (empty without a target)."""
        head = self.targets.get(lang)
        return (head, *(f.text for f in self.target_variants.get(lang, ()))) if head else ()


@dataclass(frozen=True)
class LintIssue:
    """A problem found by :func:`lint`; ``str()`` is the ``path:line: severity: message`` line."""

    path: Path | None
    line: int
    severity: str
    message: str

    def __str__(self) -> str:
        return f"{self.path or '<term base>'}:{self.line}: {self.severity}: {self.message}"


# --- reading TSV -----------------------------------------------------------------------------

def parse_header(cells: Sequence[str], path: object, extra: tuple[str, ...] = ()
                 ) -> tuple[str, ...]:
    """Check the header and return its language columns (between ``dnt`` and ``avoid``)."""
    n, tail = len(FIXED_COLUMNS), TAIL_COLUMNS + extra
    if (tuple(cells[:n]) != FIXED_COLUMNS or tuple(cells[-len(tail):]) != tail
            or len(cells) <= n + len(tail)):
        raise GlossaryError(f"header must be: {' '.join(FIXED_COLUMNS)} <languages…> "
                            f"{' '.join(tail)}", path=path, line=1)
    langs = tuple(cells[n:-len(tail)])
    for code in langs:
        lang = column_lang(code)
        if lang is not None and lang in langs and langs.count(code) == 1:
            continue  # fr_variants: the listed forms of the fr column's term
        if not LANG_RE.match(code) or langs.count(code) > 1:
            raise GlossaryError(f"header column {code!r} is not a (unique) language code",
                                path=path, line=1)
    return langs


def parse_avoid(cell: str, path: object = None, line: int | None = None
                ) -> dict[str, tuple[str, ...]]:
    """``en=a|fr=b|en=c`` → ``{"en": ("a", "c"), "fr": ("b",)}``."""
    avoid: dict[str, tuple[str, ...]] = {}
    for item in filter(None, cell.split("|")):
        code, sep, term = (part.strip() for part in item.partition("="))
        if not sep or not term or not LANG_RE.match(code):
            raise GlossaryError(f"avoid item {item!r} is not lang=text", path=path, line=line)
        avoid[code] = (*avoid.get(code, ()), term)
    return avoid


def parse_row(cells: Sequence[str], langs: tuple[str, ...], domain: str, path: Path | str | None,
              line: int) -> Concept:
    """One data row → Concept; anything malformed is a GlossaryError naming path and line."""
    width = len(FIXED_COLUMNS) + len(langs) + len(TAIL_COLUMNS)
    if len(cells) != width:
        raise GlossaryError(f"expected {width} columns, found {len(cells)}", path=path, line=line)
    cells = [cell.strip() for cell in cells]
    cid, de, variants, pos, case, dnt = cells[:len(FIXED_COLUMNS)]

    def bad(message: str) -> GlossaryError:
        return GlossaryError(message, path=path, line=line)

    if not SLUG_RE.match(cid):
        raise bad(f"id {cid!r} is not a lowercase ASCII slug")
    if not de:
        raise bad(f"{cid}: empty German headword")
    if pos not in POS_VALUES:
        raise bad(f"{cid}: pos {pos!r} is not one of {', '.join(POS_VALUES)}")
    if case not in CASE_VALUES:
        raise bad(f"{cid}: case {case!r} is not exact or any")
    if dnt not in ("yes", "no"):
        raise bad(f"{cid}: dnt {dnt!r} is not yes or no")
    texts = cells[len(FIXED_COLUMNS):len(FIXED_COLUMNS) + len(langs)]
    targets = {lang: term for lang, term in zip(langs, texts, strict=True)
               if term and column_lang(lang) is None}
    forms = {lang: parse_forms(cell, path, line)
             for column, cell in zip(langs, texts, strict=True)
             if cell and (lang := column_lang(column)) is not None}
    return Concept(cid, domain, de, tuple(v.strip() for v in variants.split("|") if v.strip()),
                   pos, case, dnt == "yes", targets, parse_avoid(cells[-2], path, line),
                   cells[-1], Path(path) if path is not None else None, line, forms)


def read_table(path: Path) -> tuple[tuple[str, ...], list[tuple[int, list[str]]]]:
    """The header's languages and the raw (line number, cells) rows; blank lines are skipped."""
    try:
        text = read_text(path, "a term base file", LIMITS["termbase"]).removeprefix("\ufeff")
    except InputError as exc:  # the term base's own error kind, same one line
        raise GlossaryError(exc.message, path=exc.path, line=exc.line) from None
    lines = text.split("\n")
    langs = parse_header([c.strip() for c in lines[0].split("\t")], path)
    return langs, [(no, ln.split("\t")) for no, ln in enumerate(lines[1:], 2) if ln.strip()]


def load_file(path: Path) -> list[Concept]:
    """Concepts of one TSV; its domain is the file stem."""
    langs, rows = read_table(path)
    return [parse_row(cells, langs, Path(path).stem, path, no) for no, cells in rows]




def load_folder(folder: Path) -> list[Concept]:
    """Every concept of every ``*.tsv`` in ``folder``, file by file (no cross checks)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise GlossaryError("no such term base folder", path=folder)
    return [c for path in sorted(folder.glob("*.tsv")) for c in load_file(path)]


# --- writing TSV -----------------------------------------------------------------------------

def concept_cells(c: Concept, langs: Sequence[str]) -> list[str]:
    order = [*langs, *(lang for lang in c.avoid if lang not in langs)]
    avoid = "|".join(f"{lang}={term}" for lang in order for term in c.avoid.get(lang, ()))
    return [c.id, c.de, "|".join(c.variants), c.pos, c.case, "yes" if c.dnt else "no",
            *(c.targets.get(lang, "") if (of := column_lang(lang)) is None
              else render_forms(c.target_variants.get(of, ())) for lang in langs), avoid, c.note]


def render_tsv(concepts: Iterable[Concept], langs: Sequence[str]) -> str:
    """A whole domain file: header, then one row per concept sorted by id, LF endings."""
    lines = ["\t".join([*FIXED_COLUMNS, *langs, *TAIL_COLUMNS])]
    lines += ["\t".join(concept_cells(c, langs)) for c in sorted(concepts, key=lambda c: c.id)]
    return "\n".join(lines) + "\n"


def languages_of(concepts: Iterable[Concept], start: Sequence[str] = REQUIRED_LANGS
               ) -> tuple[str, ...]:
    concepts = list(concepts)
    langs = dict.fromkeys(start)
    for concept in concepts:
        langs.update(dict.fromkeys(concept.targets))
    for concept in concepts:  # a language's variants column right after it
        for lang in concept.target_variants:
            if variants_column(lang) not in langs:
                order = list(langs)
                order.insert(order.index(lang) + 1 if lang in order else len(order),
                             variants_column(lang))
                langs = dict.fromkeys(order)
    return tuple(langs)


def save_domains(folder: Path, concepts: Sequence[Concept], domains: Iterable[str]) -> list[Path]:
    """Rewrite the files of ``domains`` (atomically) from ``concepts``; untouched files stay
    byte for byte, and a file keeps its language columns (new languages are appended)."""
    written = []
    for domain in sorted(set(domains)):
        if not DOMAIN_RE.match(domain):
            raise GlossaryError(f"domain {domain!r} is not a lowercase file name")
        path = Path(folder) / f"{domain}.tsv"
        rows = [c for c in concepts if c.domain == domain]
        langs = languages_of(rows, read_table(path)[0] if path.exists() else REQUIRED_LANGS)
        text = render_tsv(rows, langs)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            write_text(path, text)
            written.append(path)
    return written


def storable(concept: Concept) -> Concept:
    """The concept if a TSV row can hold it unchanged (no tabs, newlines or stray ``|``)."""
    langs = languages_of([concept])
    try:
        back = parse_row(concept_cells(concept, langs), langs, concept.domain, None, concept.line)
    except GlossaryError as exc:
        raise GlossaryError(exc.message, path=concept.path, line=concept.line) from None
    cells = concept_cells(concept, langs)
    if back != concept or any(ch in cell for cell in cells for ch in "\t\r\n"):
        raise GlossaryError(f"{concept.id}: a field holds a tab, line break or stray '|'",
                            path=concept.path, line=concept.line)
    if not DOMAIN_RE.match(concept.domain):
        raise GlossaryError(f"{concept.id}: domain {concept.domain!r} is not a lowercase file "
                            "name (pass --domain)", path=concept.path, line=concept.line)
    return concept


def merge(existing: Sequence[Concept], incoming: Sequence[Concept], replace: bool = False
          ) -> tuple[list[Concept], dict[str, int]]:
    """Add or update concepts by id; a differing existing entry is an error unless ``replace``."""
    result = {c.id: c for c in existing}
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    seen: set[str] = set()
    for c in incoming:
        if c.id in seen:
            raise GlossaryError(f"{c.id}: twice in the imported file", path=c.path, line=c.line)
        seen.add(c.id)
        old = result.get(c.id)
        if old is not None and old != c and not replace:
            raise GlossaryError(f"{c.id}: differs from the entry at {old.path}:{old.line} "
                                "(use --replace to overwrite it)", path=c.path, line=c.line)
        counts["added" if old is None else "unchanged" if old == c else "updated"] += 1
        result[c.id] = c
    return list(result.values()), counts
