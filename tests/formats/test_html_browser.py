"""A translated HTML page as a reader sees it: Chromium renders it from a loopback server,
every request to another host blocked (and counted: the tweet widget asks for one)."""

from __future__ import annotations

import functools
import http.server
import threading
from urllib.parse import urlsplit

from ..browser import loopback_only
from ..tools import require
from .test_html import SHAPES, _page, _translate


def test_a_translated_page_renders_with_its_links_and_nothing_leaves_the_machine(tmp_path):
    from playwright.sync_api import sync_playwright

    body = "\n".join(SHAPES[name] for name in ("nested inline markup", "a figure", "a list",
                                                "a tweet embed"))
    _, translated = _translate(tmp_path, _page(body))
    handler = functools.partial(http.server.SimpleHTTPRequestHandler,
                                directory=str(translated.parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    blocked: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=require("chromium"),
                                                 args=["--no-sandbox"])
            page = browser.new_page()

            page.route("**/*", loopback_only(blocked))
            page.goto(f"http://127.0.0.1:{server.server_port}/{translated.name}")
            assert page.evaluate("document.documentElement.lang") == "fr"
            assert page.locator("h1 em").inner_text().startswith("Höļļýwööd")
            assert page.locator("a[href='/x'] code").count() == 1
            assert page.locator("figure img").get_attribute("src") == "bild.jpg"
            assert page.locator("li").count() == 2
            shot = tmp_path / "page.png"
            page.screenshot(path=str(shot), full_page=True)
            browser.close()
    finally:
        server.shutdown()
    assert shot.stat().st_size > 5_000
    assert blocked and all(urlsplit(url).hostname != "127.0.0.1" for url in blocked)
    assert any("platform.twitter.com" in url for url in blocked)
