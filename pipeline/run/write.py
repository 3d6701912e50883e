"""The writing half of a run: every output of every article, each file atomically, and the
memory updated with people's new sign-offs and this run's machine output."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.formats import po
from pipeline.formats.jsonl import render_jsonl
from pipeline.formats.markdown import render_markdown
from pipeline.formats.review import write_review
from pipeline.formats.xliff import Match, write_xliff
from pipeline.infra.atomic import write_text
from pipeline.memory.store import TranslationMemory
from pipeline.model.errors import OutputError
from pipeline.run import terms
from pipeline.run.results import ArticleResult, LanguageResult
from pipeline.store.layout import Paths, check_memory_path, paths, review_path


@dataclass(frozen=True)
class OutputSet:
    """What one article produced in one language, for reports and ``--json``."""

    article: str
    lang: str
    paths: Paths
    review: Path
    segments: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    repairs: int = 0
    errors: int = 0
    terms: dict[str, int] = field(default_factory=dict)
    #: segments the engine translated in this run (the rest was reused)
    translated_now: int = 0
    #: made with test packages (random weights): the text is gibberish by construction
    test_models: bool = False


def write_results(results: Iterable[ArticleResult], out_dir: Path, *,
                  memory: Path | None = None, langs: Sequence[str] | None = None
                  ) -> list[OutputSet]:
    """Write each article's outputs as its result arrives; the memory file is opened (and
    made, for a first run) only once the first result is there, so a run that fails before
    leaves nothing behind."""
    out_dir = Path(out_dir)
    memory_path = memory or out_dir / "memory.sqlite"
    if langs is not None:
        check_memory_path(memory_path, out_dir, langs)
    written: list[OutputSet] = []
    store: TranslationMemory | None = None
    try:
        for article in results:
            if store is None:
                check_memory_path(memory_path, out_dir, [r.lang for r in article.languages])
                store = TranslationMemory.open(memory_path)
            store.add(article.memory_units)
            written += write_article(article, out_dir, langs)
        if store is None:  # no article at all: the memory still exists afterwards
            TranslationMemory.open(memory_path).close()
    finally:
        if store is not None:
            store.close()
    return written


def write_article(article: ArticleResult, out_dir: Path,
                  langs: Sequence[str] | None = None) -> list[OutputSet]:
    """PO, Markdown, JSONL, XLIFF and the term report per language; one review page."""
    review = review_path(out_dir, article.slug)
    sets = []
    for result in article.languages:
        where = paths(out_dir, result.lang, article.slug)
        write_language(article, result, where)
        report = terms.write_report(where.terms, result.translations, bool(article.hits))
        sets.append(OutputSet(
            article=article.slug, lang=result.lang, paths=where, review=review,
            segments=len(result.translations), counts=result.counts, repairs=result.repairs,
            errors=result.errors, terms=report, translated_now=result.translated_now,
            test_models=result.test_models))
    columns = list(langs) if langs is not None else [r.lang for r in article.languages]
    write_review(review, article.document,
                 {r.lang: r.translations for r in article.languages},
                 terms=terms.review_terms(article.hits, columns) or None)
    return sets


def write_language(article: ArticleResult, result: LanguageResult, where: Paths) -> None:
    """PO, Markdown, JSONL and XLIFF for one language, each written atomically."""
    document, translations, lang = article.document, result.translations, result.lang
    for path in (where.po, where.xliff):  # a person's file this run never read: not ours to replace
        if path.exists() and path.resolve() not in result.previous.read:
            raise OutputError(
                "exists, but this run did not read it (pass previous= the output folder, or "
                "it appeared during the run); not overwritten", path=path)
    po.write_catalog(where.po, po.build_catalog(document, translations, lang,
                                                result.previous.catalog))
    write_text(where.markdown, render_markdown(document, translations, lang))
    write_text(where.jsonl, render_jsonl(document, translations, lang))
    matches = {t.segment.id: [Match(s.source, s.target, s.similarity, s.origin)
                              for s in t.suggestions] for t in translations if t.suggestions}
    write_xliff(where.xliff, document, translations, lang,
                terms=terms.xliff_terms(article.hits, lang) or None, matches=matches or None)
