"""Inline codes in XLIFF: an HTML and a Markdown article through a run (pseudo engine) give a
2.1 file with ``<pc>``/``<ph>``/``<sc>``/``<ec>`` and ``<originalData>`` and a 1.2 file with
``<bpt>``/``<ept>``/``<ph>``/``<it>``; both are valid (XSD and the inline-code checker) and
read back to exactly the PO's msgid/msgstr, translate-toolkit's too. Whatever a translator
or an engine makes of the codes in a target stays valid and reads back unchanged."""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.formats.xliff import read_xliff, render_xliff, xliff_from_bytes
from pipeline.formats.xliff12 import read_xliff12_file, render_xliff12, xliff12_from_bytes
from pipeline.ingest.inline import html_codes
from pipeline.model.document import (
    Block,
    BlockKind,
    CodeKind,
    Document,
    InlineCode,
    Segment,
    Translation,
)
from pipeline.mt.pseudo import PseudoEngine
from pipeline.run.options import RunOptions
from pipeline.run.runner import run

from ..helpers import toolkit
from . import test_xliff12
from .test_xliff import NS, assert_valid

NS12 = test_xliff12.NS
PAGE = """<!DOCTYPE html><html lang="de"><body><article>
<h1>KI erobert <em>Hollywood</em></h1>
<p>Ein <b>sehr <i>wichtiger</i> und <a href='/x'><code>langer</code> Satz</a></b> hier.</p>
<p>Das ist <a href="https://e.de/s?a=1&amp;b=2">ein Satz. Und noch</a> einer.</p>
<p>Zeile<br>zwei mit <img src="bild.jpg" alt="Ein Bild"> im Text.</p>
<p>Ein <b>offenes Tag ohne Ende. Und weiter.</p>
</article></body></html>
"""
MARKDOWN = """# Ein **fetter** Titel

Ein Satz mit **fett** und einem [Link](https://example.com/a_b) und `code`.
"""


def _run(tmp_path: Path, name: str, text: str) -> tuple[Path, str]:
    source = tmp_path / name
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    run([source], RunOptions(targets=("fr",), out_dir=out, quiet=True, glossary=None,
                             xliff="both"), PseudoEngine())
    return out / "fr", source.stem


def _po(folder: Path, slug: str) -> dict[str, tuple[str, str]]:
    catalog = polib.pofile(str(folder / "LC_MESSAGES" / f"{slug}.po"))
    return {e.msgctxt: (e.msgid, e.msgstr) for e in catalog if e.msgid and not e.obsolete}


def _codes(root, tag: str) -> list:
    return root.findall(f".//x:segment/x:source//x:{tag}", NS)


def test_an_html_article_has_its_codes_in_xliff_2_1(tmp_path):
    folder, slug = _run(tmp_path, "seite.html", PAGE)
    root = assert_valid((folder / f"{slug}.xlf").read_bytes())
    data = {(d.getparent().getparent().get("id"), d.get("id")): d.text
            for d in root.iterfind(".//x:originalData/x:data", NS)}
    assert "<a href='/x'>" in data.values() and "</a>" in data.values()
    nested = root.find(".//x:source/x:pc/x:pc/x:pc", NS)  # <b> › <a> › <code>
    assert nested.text == "langer"
    assert data[unit_id(nested), nested.get("dataRefStart")] == "<code>"
    assert data[unit_id(nested), nested.get("dataRefEnd")] == "</code>"
    phs = {data[unit_id(p), p.get("dataRef")] for p in _codes(root, "ph")}
    assert phs == {"<br>", '<img src="bild.jpg" alt="Ein Bild">'}
    # the link across a sentence boundary: <sc> in one segment, its <ec> in the next one
    [start] = [s for s in _codes(root, "sc") if s.get("isolated") is None]
    [end] = [e for e in _codes(root, "ec") if e.get("startRef") == start.get("id")]
    first, second = start.getparent().getparent(), end.getparent().getparent()
    assert first.getparent() is second.getparent() and first.getnext().getnext() is second
    assert data[unit_id(start), start.get("dataRef")] == '<a href="https://e.de/s?a=1&amp;b=2">'
    # an element left open in the page: its start code has no end anywhere
    [isolated] = [s for s in _codes(root, "sc") if s.get("isolated") == "yes"]
    assert data[unit_id(isolated), isolated.get("dataRef")] == "<b>"
    # the targets carry the same codes under the same ids
    for segment in root.iterfind(".//x:segment", NS):
        source, target = segment.find("x:source", NS), segment.find("x:target", NS)
        assert [(e.tag, e.attrib) for e in source.iter() if e is not source] == \
            [(e.tag, e.attrib) for e in target.iter() if e is not target]
    entries = read_xliff(folder / f"{slug}.xlf")
    assert {e.segment_id: (e.source, e.target) for e in entries} == _po(folder, slug)


