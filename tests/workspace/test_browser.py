"""The workspace in a real browser: Playwright drives Debian's Chromium (found like other
system tools; never skipped under CI) against a real uvicorn server on loopback; every
request to another host is blocked and counted, so the pages are proven offline."""

from __future__ import annotations

import pytest

from pipeline.workspace.app import create_app
from pipeline.workspace.server import running

from ..browser import loopback_only
from ..tools import require


@pytest.fixture(scope="module")
def server(served):
    with running(create_app(served)) as url:
        yield url


@pytest.fixture
def page():
    from playwright.sync_api import sync_playwright

    chromium = require("chromium")
    blocked: list[str] = []
    dialogs: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        context = browser.new_context()

        context.route("**/*", loopback_only(blocked))
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
    assert page.locator("script:not([src='/static/workspace.js'])").count() == 0
    assert page.locator("img").count() == 0
    # no text broke out of its <textarea> (one text and one comment per target), and the
    # markup is in them as text
    forms = page.locator("form.cell.tgt").count()
    assert page.locator("textarea").count() == 2 * forms > 0
    assert page.locator("form.cell.tgt textarea[name='text']").count() == forms
    targets = page.locator("textarea[name='text']").evaluate_all(
        "(all) => all.map((t) => t.value)")
    assert any("</" in value for value in targets)


