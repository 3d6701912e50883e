"""The workspace's pages, from the review store alone: an index of articles (a page at a
time, from the counts the store keeps), an article side by side in its languages with every
target editable, and the save (see edits.py)."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import jinja2
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from pipeline.formats.notes import term_note
from pipeline.formats.review import TermView, highlight_terms, render_review, show_invisible
from pipeline.glossary import upkeep
from pipeline.model import languages
from pipeline.model.annotations import Conflict, Finding, Suggestion
from pipeline.model.document import Document, Translation
from pipeline.model.errors import GlossaryError, InputError
from pipeline.model.status import MISSING_LABEL, Status
from pipeline.mt.engine import PIVOT
from pipeline.run.views import comments_for
from pipeline.store.codec import glossary_from
from pipeline.store.comments import Comment
from pipeline.store.db import NAME, Event, ReviewStore, UnknownArticle
from pipeline.store.previous import Kept
from pipeline.workspace import edits
from pipeline.workspace.diff import Piece, word_diff
from pipeline.workspace.edits import Action, Saved, UnknownSegment, save
from pipeline.workspace.security import Guard, allowed_hosts

#: Articles per index page.
PAGE_SIZE = 50
STATUSES = tuple(status.form.label for status in Status)
#: The languages a concept names a target in (as ``glossary add`` asks for).
TERM_LANGS = ("en", "fr", "es")
T = TypeVar("T")
_STATIC = Path(__file__).resolve().parent / "static"


def create_app(out_dir: Path, *, host: str = "127.0.0.1", token: str | None = None,
               page_size: int = PAGE_SIZE, extra_hosts: Sequence[str] = (),
               glossary: Path | None = None) -> Starlette:
    """The workspace for the output folder ``out_dir`` (it must hold a review store);
    with ``glossary`` (a term base folder) the pages offer *Add to glossary*."""
    path = Path(out_dir) / NAME
    if not path.is_file():
        raise InputError("no review store here (run the pipeline into this folder first)",
                         path=path)
    templates = jinja2.Environment(
        loader=jinja2.PackageLoader("pipeline.workspace", "templates"), autoescape=True,
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    templates.filters["visible"] = show_invisible

    @contextlib.contextmanager
    def store() -> Iterator[ReviewStore]:
        with ReviewStore.open(path) as opened:
            yield opened

    async def index(request: Request) -> Response:
        page = _number(request.query_params.get("page", "1"))
        with store() as review:
            total, articles = review.summaries((page - 1) * page_size, page_size)
        if page > 1 and not articles:
            raise HTTPException(404, "no such page")
        langs = sorted({lang for a in articles for lang in a.counts})
        return HTMLResponse(templates.get_template("index.html.j2").render(
            folder=str(out_dir), articles=articles, langs=langs, statuses=STATUSES,
            missing=MISSING_LABEL, page=page, pages=max(1, -(-total // page_size)),
            total=total))

    async def article(request: Request) -> Response:
        slug = request.path_params["slug"]
        with store() as review:
            try:
                number = review.article_id(slug)
            except InputError:
                raise HTTPException(404, "no such article") from None
            document, terms, found = review.view(number)
            chosen = request.query_params.getlist("lang")
            if chosen:
                wanted = [languages.gettext(code) for code in chosen if languages.is_known(code)]
                found = {lang: found[lang] for lang in wanted if lang in found}
            rows = page_rows(review, number, document, found, glossary_from(terms)[1])
            revision = review.revision()
        return HTMLResponse(templates.get_template("article.html.j2").render(
            document=document, source_lang=document.language, rows=rows, revision=revision,
            term_langs=TERM_LANGS if glossary is not None else (), domains=_domains(glossary)))

    async def static_page(request: Request) -> Response:
        """The archive page as ``review/<name>.html`` holds it, rendered from the store."""
        with store() as review:
            try:
                document, _, found = review.view(review.article_id(request.path_params["slug"]))
            except InputError:
                raise HTTPException(404, "no such article") from None
        return HTMLResponse(render_review(document, found, home="/"))

    async def save_segment(request: Request) -> Response:
        """Save a translation: ``{text, action (draft, approve), revision, author, seen}``
        (``seen``: the store revision the page was loaded at)."""
        data = await _json(request)
        action = _field(data, "action", lambda v: Action(str(v)))
        return await _edit(request, save, str(_field(data, "text", str)), action,
                           _field(data, "revision", int), str(data.get("author") or ""),
                           _field(data, "seen", int) if "seen" in data else 0)

    async def save_comment(request: Request) -> Response:
        """Save the segment's comment: ``{text, revision (the comment's, 0: none), author}``."""
        data = await _json(request)
        return await _edit(request, edits.comment, _field(data, "text", str),
                           _field(data, "revision", int), str(data.get("author") or ""))

    async def dismiss(request: Request) -> Response:
        """Settle an alternative without taking it: ``{seq, author}``."""
        data = await _json(request)
        return await _edit(request, edits.dismiss, _field(data, "seq", int),
                           str(data.get("author") or ""))

    async def _edit(request: Request, function: Callable[..., Saved], *args: object
                    ) -> Response:
        params = request.path_params
        if not languages.is_known(params["lang"]):
            return JSONResponse({"error": "no such language"}, 404)
        try:
            saved = await run_in_threadpool(
                function, Path(out_dir), params["slug"], languages.gettext(params["lang"]),
                params["sid"], *args)
        except (UnknownSegment, UnknownArticle) as exc:
            return JSONResponse({"error": exc.message}, 404)
        except InputError as exc:
            return JSONResponse({"error": exc.message}, 400)
        answer = {"target": saved.target, "status": str(saved.status),
                  "revision": saved.revision, "store_revision": saved.store_revision}
        return JSONResponse(answer, 200 if saved.applied else 409)

    async def add_term(request: Request) -> Response:
        """Add a concept to the term base: ``{id, de, targets: {en, fr, es}, domain, dnt,
        note}``, as ``glossary add`` does (its checks, its files, its lock)."""
        if glossary is None:
            return JSONResponse({"error": "no glossary folder (review --glossary DIR)"}, 404)
        data = await _json(request)
        targets = _field(data, "targets", lambda v: {str(k): str(t) for k, t in v.items()})
        try:
            added = await run_in_threadpool(functools.partial(
                upkeep.add_concept, glossary, str(_field(data, "id", str)),
                str(_field(data, "de", str)), {lang: targets.get(lang, "") for lang in
                                               TERM_LANGS},
                domain=str(data.get("domain") or "") or None, dnt=bool(data.get("dnt")),
                note=str(data.get("note") or "")))
        except GlossaryError as exc:
            return JSONResponse({"error": str(exc)}, 400)
        return JSONResponse({"id": added.concept.id, "file": added.path.name})

    async def revision(request: Request) -> Response:
        with store() as review:
            return JSONResponse({"revision": review.revision()})

    return Starlette(
        routes=[Route("/", index), Route("/article/{slug:str}", article),
                Route("/article/{slug:str}/page", static_page),
                Route("/article/{slug:str}/{lang:str}/{sid:str}", save_segment,
                      methods=["POST"]),
                Route("/article/{slug:str}/{lang:str}/{sid:str}/comment", save_comment,
                      methods=["POST"]),
                Route("/article/{slug:str}/{lang:str}/{sid:str}/dismiss", dismiss,
                      methods=["POST"]),
                Route("/glossary", add_term, methods=["POST"]),
                Route("/revision", revision),
                Mount("/static", StaticFiles(directory=_STATIC), name="static")],
        exception_handlers={BadRequest: _bad_request},
        middleware=[Middleware(TrustedHostMiddleware,
                               allowed_hosts=allowed_hosts(host, extra_hosts)),
                    Middleware(Guard, token=token)])


@dataclass(frozen=True)
class Cell:
    """A target as the page shows it, with what a reviewer acts on."""

    lang: str
    target: str
    status: str
    revision: int
    machine: str | None
    findings: tuple[Finding, ...]
    #: memory matches, each with a word diff from its source to this sentence
    suggestions: tuple[tuple[Suggestion, tuple[Piece, ...]], ...]
    #: other people's texts, each with the action that takes it as it was saved
    conflicts: tuple[tuple[Conflict, Action], ...]
    terms: tuple[str, ...]
    #: the sentence this one replaced, as a word diff to it
    was: tuple[Piece, ...]
    history: tuple[Event, ...]
    comment: str
    comment_revision: int
    #: machine text while the English is reviewed: the next run through English redoes it
    pivot_due: bool = False


@dataclass(frozen=True)
class Row:
    sid: str
    source: Markup
    kind: str
    attribution: str
    cells: tuple[Cell, ...]


def page_rows(review: ReviewStore, number: int, document: Document,
              found: Mapping[str, Sequence[Translation]],
              highlights: Mapping[str, Sequence[TermView]]) -> list[Row]:
    """One row per sentence in reading order: the source (glossary terms marked), and per
    language the target with what a reviewer acts on: its revision, the latest machine
    text, suggestions, alternatives, QA findings, glossary decisions, the sentence it
    replaced, and its history."""
    kept = {lang: review.segments(number, lang) for lang in found}
    comments = {lang: review.comments(number, lang) for lang in found}
    shown = {lang: comments_for(review, number, lang, found[lang]) for lang in found}
    english_rows = kept[PIVOT] if PIVOT in kept else review.segments(number, PIVOT)
    machine = {lang: review.machine_texts(number, lang) for lang in found}
    events: dict[tuple[str, str | None], list[Event]] = {}
    for lang in found:
        for event in review.history(number, lang):
            events.setdefault((lang, event.sid), []).append(event)
    by_lang = {lang: {t.segment.id: t for t in items} for lang, items in found.items()}
    segments = {t.segment.id: t.segment for items in found.values() for t in items}
    blocks = {block.index: block for block in document.blocks}
    rows = []
    for sid, segment in sorted(segments.items(), key=lambda item: (item[1].block,
                                                                   item[1].start)):
        attribution = blocks[segment.block].attribution
        english = english_rows.get(sid)
        cells = tuple(_cell(t, kept[lang][sid].revision,
                            machine[lang].get(sid) if t.status is not Status.MACHINE else None,
                            events.get((lang, sid), []), shown[lang].get(sid, ""),
                            comments[lang].get(sid), english)
                      for lang, items in by_lang.items() if (t := items.get(sid)) is not None)
        rows.append(Row(sid, highlight_terms(segment.text, highlights.get(sid, ()), segment.codes),
                        segment.kind.value,
                        f"{attribution.author} ({attribution.handle})" if attribution else "",
                        cells))
    return rows


def _cell(t: Translation, revision: int, machine: str | None, events: Sequence[Event],
          comment: str, own: Comment | None, english: Kept | None) -> Cell:
    """``comment`` is the text shown (perhaps carried from the sentence this one replaced),
    ``own`` the segment's own, whose revision a save must name."""
    status = {e.seq: e.status for e in events}
    due = (t.lang != PIVOT and t.status is Status.MACHINE and english is not None
           and english.status.signed_off and english.source == t.segment.text
           and t.pivot != english.target)
    return Cell(
        t.lang, t.target, t.status.form.label, revision, machine, t.findings,
        tuple((s, word_diff(s.source, t.segment.text)) for s in t.suggestions),
        tuple((c, Action.APPROVE if status.get(c.seq, Status.DRAFT).signed_off
               else Action.DRAFT) for c in t.conflicts),
        tuple(term_note(d) for d in t.terms),
        word_diff(t.previous_source, t.segment.text) if t.previous_source else (),
        tuple(events), comment, own.revision if own else 0,
        due)


class BadRequest(Exception):
    """A write the page's script would never send: answered 400 with its reason as JSON."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


async def _bad_request(request: Request, exc: Exception) -> Response:
    return JSONResponse({"error": str(exc)}, 400)


async def _json(request: Request) -> dict:
    """The request's JSON object; anything else is a 400."""
    try:
        data = await request.json()
    except (ValueError, RecursionError):
        raise BadRequest("send a JSON object") from None
    if not isinstance(data, dict):
        raise BadRequest("send a JSON object")
    return data


def _field(data: dict, name: str, kind: Callable[[Any], T]) -> T:
    """``data[name]`` as ``kind`` makes it; missing or unfit is a 400 naming the field."""
    try:
        return kind(data[name])
    except (KeyError, ValueError, TypeError, OverflowError, AttributeError):
        raise BadRequest(f"send {name!r} (see the page's script)") from None


def _domains(folder: Path | None) -> list[str]:
    """The term base's domains (its files), for the page's *Add to glossary*."""
    if folder is None or not Path(folder).is_dir():
        return []
    return sorted(path.stem for path in Path(folder).glob("*.tsv"))


def _number(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 10**9:
        raise HTTPException(400, "page must be a positive number")
    return int(text)
