"""Checks of a term base: bad rows, unknown languages, conflicting terms.

``lint_folder`` reports every problem; ``raise_errors`` stops a run on a term base that would
steer MT two ways at once.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.glossary.inflect import column_lang
from pipeline.glossary.termbase import (
    FIXED_COLUMNS,
    REQUIRED_LANGS,
    TAIL_COLUMNS,
    Concept,
    LintIssue,
    languages_of,
    parse_row,
    read_table,
)
from pipeline.model import languages
from pipeline.model.errors import GlossaryError

if TYPE_CHECKING:
    from pipeline.glossary.dictionaries import Dictionaries


def lint_folder(folder: Path, dictionaries: Dictionaries | None = None) -> list[LintIssue]:
    """Every problem in a term base folder, sorted by file and line; with ``dictionaries``,
    also a warning per target they never give (dictionaries.dictionary_issues)."""
    folder = Path(folder)
    files = sorted(folder.glob("*.tsv"))
    if not files:
        return [LintIssue(folder, 0, "error", "no *.tsv term base files")]
    issues: list[LintIssue] = []
    concepts: list[Concept] = []
    columns: dict[Path | None, tuple[str, ...]] = {}
    for path in files:
        try:
            langs, rows = read_table(path)
        except GlossaryError as exc:
            issues.append(LintIssue(path, exc.line or 0, "error", exc.message))
            continue
        columns[path] = langs
        issues += [LintIssue(path, 1, "error", f"header: {lang!r} is not a language code")
                   for lang in langs if not languages.is_known(column_lang(lang) or lang)]
        issues += [LintIssue(path, 1, "error", f"header: no {lang} column")
                   for lang in REQUIRED_LANGS if lang not in langs]
        issues += _lint_rows(path, langs, rows, concepts)
    issues += check_concepts(concepts, columns)
    if dictionaries is not None:
        from pipeline.glossary.dictionaries import dictionary_issues

        issues += dictionary_issues(concepts, dictionaries)
    return sorted(issues, key=lambda i: (str(i.path), i.line))


def _lint_rows(path: Path, langs: tuple[str, ...], rows: list[tuple[int, list[str]]],
               concepts: list[Concept]) -> list[LintIssue]:
    issues, previous = [], ""
    names = [*FIXED_COLUMNS, *langs, *TAIL_COLUMNS]
    for line, cells in rows:
        for name, cell in zip(names, cells, strict=False):
            listed = name in ("variants", "avoid") or column_lang(name) is not None
            parts = cell.split("|") if listed else [cell]
            if any(part != part.strip() for part in parts):
                issues.append(LintIssue(path, line, "error",
                                        f"{name}: leading or trailing whitespace"))
        try:
            concept = parse_row(cells, langs, path.stem, path, line)
        except GlossaryError as exc:
            issues.append(LintIssue(path, line, "error", exc.message))
            continue
        if concept.id < previous:
            issues.append(LintIssue(path, line, "warning",
                                    f"{concept.id}: rows not sorted by id (after {previous!r})"))
        previous = max(previous, concept.id)
        concepts.append(concept)
    return issues


def check_concepts(concepts: Iterable[Concept],
                   columns: Mapping[Path | None, tuple[str, ...]] | None = None
                   ) -> list[LintIssue]:
    """Checks across concepts: ids, German terms, targets, avoid codes, dnt."""
    issues: list[LintIssue] = []
    ids: dict[str, Concept] = {}
    terms: dict[str, Concept] = {}
    twins: dict[tuple, Concept] = {}
    for c in concepts:
        def issue(message: str, severity: str = "error", c: Concept = c) -> None:
            issues.append(LintIssue(c.path, c.line, severity, f"{c.id}: {message}"))

        if (first := ids.setdefault(c.id, c)) is not c:
            issue(f"duplicate id (first at {first.path}:{first.line})")
        _check_terms(c, terms, issue)
        langs = (columns or {}).get(c.path) or languages_of([c])
        for lang in REQUIRED_LANGS:
            if lang in langs and not c.targets.get(lang):
                issue(f"missing {lang} target", "warning")
        if not c.targets and not c.dnt:
            issue("no target in any language")
        for lang in c.targets:
            if not languages.is_known(lang):
                issue(f"target: {lang!r} is not a language code")
        for lang, avoided in c.avoid.items():
            if not languages.is_known(lang):
                issue(f"avoid: {lang!r} is not a language code")
            elif lang not in langs:
                issue(f"avoid: {lang!r} has no target column")
            if c.targets.get(lang, "").lower() in {a.lower() for a in avoided}:
                issue(f"{lang} target {c.targets[lang]!r} is also in avoid")
        _check_variants(c, issue)
        if c.dnt and c.pos != "name":
            issue(f"dnt=yes but pos={c.pos}: only names are kept untranslated")
        for lang, target in c.targets.items() if c.dnt else ():
            if target != c.de:
                issue(f"dnt name: {lang} target {target!r} is not {c.de!r}")
        hidden = [text for text in (c.de, *c.variants, *c.targets.values(),
                                    *(a for avoided in c.avoid.values() for a in avoided))
                  if any(unicodedata.category(ch) == "Cf" for ch in text)]
        if hidden:
            issue(f"invisible characters (bidi controls, zero-width) in {hidden[0]!r}: a term "
                  "must read as it is stored")
        key = tuple(sorted(c.targets.items()))
        if key and (twin := twins.setdefault(key, c)) is not c:
            issue(f"same targets as {twin.id!r}: make one a variant of the other", "warning")
    return issues


def _check_variants(c: Concept, issue: Callable[..., None]) -> None:
    """Listed target forms (``fr_variants``) need their target, are never a rendering to
    avoid and say something new; names do not inflect."""
    for lang, forms in c.target_variants.items():
        if c.dnt:
            issue(f"{lang}_variants: a dnt name does not inflect")
        if lang not in c.targets:
            issue(f"{lang}_variants: no {lang} target to vary")
        avoided = {a.lower() for a in c.avoid.get(lang, ())}
        seen = {(c.targets.get(lang, "").lower(), "sg")}  # the target is the singular
        for form in forms:
            if form.text.lower() in avoided:
                issue(f"{lang} variant {form.text!r} is also in avoid")
            if (form.text.lower(), form.tags) in seen:
                issue(f"{lang} variant {form.tags}={form.text} is listed twice (or is the "
                      "target)", "warning")
            seen.add((form.text.lower(), form.tags))


def _check_terms(c: Concept, terms: dict[str, Concept], issue: Callable[..., None]) -> None:
    """A German term (case-insensitive) belongs to one concept; the same form twice warns."""
    seen: set[str] = set()
    for form in c.forms:
        own = form if c.case == "exact" else form.lower()
        if own in seen:
            issue(f"German term {form!r} is listed twice", "warning")
        seen.add(own)
        other = terms.setdefault(form.lower(), c)
        if other is not c and other.id != c.id:
            issue(f"German term {form!r} is also in {other.id!r} ({other.path}:{other.line})")


def raise_errors(concepts: Iterable[Concept]) -> None:
    """Refuse to write a term base that lint would reject (used by add and import)."""
    errors = [i for i in check_concepts(concepts) if i.severity == "error"]
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise GlossaryError(errors[0].message + more, path=errors[0].path,
                            line=errors[0].line or None)