def test_a_narrow_screen_keeps_the_index_inside_the_page(server, page):
    page.set_viewport_size({"width": 375, "height": 700})
    page.goto(server + "/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375


@pytest.fixture
def editing_server(editable):
    with running(create_app(editable)) as url:
        yield url


def test_edit_and_approve_with_the_keyboard_then_reload(editing_server, page):
    page.goto(editing_server + "/article/sora")
    page.fill("#reviewer", "Rita")
    page.dispatch_event("#reviewer", "change")
    first = page.locator("form.cell.tgt[data-lang='en'] textarea[name=text]").nth(0)
    first.fill("Approved with the keyboard.")
    first.press("Control+Enter")
    cell = page.locator("form.cell.tgt[data-lang='en']").nth(0)
    cell.locator(".status", has_text="reviewed").wait_for()
    assert page.evaluate("document.activeElement === document.querySelectorAll("
                         "'form.cell.tgt textarea[name=text]')[1]")  # on to the next target
    page.reload()
    text = page.locator("form.cell.tgt[data-lang='en'] textarea[name=text]").nth(0)
    assert text.input_value() == "Approved with the keyboard."
    assert page.locator("form.cell.tgt[data-lang='en']").nth(0).get_attribute(
        "data-status") == "reviewed"
    assert page.input_value("#reviewer") == "Rita"  # the browser remembers the name


def test_a_change_made_elsewhere_is_noticed(editing_server, editable, page):
    from .helpers import client, segment

    page.goto(editing_server + "/article/sora")
    sid, revision, _ = segment(editable, index=3)
    assert client(editable).post(f"/article/sora/en/{sid}", json={
        "text": "Saved by someone else.", "action": "draft", "revision": revision}
    ).status_code == 200
    page.locator("#notice", has_text="Changed elsewhere").wait_for(timeout=15_000)


def test_two_reviewers_on_one_sentence_see_the_conflict(editing_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=require("chromium"),
                                             args=["--no-sandbox"])
        try:
            one, two = (browser.new_context().new_page() for _ in range(2))
            for reviewer in (one, two):
                reviewer.goto(editing_server + "/article/sora")
            mine = "form.cell.tgt[data-lang='en'] >> nth=0"
            one.locator(mine).locator("textarea[name=text]").fill("One's text.")
            one.locator(mine).locator("button[value='approve']").click()
            one.locator(mine).locator(".status", has_text="reviewed").wait_for()
            two.locator(mine).locator("textarea[name=text]").fill("Two's text.")
            two.locator(mine).locator("button[value='approve']").click()
            conflict = two.locator(mine).locator(".conflict")
            conflict.wait_for(state="visible")
            assert conflict.locator(".theirs").inner_text() == "One's text."
            conflict.locator(".keep-mine").click()  # two decides, knowing both
            two.locator(mine).locator(".conflict").wait_for(state="hidden")
            two.reload()
            assert two.locator(mine).locator("textarea[name=text]").input_value() == "Two's text."
        finally:
            browser.close()


def test_a_text_keeps_its_leading_newline_and_keep_mine_keeps_a_draft(editing_server,
                                                                      editable, page):
    from .helpers import client, segment

    sid, revision, _ = segment(editable, index=2)
    http = client(editable)
    saved = http.post(f"/article/sora/en/{sid}", json={
        "text": "\nSecond line.", "action": "draft", "revision": revision}).json()
    page.goto(editing_server + "/article/sora")
    cell = page.locator(f"section[data-segment='{sid}'] form[data-lang='en']")
    assert cell.locator("textarea[name=text]").input_value() == "\nSecond line."
    # someone else saves meanwhile; this page saves a draft and keeps its own text
    http.post(f"/article/sora/en/{sid}", json={
        "text": "Someone else's.", "action": "approve", "revision": saved["revision"]})
    cell.locator("textarea[name=text]").fill("Mine, a draft.")
    cell.locator("button[value='draft']").click()
    cell.locator(".conflict").wait_for(state="visible")
    page.locator("#notice", has_text="Changed elsewhere").wait_for()
    cell.locator(".keep-mine").click()
    cell.locator(".status", has_text="draft").wait_for()


@pytest.fixture
def aided_server(editable, tmp_path):
    import shutil

    from ..conftest import ROOT

    glossary = tmp_path / "glossary"
    shutil.copytree(ROOT / "glossary", glossary)
    with running(create_app(editable, glossary=glossary)) as url:
        yield url, glossary


def test_add_a_term_selected_in_the_source_comment_and_take_an_alternative(
        aided_server, editable, page):
    from pipeline.glossary.termbase import load_folder

    from .helpers import client, segment

    url, glossary = aided_server
    sid, revision, _ = segment(editable, index=1)
    http = client(editable)
    http.post(f"/article/sora/en/{sid}", json={"text": "Theirs.", "action": "approve",
                                               "revision": revision})
    http.post(f"/article/sora/en/{sid}", json={"text": "Late, a draft.", "action": "draft",
                                               "revision": revision})  # → an alternative
    page.goto(url + "/article/sora")
    row = page.locator(f"section[data-segment='{sid}']")
    # select a word of the German sentence: the form fills in; add it
    known = {c.de.lower() for c in load_folder(glossary)}
    word = max((w.strip(",.:\"") for w in row.locator(".cell.src .text").inner_text().split()
                if w.strip(",.:\"").lower() not in known and w.strip(",.:\"").isalpha()),
               key=len)
    page.evaluate("""([sid, word]) => {
        const text = document.querySelector(`#seg-${sid} .cell.src .text`);
        const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
        let node; while ((node = walker.nextNode()) && !node.data.includes(word)) {}
        const range = document.createRange();
        const at = node.data.indexOf(word);
        range.setStart(node, at); range.setEnd(node, at + word.length);
        getSelection().removeAllRanges(); getSelection().addRange(range);
    }""", [sid, word])
    row.locator(".cell.src .text").dispatch_event("mouseup")
    form = page.locator("#term-form")
    assert form.locator("input[name=de]").input_value() == word
    form.locator("input[name=id]").fill("browser-term")
    for lang, text in (("en", "browser term"), ("fr", "terme"), ("es", "término")):
        form.locator(f"input[name=target-{lang}]").fill(text)
    form.locator("input[name=domain]").fill("film")
    form.locator("button[type=submit]").click()
    page.wait_for_function("() => document.querySelector('#term-form output').value")
    assert "added browser-term" in form.locator("output").inner_text()
    assert [c.de for c in load_folder(glossary) if c.id == "browser-term"] == [word]
    # a comment, saved and still there after a reload
    cell = row.locator("form[data-lang='en']")
    cell.locator("details.comment summary").click()
    cell.locator("textarea[name=comment]").fill("Ask the desk about this.")
    cell.locator(".save-comment").click()
    page.wait_for_function("() => document.querySelector(`#seg-" + sid + " form[data-lang=en] "
                           "textarea[name=comment]`).dataset.revision !== '0'")
    # take the alternative with one click: it becomes the text, as the draft it was
    cell.locator(".alternatives .take").click()
    cell.locator(".status", has_text="draft").wait_for()
    assert cell.locator(".alternatives").count() == 0
    page.reload()
    cell = page.locator(f"section[data-segment='{sid}'] form[data-lang='en']")
    assert cell.locator("textarea[name=text]").input_value() == "Late, a draft."
    assert cell.locator("textarea[name=comment]").input_value() == "Ask the desk about this."
    assert cell.locator(".alternatives").count() == 0
