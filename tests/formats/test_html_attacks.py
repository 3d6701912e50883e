"""What an attacker tried on HTML in → HTML out, kept as tests: a person's text cannot put
markup into the page, no source byte outside the text is lost, no text is left out or
doubled, and hostile shapes parse in bounded time."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import polib
import pytest

from pipeline.ingest.article import parse_article
from pipeline.mt.pseudo import PseudoEngine
from pipeline.qa.checks import CheckContext, run_checks
from pipeline.run.options import RunOptions
from pipeline.run.runner import run

from .test_html import _links, _page, _shape, _translate


def _po(tmp_path: Path, lang: str = "fr") -> Path:
    return tmp_path / "out" / lang / "LC_MESSAGES" / "seite.po"


def _edit(tmp_path: Path, edit) -> None:
    """A person edits every entry of the French PO with ``edit(entry)`` and signs off."""
    path = _po(tmp_path)
    catalog = polib.pofile(str(path), wrapwidth=0)
    for entry in catalog:
        if not entry.obsolete:
            edit(entry)
            entry.flags = []
    catalog.save(str(path))


def _rerun(tmp_path: Path) -> str:
    run([tmp_path / "seite.html"], RunOptions(targets=("fr",), out_dir=tmp_path / "out",
                                               quiet=True, glossary=None), PseudoEngine())
    return (tmp_path / "out" / "fr" / "seite.html").read_text(encoding="utf-8")


#: Pages whose every byte must come back when each translation is its own source text.
SAME_TEXT = {
    "script in emphasis": '<p>Text <em>betont <script>track("x")</script> mehr</em> Ende.</p>',
    "comment in a paragraph": "<p>Satz eins. <!-- ein Kommentar --> Satz zwei.</p>",
    "cdata and a bogus declaration": "<p>Ein Satz <![CDATA[ roh ]]> und <![ hier.</p>",
    "a stray </br>": "<p>Zeile eins</br> Zeile zwei.</p>",
    "attribute white space": "<p>Ein <span data-cfg='{\"msg\": \"a    b\"}' title=\"eins\n"
                             "zwei\">Wort</span> hier.</p>",
    "angle brackets in a value": '<p>Siehe <a href="/suche?q=a>b" title="x<y">hier</a>.</p>',
    "pre is kept": "<pre>  Code  mit\n   Leerzeichen</pre>",
    "an iframe in a span": '<p>Vor <span><iframe src="https://x"></iframe></span> nach.</p>',
    "an icon in a link": '<p><a href="/share"><svg><path d="M0"/></svg> auf X</a> teilen.</p>',
    "text beside a nested list": "<ul><li>Außenpunkt<ul><li>Innen.</li></ul></li></ul>",
    "a teaser card": '<a href="/artikel"><h2>Die Überschrift</h2><p>Der Teaser dazu.</p></a>',
    "an escaped escape": "<p>Man schreibt &amp;lt; für ein Zeichen.</p>",
}


@pytest.mark.parametrize("shape", list(SAME_TEXT))
def test_the_page_comes_back_byte_for_byte_when_each_text_is_its_own_translation(
        tmp_path, shape):
    # white space inside a sentence is the text's (normalised); the page has none
    page = _page(SAME_TEXT[shape]).replace("OpenAI\n <strong>", "OpenAI <strong>")
    source, _ = _translate(tmp_path, page)
    _edit(tmp_path, lambda entry: setattr(entry, "msgstr", entry.msgid))
    output = _rerun(tmp_path)
    assert output.replace('<html lang="fr">', "<html>", 1) == source.read_text(encoding="utf-8")


@pytest.mark.parametrize(("shape", "texts"), [
    ("text beside a nested list", ["Außenpunkt", "Innen."]),
    ("a teaser card", ["Die Überschrift", "Der Teaser dazu."]),
    ("comment in a paragraph", ["Satz eins.", "Satz zwei."]),
])
def test_every_text_is_read_once(tmp_path, shape, texts):
    _translate(tmp_path, _page(SAME_TEXT[shape]))
    msgids = [e.msgid for e in polib.pofile(str(_po(tmp_path)))]
    for text in texts:
        assert sum(text in msgid for msgid in msgids) == 1, msgids


@pytest.mark.parametrize("typed", [
    "Une phrase <img src=x onerror=alert(document.domain) .",
    "Une phrase <!-- ouverte",
    'Une phrase <a href="/x" .',
    "Une phrase <script>alert(1)</script>.",
])
def test_a_persons_text_never_becomes_markup(tmp_path, typed):
    _translate(tmp_path, _page("<p>Erster Satz hier.</p><p>Dritter Absatz ohne Tags.</p>"))
    _edit(tmp_path, lambda entry: setattr(entry, "msgstr", typed)
          if entry.msgid == "Erster Satz hier." else None)
    output = _rerun(tmp_path)
    tree = lxml.html.document_fromstring(output)
    assert not tree.xpath("//img | //script[not(ancestor::head)] | //a[@href='/x']")
    assert "Drîttér" in output.split("</article>")[0]  # nothing after it swallowed
    findings = run_checks("Erster Satz hier.", typed, CheckContext(markup="html"))
    assert "markup" in [f.check for f in findings if f.severity == "error"]


def test_a_lost_end_tag_is_closed_at_the_end_of_its_block(tmp_path):
    source, _ = _translate(tmp_path, _page('<p>Ein <a href="/x">Link hier</a>.</p><p>Weiter.</p>'))
    _edit(tmp_path, lambda entry: setattr(entry, "msgstr", 'A <a href="/x">link here.')
          if entry.msgid.startswith("Ein ") else None)
    tree = lxml.html.document_fromstring(_rerun(tmp_path))
    [link] = tree.xpath("//a[@href='/x']")
    assert "Weiter" not in link.text_content()
    assert _shape(lxml.html.tostring(tree).decode()) == _shape(source.read_text())


@pytest.mark.parametrize(("page", "where", "kept"), [
    ('<!-- <html> alt -->\n<html lang="de"><body><p>Ein Satz.</p></body></html>', "html",
     "<!-- <html> alt -->\n<html "),
    ('<!DOCTYPE html><meta charset="utf-8"><div><p>Ein Satz.</p></div>', "div",
     '<!DOCTYPE html><meta charset="utf-8"><div '),
    ('<html data-info=" lang=de"><body><p>Ein Satz.</p></body></html>', "html",
     '<html data-info=" lang=de" '),
])
def test_the_language_goes_on_the_right_element(tmp_path, page, where, kept):
    source = tmp_path / "seite.html"
    source.write_text(page, encoding="utf-8")
    run([source], RunOptions(targets=("ar",), out_dir=tmp_path / "out", quiet=True,
                             glossary=None), PseudoEngine())
    output = (tmp_path / "out" / "ar" / "seite.html").read_text(encoding="utf-8")
    tree = lxml.html.document_fromstring(output)
    [element] = tree.xpath(f"//{where}")
    assert (element.get("lang"), element.get("dir")) == ("ar", "rtl")
    assert output.startswith(kept)  # what comes before stays, and the element's own
    if "data-info" in page:
        assert element.get("data-info") == " lang=de"


@pytest.mark.parametrize("page", [
    "<p>Hallo Welt. " + "<a " * 20000,
    "<p>a</p><img alt=b>" * 5000,
    "<p><td>" + "<span>" * 2000 + "x" + "<hr>" * 20000,
])
def test_hostile_shapes_parse(page):
    document = parse_article(page, path=Path("a.html"), fmt="html")
    assert document.blocks


def test_links_stay_links_and_nothing_else_is_one(tmp_path):
    source, translated = _translate(tmp_path, _page(SAME_TEXT["angle brackets in a value"]))
    links = _links(translated.read_text(encoding="utf-8"))
    assert links == _links(source.read_text(encoding="utf-8"))
    assert ("a", "href", "/suche?q=a>b") in links
