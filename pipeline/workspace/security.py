"""What keeps the workspace a local tool: a Host check against DNS rebinding (Starlette's
TrustedHostMiddleware), an access token for any bind beyond loopback, a double-submit CSRF
token and an Origin check on every write, and strict headers (CSP without inline script)."""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import socket
from collections.abc import Sequence
from urllib.parse import urlsplit

from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

#: Scripts and styles only from the workspace itself; nothing inline may run.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; "
       "frame-ancestors 'none'")
TOKEN_COOKIE = "pipeline_token"
CSRF_COOKIE = "pipeline_csrf"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: Largest request body: a save is a sentence.
MAX_BODY = 1024 * 1024
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def allowed_hosts(host: str, extra: Sequence[str] = ()) -> list[str]:
    """Host headers the workspace answers: loopback names, the bound address, ``extra``
    names; for a wildcard bind (``0.0.0.0``, ``::``) also this machine's name and addresses
    as its hosts file knows them. IPv6 literals in their bracketed form, as Host sends them."""
    names = [*LOOPBACK_NAMES, host, *extra]
    if host in ("0.0.0.0", "::"):  # noqa: S104 (recognising one)
        try:
            name, aliases, addresses = socket.gethostbyname_ex(socket.gethostname())
            names += [name, *aliases, *addresses]
        except OSError:
            pass
    return list(dict.fromkeys(f"[{n}]" if ":" in n and not n.startswith("[") else n
                              for n in names if n))


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Guard(BaseHTTPMiddleware):
    """Token (when set), CSRF and Origin checks, and the security headers on every answer."""

    def __init__(self, app, token: str | None) -> None:  # noqa: ANN001 (an ASGI app)
        super().__init__(app)
        if token is not None and len(token) < 8:
            raise ValueError("an access token needs at least 8 characters")
        self.token = token

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        if self.token is not None:
            given = request.query_params.get("token")
            if given is not None and _same(given, self.token):
                # once from the printed link, then from a cookie; the link leaves the URL
                response: Response = RedirectResponse(request.url.remove_query_params("token"),
                                                      status_code=303)
                response.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="strict")
                return _headers(response)
            if not _same(request.cookies.get(TOKEN_COOKIE, ""), self.token):
                return _headers(PlainTextResponse(
                    "403: open the link with the token that `review` printed", 403))
        if request.method not in SAFE_METHODS and not _fresh_write(request):
            return _headers(PlainTextResponse("403: missing or wrong CSRF token", 403))
        if request.method not in SAFE_METHODS:  # a length, stated and small: no chunked bodies
            length = request.headers.get("content-length", "")
            if not length.isdigit() or int(length) > MAX_BODY:
                return _headers(PlainTextResponse("413: a save is at most 1 MB, with its "
                                                  "Content-Length", 413))
        response = await call_next(request)
        if CSRF_COOKIE not in request.cookies:
            response.set_cookie(CSRF_COOKIE, new_token(), samesite="strict")
        return _headers(response)


def _fresh_write(request: Request) -> bool:
    """A write from one of our pages: the CSRF cookie echoed in a header, and an Origin (when
    the browser sends one) on this very host."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    header = request.headers.get(CSRF_HEADER, "")
    if not cookie or not _same(cookie, header):
        return False
    origin = request.headers.get("origin")
    if origin is None:
        return True
    parts = urlsplit(origin)
    return (parts.scheme == request.url.scheme
            and parts.netloc == request.headers.get("host", ""))


def _same(given: str, expected: str) -> bool:
    """Constant-time comparison of any two strings (hmac refuses non-ASCII text)."""
    return hmac.compare_digest(given.encode("utf-8", "surrogatepass"),
                               expected.encode("utf-8", "surrogatepass"))


def _headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Cache-Control"] = "no-store"
    return response
