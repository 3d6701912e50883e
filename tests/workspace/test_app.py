"""The workspace over HTTP (Starlette's test client): pages from the store, and the guards:
Host check, token, CSRF, strict headers, only known ids."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from pipeline.model.errors import InputError
from pipeline.workspace.app import create_app
from pipeline.workspace.security import CSP, CSRF_COOKIE, CSRF_HEADER, TOKEN_COOKIE

LOCAL = "http://127.0.0.1"


def _client(out, **options) -> TestClient:
    return TestClient(create_app(out, **options), base_url=LOCAL)


def test_the_index_lists_every_article_with_its_counts(served):
    page = _client(served).get("/")
    assert page.status_code == 200
    assert page.headers["content-security-policy"] == CSP
    [script_src] = [d for d in CSP.split(";") if d.strip().startswith("script-src")]
    assert script_src.split() == ["script-src", "'self'"]  # nothing inline may run
    text = page.text
    for slug in ("sora", "boese"):
        assert f'href="/article/{slug}"' in text
    rows = re.findall(r'<tr data-article="sora" data-lang="(\w+)">', text)
    assert rows == ["en", "fr"]
    assert "<script" not in text


def test_the_index_is_paged(served):
    client = _client(served, page_size=1)
    first, second = client.get("/"), client.get("/?page=2")
    assert 'data-article="boese"' in first.text and 'data-article="sora"' not in first.text
    assert 'data-article="sora"' in second.text and "page 2 of 2" in second.text
    assert client.get("/?page=3").status_code == 404
    assert client.get("/?page=-1").status_code == 400


def test_an_article_side_by_side_and_only_known_ids(served):
    client = _client(served)
    page = client.get("/article/sora")
    assert page.status_code == 200
    assert 'lang="en"' in page.text and 'lang="fr"' in page.text and 'href="/"' in page.text
    assert '<mark class="term"' in page.text  # glossary terms in the source
    assert "<li>glossary: " in page.text  # and what became of them in each target
    assert "<summary>History (1)</summary>" in page.text and "run, machine" in page.text
    assert client.get("/article/sora/page").text.count('class="cell tgt') > 10  # archive
    only = client.get("/article/sora?lang=fr&lang=xx")
    assert 'data-lang="fr"' in only.text and 'data-lang="en"' not in only.text
    for bad in ("/article/nope", "/article/..%2Freview.sqlite", "/static/../app.py"):
        assert client.get(bad).status_code == 404, bad


def test_hostile_text_is_escaped(served):
    page = _client(served).get("/article/boese").text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page and "&lt;/textarea&gt;" in page


def test_a_foreign_host_header_is_refused(served):
    client = _client(served)
    assert client.get("/", headers={"host": "attacker.example"}).status_code == 400
    assert client.get("/", headers={"host": "localhost:8765"}).status_code == 200


def test_a_write_needs_the_csrf_token_and_our_origin(served):
    client = _client(served)
    client.get("/")  # hands out the CSRF cookie
    token = client.cookies[CSRF_COOKIE]
    assert client.post("/revision").status_code == 403
    assert client.post("/revision", headers={CSRF_HEADER: "wrong"}).status_code == 403
    foreign = {CSRF_HEADER: token, "origin": "http://attacker.example"}
    assert client.post("/revision", headers=foreign).status_code == 403
    # past the guard, the route itself takes no POST
    assert client.post("/revision", headers={CSRF_HEADER: token}).status_code == 405


def test_a_token_guards_a_non_local_bind(served):
    client = _client(served, host="192.0.2.10", token="s3cret-token")
    assert client.get("/").status_code == 403
    assert client.get("/?token=wrong").status_code == 403
    entered = client.get("/?token=s3cret-token", follow_redirects=False)
    assert entered.status_code == 303 and "token" not in entered.headers["location"]
    assert client.cookies[TOKEN_COOKIE] == "s3cret-token"
    assert client.get("/").status_code == 200
    assert client.get("/", headers={"host": "192.0.2.10"}).status_code == 200


def test_the_revision_moves_with_the_store(served):
    revision = _client(served).get("/revision").json()["revision"]
    assert isinstance(revision, int) and revision > 0


def test_a_folder_without_a_store_is_one_clear_error(tmp_path):
    with pytest.raises(InputError, match="no review store"):
        create_app(tmp_path)


def test_loopback_by_ipv6_and_a_wildcard_bind_by_this_machines_name(served):
    import socket

    v6 = _client(served, host="::1")
    assert v6.get("/", headers={"host": "[::1]:8765"}).status_code == 200
    wild = _client(served, host="0.0.0.0", token="s3cret-token")  # noqa: S104
    entered = wild.get("/?token=s3cret-token", headers={"host": socket.gethostname()},
                       follow_redirects=False)
    assert entered.status_code == 303  # the host is ours; the token is taken
    assert wild.get("/", headers={"host": "attacker.example"}).status_code == 400
    named = _client(served, host="0.0.0.0", token="s3cret-token",  # noqa: S104
                    extra_hosts=["review.newsroom.example"])
    assert named.get("/?token=s3cret-token", headers={"host": "review.newsroom.example"},
                     follow_redirects=False).status_code == 303


def test_a_short_or_empty_token_is_refused(served):
    from click.testing import CliRunner

    from pipeline.cli import cli

    for token in ("", "short"):
        result = CliRunner().invoke(cli, ["review", "--out", str(served), "--host", "0.0.0.0",
                                          "--token", token])
        assert result.exit_code == 1 and "at least 8 characters" in result.output


@pytest.mark.parametrize(("headers", "body"), [
    ({"origin": "https://127.0.0.1"}, None),  # another scheme is another origin
    ({CSRF_HEADER: "tökén".encode("latin-1")}, None),  # not ASCII: refused, no crash
])
def test_writes_from_elsewhere_are_refused(served, headers, body):
    client = _client(served)
    client.get("/")
    sent = {CSRF_HEADER: client.cookies[CSRF_COOKIE], **headers}
    assert client.post("/revision", headers=sent).status_code == 403


@pytest.mark.parametrize("raw", [
    '{"text": "x", "action": "draft", "revision": Infinity}',
    "[" * 100_000 + "]" * 100_000,
    '{"text": "x\\u0007", "action": "draft", "revision": 1}',
])
def test_malformed_saves_are_400(served, raw):
    client = _client(served)
    client.get("/")
    answer = client.post("/article/sora/en/s1", content=raw.encode(), headers={
        CSRF_HEADER: client.cookies[CSRF_COOKIE], "content-type": "application/json"})
    assert answer.status_code in (400, 404)
    assert answer.json()["error"]


def test_a_body_over_the_limit_is_413(served):
    client = _client(served)
    client.get("/")
    answer = client.post("/article/sora/en/s1", content=b"x" * (1024 * 1024 + 1), headers={
        CSRF_HEADER: client.cookies[CSRF_COOKIE]})
    assert answer.status_code == 413
