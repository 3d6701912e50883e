"""The files of an article are views of the review store: rendered from what it committed
(a run's results, or the store alone with ``rerender``), each written atomically after the
commit, and remembered (PO, XLIFF 2.1 and 1.2) so the next harvest can tell a person's edit from a
file a killed run left behind.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from pipeline.formats import po
from pipeline.formats.html import render_html
from pipeline.formats.jsonl import render_jsonl
from pipeline.formats.markdown import render_markdown
from pipeline.formats.review import TermView, render_review
from pipeline.formats.xliff import render_xliff
from pipeline.formats.xliff12 import render_xliff12
from pipeline.formats.xliff_markup import GlossTerm, Match
from pipeline.infra.atomic import write_all
from pipeline.model.annotations import Reuse
from pipeline.model.document import Document, Translation
from pipeline.model.errors import OutputError
from pipeline.run import terms
from pipeline.run.compute import checked
from pipeline.run.results import LanguageResult
from pipeline.store import codec
from pipeline.store.db import Rendered, ReviewStore
from pipeline.store.harvest import (
    FileKind,
    comment_entries,
    digest,
    fingerprint,
    render_entries,
)
from pipeline.store.layout import paths, review_path
from pipeline.store.review import ReviewState


@dataclass(frozen=True)
class Views:
    """Everything an article's files are rendered from; ``translations`` in page order."""

    document: Document
    translations: Mapping[str, Sequence[Translation]]
    gloss: Mapping[str, Mapping[str, Sequence[GlossTerm]]]
    highlights: Mapping[str, Sequence[TermView]]
    terms_used: bool
    #: the review page's columns when it shows more languages than these files (all the
    #: store has for the article, not only this run's)
    page: Mapping[str, Sequence[Translation]] | None = None
    #: files a worker rendered ahead, and the languages whose translations they are of
    ahead: Ahead | None = None
    fresh: frozenset[str] = frozenset()


#: an article's files in one language that need nothing but its translations: Markdown,
#: JSONL, the HTML page (None: not an HTML article), the term report and its totals
Plain = tuple[bytes, bytes, bytes | None, str | None, dict[str, int]]


@dataclass(frozen=True)
class Ahead:
    """The files of an article that need nothing but its translations (``plain``, and the
    review page of exactly these languages), rendered by a worker process as it finished
    them; the writer takes those of each language whose translations the commit kept as they
    were (no person's text came in between) and renders the rest itself."""

    slug: str
    plain: Mapping[str, Plain]
    langs: tuple[str, ...]
    review: bytes


def plain(document: Document, translations: Sequence[Translation], lang: str,
          terms_used: bool) -> Plain:
    """The files of one language that need nothing but its translations."""
    report_text, report = terms.render_report(translations, terms_used)
    html = render_html(document, translations, lang) if document.original is not None else None
    return (render_markdown(document, translations, lang).encode(),
            render_jsonl(document, translations, lang).encode(), html, report_text, report)


def review_page(document: Document, translations: Mapping[str, Sequence[Translation]],
                highlights: Mapping[str, Sequence[TermView]]) -> bytes:
    return render_review(document, translations, terms=highlights or None).encode("utf-8")


def ahead(document: Document, translations: Mapping[str, Sequence[Translation]],
          hits: terms.Hits) -> Ahead:
    """What ``render`` will want of these translations, rendered now (in a worker)."""
    return Ahead(document.slug,
                 {lang: plain(document, found, lang, bool(hits))
                  for lang, found in translations.items()},
                 tuple(translations),
                 review_page(document, translations, terms.review_terms(hits, list(translations))))


#: a file and its new content (None: the file goes, e.g. a term report without terms)
Output = tuple[Path, bytes | None]


def keep(review: ReviewStore, number: int, views: Views,
         stored: Mapping[str, Sequence[Translation]] | None = None) -> Views:
    """Store what the views are made of, so they can be rendered again from the store; the
    views with every language the store has for the article on the review page (from
    ``stored``, the store's view of it, when the caller has it already)."""
    langs = list(dict.fromkeys([*review.languages(number), *views.translations]))
    review.describe(number, views.document,
                    codec.glossary_json(views.gloss, views.highlights, views.terms_used), langs)
    for lang, translations in views.translations.items():
        review.annotate(number, lang, translations)
        done = LanguageResult(lang, tuple(translations))
        review.summarize(number, lang, done.statuses, done.errors)
    if langs == list(views.translations):
        return views  # the page shows exactly these, in this order
    if stored is None:
        _, _, stored = review.view(number)
    return replace(views, page={lang: views.translations.get(lang) or stored[lang]
                                for lang in langs})


