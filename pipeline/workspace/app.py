"""The workspace's pages, from the review store alone: an index of articles (a page at a
time, from the counts the store keeps) and an article side by side in its languages.

Read-only in this version; writes will go through the store's short locked sections."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import jinja2
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from pipeline.formats.review import render_review
from pipeline.model import languages
from pipeline.model.errors import InputError
from pipeline.model.status import MISSING_LABEL, Status
from pipeline.store.db import NAME, ReviewStore
from pipeline.workspace.security import Guard, allowed_hosts

#: Articles per index page.
PAGE_SIZE = 50
STATUSES = tuple(status.form.label for status in Status)
_STATIC = Path(__file__).resolve().parent / "static"


def create_app(out_dir: Path, *, host: str = "127.0.0.1", token: str | None = None,
               page_size: int = PAGE_SIZE) -> Starlette:
    """The workspace for the output folder ``out_dir`` (it must hold a review store)."""
    path = Path(out_dir) / NAME
    if not path.is_file():
        raise InputError("no review store here (run the pipeline into this folder first)",
                         path=path)
    templates = jinja2.Environment(
        loader=jinja2.PackageLoader("pipeline.workspace", "templates"), autoescape=True,
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)

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
            document, _, found = review.view(number)
        chosen = request.query_params.getlist("lang")
        if chosen:
            wanted = [languages.gettext(lang) for lang in chosen if languages.is_known(lang)]
            found = {lang: found[lang] for lang in wanted if lang in found}
        return HTMLResponse(render_review(document, found, home="/"))

    async def revision(request: Request) -> Response:
        with store() as review:
            return JSONResponse({"revision": review.revision()})

    return Starlette(
        routes=[Route("/", index), Route("/article/{slug:str}", article),
                Route("/revision", revision),
                Mount("/static", StaticFiles(directory=_STATIC), name="static")],
        middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts(host)),
                    Middleware(Guard, token=token)])


def _number(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 10**9:
        raise HTTPException(400, "page must be a positive number")
    return int(text)
