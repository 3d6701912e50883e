"""The writing half of a run, per article, in one short locked section of the review store:
read the edits people saved meanwhile, commit the results (never over a segment whose
revision moved since the run read it), then render every file from what was committed,
each atomically, and add people's new sign-offs and this run's machine output to the memory.

A kill between two renames leaves some files at their previous render; the store knows both
renders, so the next run ignores those files instead of taking their old text for an edit.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.formats import po
from pipeline.memory.store import TranslationMemory
from pipeline.model.annotations import MemoryOrigin
from pipeline.model.document import Document, Translation
from pipeline.run import terms
from pipeline.run.compute import carry, checked
from pipeline.run.results import ArticleResult, LanguageResult, Unchanged
from pipeline.run.reuse import by_person, machine_offer
from pipeline.run.views import Views, keep, put, render
from pipeline.store.db import NAME, Change, ReviewStore
from pipeline.store.harvest import fingerprint
from pipeline.store.layout import Paths, check_memory_path, paths, review_path
from pipeline.store.previous import Kept, Kind
from pipeline.store.review import ReviewState


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
    #: segments a person changed while this run translated: their text was kept
    kept_for_person: int = 0
    #: complete from an earlier run (see run.resume): nothing translated or written now
    skipped: bool = False


#: What a complete article's record keeps of each of its OutputSets (see store.complete).
REPORTED = ("segments", "counts", "repairs", "errors", "terms", "test_models")


def write_results(results: Iterable[ArticleResult | Unchanged], out_dir: Path, *,
                  memory: Path | None = None, langs: Sequence[str] | None = None,
                  state: ReviewState | None = None) -> list[OutputSet]:
    """Write each article's outputs as its result arrives (see write_each); every
    OutputSet."""
    return list(write_each(results, out_dir, memory=memory, langs=langs, state=state))


def write_each(results: Iterable[ArticleResult | Unchanged], out_dir: Path, *,
               memory: Path | None = None, langs: Sequence[str] | None = None,
               state: ReviewState | None = None) -> Iterator[OutputSet]:
    """Write each article's outputs as its result arrives, yielding its OutputSets then
    (an Unchanged article's from its record: nothing is written); the memory file is opened
    (and made, for a first run) only once the first result is there, so a run that fails
    before leaves nothing behind."""
    out_dir = Path(out_dir)
    state = state if state is not None else ReviewState(out_dir)
    memory_path = memory or out_dir / "memory.sqlite"
    if langs is not None:
        check_memory_path(memory_path, out_dir, langs)
    store: TranslationMemory | None = None
    # SQLite folds the journal into the file whenever its last connection closes: one held
    # open for the run lets it do so every 1,000 pages instead of after every article
    keeper: ReviewStore | None = None
    try:
        for article in results:
            if isinstance(article, Unchanged):
                yield from _unchanged(article, out_dir)
                continue
            if store is None:
                check_memory_path(memory_path, out_dir, [r.lang for r in article.languages])
                store = TranslationMemory.open(memory_path)
            yield from write_article(article, out_dir, langs, state=state, memory=store)
            if keeper is None:
                keeper = ReviewStore.open(out_dir / NAME)
        if store is None:  # no article written: the memory still exists afterwards
            TranslationMemory.open(memory_path).close()
    finally:
        if store is not None:
            store.close()
        if keeper is not None:
            keeper.close()


def _unchanged(article: Unchanged, out_dir: Path) -> list[OutputSet]:
    """A complete article's OutputSets, as the run that wrote it reported them."""
    return [OutputSet(article=article.slug, lang=str(report["lang"]),
                      paths=paths(out_dir, str(report["lang"]), article.slug),
                      review=review_path(out_dir, article.slug), skipped=True,
                      **{name: report[name] for name in REPORTED})  # type: ignore[arg-type]
            for report in article.report]


def write_article(article: ArticleResult, out_dir: Path, langs: Sequence[str] | None = None,
                  *, state: ReviewState | None = None,
                  memory: TranslationMemory | None = None) -> list[OutputSet]:
    """PO, Markdown, JSONL, XLIFF and the term report per language; one review page."""
    state = state if state is not None else ReviewState(Path(out_dir))
    finals, catalogs, kept = {}, {}, {}
    with state.locked() as review:
        with review.transaction():  # commit first: the files are views of what it holds
            document = state.placed(review, article.document)
            number = state.article(review, document)
            for result in article.languages:
                finals[result.lang], catalogs[result.lang], kept[result.lang] = _settle(
                    review, state, number, document, result, article)
            fresh = frozenset(result.lang for result in article.languages if len(
                finals[result.lang]) == len(result.translations) and all(
                mine is theirs for mine, theirs in zip(finals[result.lang],
                                                       result.translations, strict=True)))
            columns = list(langs) if langs is not None else list(finals)
            ordered = {lang: finals[lang] for lang in columns if lang in finals}
            page = list(dict.fromkeys([*columns, *review.languages(number)]))
            views = keep(review, number, Views(
                document, ordered,
                {lang: terms.xliff_terms(article.hits, lang) for lang in ordered},
                terms.review_terms(article.hits, page), bool(article.hits),
                ahead=article.ahead, fresh=fresh))
            files, reports = render(review, state, number, views, catalogs)
            review.forget_complete(number)  # complete again only once the files are in place
            if memory is not None:  # marked in the commit: a kill before the memory write
                for lang in finals:  # leaves a fix out of it, never brings an old one back
                    review.memorized(number, lang, (
                        u.segment_id for u in article.memory_units
                        if u.target_lang == lang and u.origin == MemoryOrigin.HUMAN
                        and u.segment_id))
        put(files)
        if memory is not None:
            memory.add(article.memory_units)
        sets = []
        for result in article.languages:
            done = LanguageResult(result.lang, tuple(finals[result.lang]), result.previous)
            sets.append(OutputSet(
                article=document.slug, lang=result.lang,
                paths=paths(out_dir, result.lang, document.slug),
                review=review_path(out_dir, document.slug), segments=len(done.translations),
                counts=done.counts, repairs=done.repairs, errors=done.errors,
                terms=reports[result.lang], translated_now=done.translated_now,
                test_models=done.test_models, kept_for_person=kept[result.lang]))
        if article.mark is not None:
            review.record_complete(
                number, article.mark.source, article.mark.run,
                {state.relative(path): fingerprint(data) for path, data in files
                 if data is not None},
                [{"lang": s.lang, **{name: getattr(s, name) for name in REPORTED}}
                 for s in sets])
    return sets


def _settle(review: ReviewStore, state: ReviewState, number: int, document: Document,
            result: LanguageResult, article: ArticleResult
            ) -> tuple[list[Translation], po.Catalog | None, int]:
    """The run's translations as they may be committed: a segment a person changed since the
    run read it keeps the person's text (the run's becomes a suggestion). Committed here."""
    found = state.gather(review, number, document.slug, result.lang)
    current = review.segments(number, result.lang)
    seen = result.previous.segments
    final, protected = [], 0
    for translation in result.translations:
        kept = current.get(translation.segment.id)
        if kept is not None and _protect(kept, seen.get(translation.segment.id), translation):
            translation = checked(terms.apply(
                _keep_person(translation, kept),
                article.hits.get(translation.segment.id, ())), document.language)
            protected += 1
        elif kept is not None and kept.conflicts != translation.conflicts:
            translation = replace(translation, conflicts=kept.conflicts)
        final.append(translation)
    review.apply(number, result.lang, [_change(t) for t in final
                                       if _differs(current.get(t.segment.id), t)], Kind.RUN)
    review.arrange(number, result.lang, [t.segment.id for t in final])
    catalog = found.catalog if found.catalog is not None else result.previous.catalog
    return final, catalog, protected


def _protect(kept: Kept, seen: Kept | None, translation: Translation) -> bool:
    """Keep the store's text: a person's that moved since the run read it, or a person's
    that the run would replace with a text nobody wrote for this sentence."""
    if not kept.status.by_person or (kept.target, kept.status) == (translation.target,
                                                                    translation.status):
        return False
    moved = seen is None or seen.revision != kept.revision
    return moved or (kept.source == translation.segment.text
                     and not translation.status.by_person)


def _keep_person(translation: Translation, kept: Kept) -> Translation:
    """The person's text, as they saved it; for a sentence that changed meanwhile (other
    words or markup under the same id), as a draft to check against the new sentence."""
    if kept.source != translation.segment.text:
        return carry(translation, kept.source, kept)
    offer = (machine_offer(translation),) if translation.made_now else ()
    return by_person(translation.segment, translation.lang, kept,
                     (*offer, *translation.suggestions))


def _change(translation: Translation) -> Change:
    return Change(translation.segment.id, translation.segment.text, translation.target,
                  translation.status, engine=translation.engine, where=translation.where,
                  previous_source=translation.previous_source, repairs=translation.repairs)


def _differs(kept: Kept | None, translation: Translation) -> bool:
    if kept is None:
        return True
    return (kept.source, kept.target, kept.status, kept.engine, kept.where,
            kept.previous_source, kept.repairs) != (
        translation.segment.text, translation.target, translation.status, translation.engine,
        translation.where, translation.previous_source, translation.repairs)