def unit_id(element) -> str:
    while element.tag != f"{{{NS['x']}}}unit":
        element = element.getparent()
    return element.get("id")


def test_a_markdown_article_has_its_codes_in_xliff_2_1(tmp_path):
    folder, slug = _run(tmp_path, "artikel.md", MARKDOWN)
    root = assert_valid((folder / f"{slug}.xlf").read_bytes())
    found = []
    for pc in _codes(root, "pc"):
        data = {d.get("id"): d.text for d in root.iterfind(
            f".//x:unit[@id='{unit_id(pc)}']/x:originalData/x:data", NS)}
        found.append((data[pc.get("dataRefStart")], pc.text, data[pc.get("dataRefEnd")]))
    assert found == [("**", "fetter", "**"), ("**", "fett", "**"),
                     ("[", "Link", "](https://example.com/a_b)"), ("`", "code", "`")]
    entries = read_xliff(folder / f"{slug}.xlf")
    assert {e.segment_id: (e.source, e.target) for e in entries} == _po(folder, slug)


@pytest.mark.parametrize(("name", "text"), [("seite.html", PAGE), ("artikel.md", MARKDOWN)])
def test_the_1_2_file_has_the_codes_and_reads_back_as_the_po(tmp_path, name, text):
    folder, slug = _run(tmp_path, name, text)
    path = folder / f"{slug}.xliff12.xlf"
    root = test_xliff12.assert_valid(path.read_bytes())
    tags = {e.tag.split("}")[1] for e in root.iterfind(".//x:source/*", NS12)}
    assert {"bpt", "ept"} <= tags
    if name.endswith(".html"):
        assert {"ph", "it"} <= tags
        isolated = [(e.get("pos"), e.text) for e in root.iterfind(".//x:source/x:it", NS12)]
        assert isolated == [("open", '<a href="https://e.de/s?a=1&amp;b=2">'),
                            ("close", "</a>"), ("open", "<b>")]  # a <trans-unit> is a sentence
    po = _po(folder, slug)
    assert {e.unit_id: (e.source, e.target) for e in read_xliff12_file(path).entries} == po
    back = tmp_path / "back.po"
    result = subprocess.run([toolkit("xliff2po"), str(path), str(back)], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stderr
    converted = [(e.msgid, e.msgstr) for e in polib.pofile(str(back)) if e.msgid]
    assert converted == list(po.values())  # translate-toolkit shows the markup


def test_hostile_markup_and_a_persons_script_stay_valid(tmp_path):
    """Markup with CDATA ends, our own element names and control characters, and a script a
    person types into the PO: valid files, the script text (not a code), read back as the PO."""
    page = ('<p>Ein <a href="x?q=]]&gt;&lt;/target&gt;\x01" title=\'</source>\'>Link</a> mit '
            '&lt;script&gt; und <b onclick="f(\']]>\')">fett</b>.</p>\n')
    folder, slug = _run(tmp_path, "boese.html", page)
    po_path = folder / "LC_MESSAGES" / f"{slug}.po"
    catalog = polib.pofile(str(po_path))
    [entry] = [e for e in catalog if "Link" in e.msgid]
    entry.msgstr = entry.msgid.replace("Link", "Lien <script>alert(1)</script>")
    entry.flags = []
    catalog.save(str(po_path))
    run([folder.parent.parent / "boese.html"], RunOptions(
        targets=("fr",), out_dir=folder.parent, quiet=True, glossary=None, xliff="both"),
        PseudoEngine())
    root = assert_valid((folder / f"{slug}.xlf").read_bytes())
    codes = {f"{{{NS['x']}}}{name}" for name in ("pc", "ph", "sc", "ec")}
    assert any(e.tag in codes for e in root.find(".//x:target", NS).iter())
    assert "<script>alert(1)</script>" in "".join(root.find(".//x:target", NS).itertext())
    test_xliff12.assert_valid((folder / f"{slug}.xliff12.xlf").read_bytes())
    po = _po(folder, slug)
    assert {e.segment_id: (e.source, e.target)
            for e in read_xliff(folder / f"{slug}.xlf")} == po
    assert {e.unit_id: (e.source, e.target)
            for e in read_xliff12_file(folder / f"{slug}.xliff12.xlf").entries} == po
    assert entry.msgstr in {target for _, target in po.values()}


def _html_segment(document_text: str, sentences: list[str]) -> tuple[Document, list[Segment]]:
    block = Block(0, BlockKind.PARAGRAPH, document_text, 0, len(document_text), 1)
    document = Document(path=Path("h.html"), slug="h", format="html", text=document_text,
                        blocks=(block,))
    segments, at = [], 0
    for number, text in enumerate(sentences):
        segments.append(Segment(f"s{number}", 0, BlockKind.PARAGRAPH, text, at, at + len(text),
                                1, html_codes(text)))
        at += len(text) + 1
    return document, segments


def test_a_tag_the_source_lacks_is_text_and_a_lost_partner_isolates(tmp_path):
    """A person adds <u> (no source code: text, as in the HTML page); the second sentence's
    target lost the link's end, so the first one's start is isolated there."""
    sentences = ['Ein <b>fetter</b> <a href="/l">Satz.', "Noch einer</a> hier."]
    document, segments = _html_segment(" ".join(sentences), sentences)
    targets = ['A <b>bold</b> <u>new</u> <a href="/l">sentence.', "One more here."]
    translations = [Translation(s, "en", t) for s, t in zip(segments, targets, strict=True)]
    data = render_xliff(document, translations, "en")
    root = assert_valid(data)
    first = root.find(".//x:segment[@id='s0']/x:target", NS)
    assert "<u>new</u>" in "".join(first.itertext())
    [isolated] = first.findall("x:sc", NS)
    assert (isolated.get("id"), isolated.get("isolated")) == ("2", "yes")
    assert [e.target for e in xliff_from_bytes(data, Path("h.xlf")).entries] == targets
    data12 = render_xliff12(document, translations, "en")
    test_xliff12.assert_valid(data12)
    assert [e.target for e in xliff12_from_bytes(data12, Path("h.xlf")).entries] == targets


def test_pairs_that_cross_are_start_and_end_codes():
    """Codes a finder paired across each other (``<b>a<i>b</b>c</i>``): the pair closed out
    of turn becomes ``<sc>``/``<ec>``, the other stays a ``<pc>``."""
    text = "<b>a<i>b</b>c</i>"
    codes = (InlineCode(1, CodeKind.OPEN, "<b>", 0, 3), InlineCode(2, CodeKind.OPEN, "<i>", 4, 7),
             InlineCode(1, CodeKind.CLOSE, "</b>", 8, 12),
             InlineCode(2, CodeKind.CLOSE, "</i>", 13, 17))
    document, [segment] = _html_segment(text, [text])
    segment = dataclasses.replace(segment, codes=codes)
    data = render_xliff(document, [Translation(segment, "en", text)], "en")
    source = assert_valid(data).find(".//x:source", NS)
    assert [(e.tag.split("}")[1], e.get("id") or e.get("startRef")) for e in source.iter()][1:] \
        == [("sc", "1"), ("pc", "2"), ("ec", "1")]
    assert [e.target for e in xliff_from_bytes(data, Path("c.xlf")).entries] == [text]


_PIECES = ["Wort", " ", ".", "<b>", "</b>", "<i>", "</i>", '<a href="x?a=1&b=2">', "</a>",
           "<br>", "&lt;", "\x01", "]]>", "</target>", '<img src="\x02.jpg">', "😀"]
_SENTENCE = st.lists(st.sampled_from(_PIECES), max_size=12).map("".join)


@settings(max_examples=60, deadline=None)
@given(sources=st.lists(_SENTENCE, min_size=1, max_size=3), data=st.data())
def test_any_markup_in_sources_and_targets_is_valid_and_round_trips(sources, data):
    """Tags nested, crossed, unclosed, stray, repeated, dropped or added in the target, over
    sentences of one block: both files stay valid and read back exactly."""
    document, segments = _html_segment(" ".join(sources), sources)
    targets = [data.draw(_SENTENCE) for _ in segments]
    translations = [Translation(s, "en", t) for s, t in zip(segments, targets, strict=True)]
    path = Path("round.xlf")
    data21 = render_xliff(document, translations, "en")
    assert_valid(data21)
    assert [(e.source, e.target) for e in xliff_from_bytes(data21, path).entries] == \
        list(zip(sources, targets, strict=True))
    data12 = render_xliff12(document, translations, "en")
    test_xliff12.assert_valid(data12)
    assert [(e.source, e.target) for e in xliff12_from_bytes(data12, path).entries] == \
        list(zip(sources, targets, strict=True))