def render(review: ReviewStore, state: ReviewState, number: int, views: Views,
           catalogs: Mapping[str, po.Catalog | None]
           ) -> tuple[list[Output], dict[str, dict[str, int]]]:
    """Every file of the article as bytes, and each language's term-report totals; the PO and
    XLIFF renders are remembered in the store (inside the caller's transaction). XLIFF: the
    versions the folder asks for and those already there (``ReviewState.xliff_files``)."""
    document, files, reports = views.document, [], {}
    ready = views.ahead if views.ahead is not None and views.ahead.slug == document.slug \
        else None
    for lang, translations in views.translations.items():
        where = paths(state.out_dir, lang, document.slug)
        entries = {t.segment.id: (t.segment.text, t.target, t.status) for t in translations}
        comments = comments_for(review, number, lang, translations)
        name = digest(entries, comments)
        po_data = po.render_catalog(po.build_catalog(
            document, translations, lang, catalogs.get(lang), render=name,
            gone=review.gone(number, lang), comments=comments)).encode("utf-8")
        matches = {t.segment.id: [Match(s.source, s.target, s.similarity, s.origin)
                                  for s in t.suggestions] for t in translations if t.suggestions}
        renderer = {FileKind.XLIFF: render_xliff, FileKind.XLIFF12: render_xliff12}
        xliffs = [(kind, path, renderer[kind](
            document, translations, lang, terms=views.gloss.get(lang) or None,
            matches=matches or None, render=name, comments=comments))
            for kind, path in state.xliff_files(review, where)]
        for kind, path, data in ((FileKind.PO, where.po, po_data), *xliffs):
            if path.exists() and not path.is_file():
                raise OutputError("is not a regular file; not replaced", path=path)
            review.rendered(state.relative(path), Rendered(
                name, fingerprint(data), render_entries(entries, kind),
                comments=comment_entries(comments)))
        markdown, jsonl, html, report_text, reports[lang] = \
            ready.plain[lang] if ready is not None and lang in views.fresh \
            and lang in ready.plain else plain(document, translations, lang, views.terms_used)
        files += [(where.po, po_data), (where.markdown, markdown), (where.jsonl, jsonl),
                  *((path, data) for _, path, data in xliffs),
                  (where.terms, report_text.encode() if report_text else None)]
        if html is not None:  # read from HTML: the page itself, translated
            files.append((where.html, html))
    whole = ready is not None and views.page is None and views.fresh >= set(
        views.translations) and tuple(views.translations) == ready.langs
    files.append((review_path(state.out_dir, document.slug), ready.review if ready and whole
                  else review_page(document, views.page or views.translations,
                                   views.highlights)))
    return files, reports


def comments_for(review: ReviewStore, number: int, lang: str,
                 translations: Sequence[Translation]) -> dict[str, str]:
    """The reviewers' comments per segment id (cleared ones empty); an edited sentence
    shows the comment of the sentence it replaced (through any number of edits) until it
    has its own."""
    stored = review.comments(number, lang)
    texts = {sid: comment.text for sid, comment in stored.items()}
    if any(t.previous_source and t.segment.id not in texts for t in translations):
        kept = review.segments(number, lang)
        gone = {k.source: sid for sid, k in kept.items() if not k.present}
        for t in translations:
            source, hops = t.previous_source, 0
            while t.segment.id not in texts and source and hops < _HOPS:
                old = gone.get(source)
                if old is None:
                    break
                if old in stored:
                    texts[t.segment.id] = stored[old].text
                source, hops = kept[old].previous_source, hops + 1
    return texts


#: How many edits of a sentence back its comment is looked for.
_HOPS = 50


def put(files: Sequence[Output]) -> None:
    """Write (or remove) each file atomically, in order; only ever after the store
    committed."""
    write_all(files)


def rerender(out_dir: Path, slug: str, *, state: ReviewState | None = None,
             langs: Sequence[str] | None = None,
             edit: Callable[[ReviewStore, int], object] | None = None) -> list[Path]:
    """Render the files of the article ``slug`` again from the store alone (no source file,
    no engine), in every language or only ``langs`` (the review page always shows all):
    people's edits in those files are read into the store first, so they show in every view.
    ``edit(store, article)`` runs after that, in the same transaction (a save in the
    workspace: the save and its views are one step). The files written."""
    state = state if state is not None else ReviewState(Path(out_dir))
    with state.locked() as review:
        with review.transaction():
            number = review.article_id(slug)
            chosen = list(langs) if langs is not None else review.languages(number)
            catalogs = {lang: state.gather(review, number, slug, lang).catalog
                        for lang in chosen}
            if edit is not None:
                edit(review, number)
            document, glossary, found = review.view(number)
            gloss, highlights, used = codec.glossary_from(glossary)
            translations = {lang: [_current(t, document.language) for t in found[lang]]
                            for lang in chosen if lang in found}
            views = keep(review, number, Views(document, translations, gloss, highlights, used),
                         found)
            files, _ = render(review, state, number, views, catalogs)
        put(files)
    return [path for path, data in files if data is not None]


def _current(translation: Translation, source_lang: str) -> Translation:
    """A translation as the store holds it now: a person's text says so, and is checked
    again (a run checked the rest when it made them)."""
    if not translation.status.by_person:
        return translation
    if translation.reuse not in (Reuse.REVIEWED, Reuse.DRAFT, Reuse.CARRIED):
        signed = Reuse.REVIEWED if translation.status.signed_off else Reuse.DRAFT
        translation = replace(translation, reuse=signed)
    if translation.terms:
        from pipeline.glossary.enforcement import recheck

        translation = replace(translation, terms=recheck(translation.terms, translation.target,
                                                         translation.lang))
    return checked(translation, source_lang)
