"""The workspace in a real browser: Playwright drives Debian's Chromium (found like other
system tools; never skipped under CI) against a real uvicorn server on loopback; every
request to another host is blocked and counted, so the pages are proven offline."""

from __future__ import annotations

import socket
import threading
import time
from urllib.parse import urlsplit

import pytest
import uvicorn

from pipeline.workspace.app import create_app

from ..tools import require


@pytest.fixture(scope="module")
def server(served):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(create_app(served), host="127.0.0.1", port=port, log_level="warning")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not instance.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert instance.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=30)


@pytest.fixture
def page():
    from playwright.sync_api import sync_playwright

    chromium = require("chromium")
    blocked: list[str] = []
    dialogs: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        context = browser.new_context()

        def only_loopback(route):
            if urlsplit(route.request.url).hostname == "127.0.0.1":
                route.continue_()
            else:
                blocked.append(route.request.url)
                route.abort()

        context.route("**/*", only_loopback)
        opened = context.new_page()
        opened.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        yield opened
        browser.close()
    assert blocked == [], f"the pages asked for other hosts: {blocked}"
    assert dialogs == [], f"a script ran: {dialogs}"


def test_from_the_index_to_an_article(server, page):
    page.goto(server + "/")
    assert page.locator("tr[data-article='sora'][data-lang='fr']").count() == 1
    assert page.evaluate("getComputedStyle(document.body).maxWidth") != "none"  # CSS loaded
    page.click("a[href='/article/sora']")
    page.wait_for_url(server + "/article/sora")
    assert page.locator(".cell.tgt[data-lang='en']").count() > 10
    assert page.locator(".cell.tgt[data-lang='fr']").count() > 10
    page.click("nav a[href='/']")
    page.wait_for_url(server + "/")


def test_hostile_text_stays_text(server, page):
    page.goto(server + "/article/boese")
    source = page.locator(".cell.src .text").all_inner_texts()
    assert any('<script>alert("x")</script>' in text for text in source)
    assert page.locator("script").count() == 0 and page.locator("img").count() == 0


def test_a_narrow_screen_keeps_the_index_inside_the_page(server, page):
    page.set_viewport_size({"width": 375, "height": 700})
    page.goto(server + "/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
