"""The workspace's pages, from the review store alone: an index of articles (a page at a
time, from the counts the store keeps), an article side by side in its languages with every
target editable, and the save (see edits.py)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

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
from pipeline.model import languages
from pipeline.model.annotations import Conflict, Finding, Suggestion
from pipeline.model.document import Document, Translation
from pipeline.model.errors import InputError
from pipeline.model.status import MISSING_LABEL, Status
from pipeline.store.codec import glossary_from
from pipeline.store.db import NAME, Event, ReviewStore, UnknownArticle
from pipeline.workspace.edits import Action, UnknownSegment, save
from pipeline.workspace.security import Guard, allowed_hosts

#: Articles per index page.
PAGE_SIZE = 50
STATUSES = tuple(status.form.label for status in Status)
_STATIC = Path(__file__).resolve().parent / "static"


def create_app(out_dir: Path, *, host: str = "127.0.0.1", token: str | None = None,
               page_size: int = PAGE_SIZE, extra_hosts: Sequence[str] = ()) -> Starlette:
    """The workspace for the output folder ``out_dir`` (it must hold a review store)."""
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
            document, glossary, found = review.view(number)
            chosen = request.query_params.getlist("lang")
            if chosen:
                wanted = [languages.gettext(code) for code in chosen if languages.is_known(code)]
                found = {lang: found[lang] for lang in wanted if lang in found}
            rows = page_rows(review, number, document, found, glossary_from(glossary)[1])
            revision = review.revision()
        return HTMLResponse(templates.get_template("article.html.j2").render(
            document=document, source_lang=document.language, rows=rows, revision=revision))

    async def static_page(request: Request) -> Response:
        """The archive page as ``review/<name>.html`` holds it, rendered from the store."""
        with store() as review:
            try:
                document, _, found = review.view(review.article_id(request.path_params["slug"]))
            except InputError:
                raise HTTPException(404, "no such article") from None
        return HTMLResponse(render_review(document, found, home="/"))

    async def save_segment(request: Request) -> Response:
        params = request.path_params
        if not languages.is_known(params["lang"]):
            return JSONResponse({"error": "no such language"}, 404)
        try:
            data = await request.json()
            action = Action(data["action"])
            text, revision = str(data["text"]), int(data["revision"])
            author = str(data.get("author") or "")
        except (ValueError, KeyError, TypeError, OverflowError, RecursionError):
            return JSONResponse({"error": "send text, action (draft, approve), revision"}, 400)
        try:
            saved = await run_in_threadpool(
                save, Path(out_dir), params["slug"], languages.gettext(params["lang"]),
                params["sid"], text, action, revision, author)
        except (UnknownSegment, UnknownArticle) as exc:
            return JSONResponse({"error": exc.message}, 404)
        except InputError as exc:
            return JSONResponse({"error": exc.message}, 400)
        answer = {"target": saved.target, "status": str(saved.status),
                  "revision": saved.revision, "store_revision": saved.store_revision}
        return JSONResponse(answer, 200 if saved.applied else 409)

    async def revision(request: Request) -> Response:
        with store() as review:
            return JSONResponse({"revision": review.revision()})

    return Starlette(
        routes=[Route("/", index), Route("/article/{slug:str}", article),
                Route("/article/{slug:str}/page", static_page),
                Route("/article/{slug:str}/{lang:str}/{sid:str}", save_segment,
                      methods=["POST"]),
                Route("/revision", revision),
                Mount("/static", StaticFiles(directory=_STATIC), name="static")],
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
    suggestions: tuple[Suggestion, ...]
    conflicts: tuple[Conflict, ...]
    terms: tuple[str, ...]
    previous_source: str | None
    history: tuple[Event, ...]


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
        cells = tuple(
            Cell(lang, t.target, t.status.form.label, kept[lang][sid].revision,
                 machine[lang].get(sid) if t.status is not Status.MACHINE else None,
                 t.findings, t.suggestions, t.conflicts, tuple(term_note(d) for d in t.terms),
                 t.previous_source, tuple(events.get((lang, sid), ())))
            for lang, items in by_lang.items() if (t := items.get(sid)) is not None)
        rows.append(Row(sid, highlight_terms(segment.text, highlights.get(sid, ())),
                        segment.kind.value,
                        f"{attribution.author} ({attribution.handle})" if attribution else "",
                        cells))
    return rows


def _number(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 10**9:
        raise HTTPException(400, "page must be a positive number")
    return int(text)
