"""Plain-text structure: list items, credits, bylines, captions, teasers and datelines become
blocks and segments of their own kind, and the label table localises what is made by rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.ingest import credits
from pipeline.ingest.article import parse_article
from pipeline.ingest.segment import segment_document
from pipeline.model.document import BlockKind
from pipeline.mt.chunks import MAX_MT_CHARS, mt_chunks

K = BlockKind


def _blocks(text: str) -> list[tuple[str, str]]:
    document = parse_article(text, path=Path("a.txt"))
    return [(b.kind.value, b.text) for b in document.blocks]


def _segments(text: str) -> list[tuple[str, str]]:
    document = parse_article(text, path=Path("a.txt"))
    return [(s.kind.value, s.text) for s in segment_document(document)]


@pytest.mark.parametrize(("text", "blocks"), [
    pytest.param("Die Punkte:\n• Erstens.\n• Zweitens.\n",
                 [("paragraph", "Die Punkte:"), ("list_item", "Erstens."),
                  ("list_item", "Zweitens.")], id="bullets"),
    pytest.param("- eins\n* zwei\n– drei\n",
                 [("list_item", "eins"), ("list_item", "zwei"), ("list_item", "drei")],
                 id="dash-star-en-dash"),
    pytest.param("1. Eins.\n2) Zwei.\n10. Zehn.\n",
                 [("list_item", "Eins."), ("list_item", "Zwei."), ("list_item", "Zehn.")],
                 id="numbered"),
    pytest.param("1. FC Köln gewinnt das Derby.\n",
                 [("paragraph", "1. FC Köln gewinnt das Derby.")], id="lone-number-is-text"),
    pytest.param("• Zweitens mehr Zeit,\n  und zwar sofort.\nDanach kommt der Rest.\n",
                 [("list_item", "Zweitens mehr Zeit,\nund zwar sofort."),
                  ("paragraph", "Danach kommt der Rest.")], id="indented-continuation"),
    pytest.param("Einleitung des Absatzes.\n\nDie Liste:\n- eins\n- zwei\n\nSchluss.\n",
                 [("paragraph", "Einleitung des Absatzes."), ("paragraph", "Die Liste:"),
                  ("list_item", "eins"), ("list_item", "zwei"), ("paragraph", "Schluss.")],
                 id="list-inside-blank-separated-paragraph"),
    pytest.param("Ein Tweet mit Link. https://t.co/abc\n- Jane Doe (@jane) 22. März 2024\n",
                 [("tweet", "Ein Tweet mit Link. https://t.co/abc")],
                 id="attribution-is-still-a-tweet"),
    pytest.param("Foto: dpa\nBild: Reuters/John Doe\nQuelle: AFP\n(c) dpa\n© Getty Images\n"
                 "dpa/AFP\npicture alliance / dpa\n",
                 [("credit", "Foto: dpa"), ("credit", "Bild: Reuters/John Doe"),
                  ("credit", "Quelle: AFP"), ("credit", "(c) dpa"),
                  ("credit", "© Getty Images"), ("credit", "dpa/AFP"),
                  ("credit", "picture alliance / dpa")], id="credits"),
    pytest.param("Von Anna Schmidt\nVon Anna Schmidt und Max Weber\nVon Montag an gilt das.\n",
                 [("byline", "Von Anna Schmidt"), ("byline", "Von Anna Schmidt und Max Weber"),
                  ("paragraph", "Von Montag an gilt das.")], id="bylines"),
    pytest.param("Lesen Sie auch: Wie KI Hollywood verändert\nMehr zum Thema: Der Streik\n",
                 [("teaser", "Lesen Sie auch: Wie KI Hollywood verändert"),
                  ("teaser", "Mehr zum Thema: Der Streik")], id="teasers"),
    pytest.param("Demonstranten vor dem Reichstag. (Foto: dpa)\n"
                 "Demonstranten vor dem Reichstag / Reuters/John Doe\n"
                 "Bildunterschrift: Ein Mann mit Kamera.\n",
                 [("caption", "Demonstranten vor dem Reichstag. (Foto: dpa)"),
                  ("caption", "Demonstranten vor dem Reichstag / Reuters/John Doe"),
                  ("caption", "Bildunterschrift: Ein Mann mit Kamera.")], id="captions"),
    pytest.param("https://example.com/set.jpg\nDer Regisseur am Set\nDer Film startet bald.\n",
                 [("paragraph", "https://example.com/set.jpg"),
                  ("caption", "Der Regisseur am Set"),
                  ("paragraph", "Der Film startet bald.")], id="caption-below-a-picture"),
    pytest.param("Der Kanzler reiste nach Paris. (dpa)\n",
                 [("paragraph", "Der Kanzler reiste nach Paris. (dpa)")],
                 id="agency-sign-off-is-no-caption"),
])
def test_plain_text_blocks(text, blocks):
    assert _blocks(text) == blocks


def test_seventeen_items_are_seventeen_blocks_and_no_chunk_crosses_an_item():
    long_item = "Ein sehr langer Punkt, der weitergeht " * 40  # over the chunker's limit
    items = [f"Punkt {n} der Liste." for n in range(1, 17)] + [long_item.strip()]
    text = "Die Forderungen der Autoren:\n" + "".join(f"• {item}\n" for item in items)
    document = parse_article(text, path=Path("a.txt"))
    listed = [b for b in document.blocks if b.kind is BlockKind.LIST_ITEM]
    assert [b.text for b in listed] == items
    assert len(listed) == 17
    segments = [s for s in segment_document(document) if s.kind is BlockKind.LIST_ITEM]
    assert len(mt_chunks(listed[-1].text)) > 1 and len(listed[-1].text) > MAX_MT_CHARS
    for segment in segments:
        item = document.blocks[segment.block].text
        assert all(chunk in item for chunk in mt_chunks(segment.text))


@pytest.mark.parametrize(("text", "segments"), [
    pytest.param("BERLIN (dpa) – Die Regierung will KI regulieren. Das sagte er.",
                 [("dateline", "BERLIN (dpa) –"),
                  ("paragraph", "Die Regierung will KI regulieren."),
                  ("paragraph", "Das sagte er.")], id="dateline-with-agency"),
    pytest.param("Brüssel – Die Kommission legt einen Plan vor.",
                 [("dateline", "Brüssel –"),
                  ("paragraph", "Die Kommission legt einen Plan vor.")], id="dateline-place"),
    pytest.param("Doch – so heißt es – die Pläne stehen.",
                 [("paragraph", "Doch – so heißt es – die Pläne stehen.")], id="no-dateline"),
    pytest.param("Die Regierung – Die Opposition widerspricht.",
                 [("paragraph", "Die Regierung – Die Opposition widerspricht.")],
                 id="no-dateline-article"),
    pytest.param("US-Präsident Biden – Der Besuch war kurz.",
                 [("paragraph", "US-Präsident Biden – Der Besuch war kurz.")],
                 id="no-dateline-two-words"),
    pytest.param("Tyler Perry (Produzent) – Der Besuch war kurz.",
                 [("paragraph", "Tyler Perry (Produzent) – Der Besuch war kurz.")],
                 id="no-dateline-bracket-without-agency"),
    pytest.param("KI – Die Zukunft der Branche.",
                 [("paragraph", "KI – Die Zukunft der Branche.")], id="no-dateline-acronym"),
    pytest.param("ERFURT (dts) – Die Landesregierung tagt.",
                 [("dateline", "ERFURT (dts) –"), ("paragraph", "Die Landesregierung tagt.")],
                 id="dateline-capitals-any-agency"),
    pytest.param("NEW YORK – Die Börse schloss fester.",
                 [("dateline", "NEW YORK –"), ("paragraph", "Die Börse schloss fester.")],
                 id="dateline-in-capitals"),
    pytest.param("Demonstranten vor dem Reichstag. (Foto: Reuters/John Doe)",
                 [("caption", "Demonstranten vor dem Reichstag."),
                  ("credit", "(Foto: Reuters/John Doe)")], id="caption-credit-in-brackets"),
    pytest.param("Demonstranten vor dem Reichstag / Foto: dpa",
                 [("caption", "Demonstranten vor dem Reichstag"), ("credit", "/ Foto: dpa")],
                 id="caption-credit-after-slash"),
    pytest.param("Demonstranten vor dem Reichstag. Foto: dpa",
                 [("caption", "Demonstranten vor dem Reichstag."), ("credit", "Foto: dpa")],
                 id="caption-credit-after-sentence"),
    pytest.param("Bildunterschrift: Ein Mann mit Kamera. © Getty Images",
                 [("label", "Bildunterschrift:"), ("caption", "Ein Mann mit Kamera."),
                  ("credit", "© Getty Images")], id="caption-label-and-credit"),
    pytest.param("Lesen Sie auch: Wie KI Hollywood verändert",
                 [("label", "Lesen Sie auch:"), ("teaser", "Wie KI Hollywood verändert")],
                 id="teaser"),
    pytest.param("Der Kanzler reiste nach Paris. (dpa)",
                 [("paragraph", "Der Kanzler reiste nach Paris."), ("credit", "(dpa)")],
                 id="agency-sign-off"),
    pytest.param("Von Anna Schmidt und Max Weber",
                 [("byline", "Von Anna Schmidt und Max Weber")], id="byline-one-segment"),
    pytest.param("Quelle: Statistisches Bundesamt, Mikrozensus",
                 [("credit", "Quelle: Statistisches Bundesamt, Mikrozensus")],
                 id="credit-one-segment"),
])
def test_segments_made_by_rule(text, segments):
    assert _segments(text) == segments


def test_parts_cover_every_character_of_the_block():
    text = "BERLIN (dpa) – Die Regierung will KI. Sie plant viel. (Foto: dpa)"
    cuts = credits.parts(BlockKind.PARAGRAPH, text)
    assert [kind for _, _, kind in cuts] == [K.DATELINE, None, K.CREDIT]
    assert "".join(text[a:b] for a, b, _ in cuts).replace(" ", "") == text.replace(" ", "")


@pytest.mark.parametrize(("kind", "text", "lang", "target"), [
    (K.CREDIT, "Foto: dpa", "en", "Photo: dpa"),
    (K.CREDIT, "Foto: dpa", "fr", "Photo\u00a0: dpa"),
    (K.CREDIT, "Foto: dpa", "es", "Foto: dpa"),
    (K.CREDIT, "Bild: Reuters/John Doe", "en", "Image: Reuters/John Doe"),
    (K.CREDIT, "Bild: Reuters/John Doe", "fr", "Image\u00a0: Reuters/John Doe"),
    (K.CREDIT, "Bild: Reuters/John Doe", "es", "Imagen: Reuters/John Doe"),
    (K.CREDIT, "Quelle: AFP", "en", "Source: AFP"),
    (K.CREDIT, "Quelle: AFP", "fr", "Source\u00a0: AFP"),
    (K.CREDIT, "Quelle: AFP", "es", "Fuente: AFP"),
    (K.CREDIT, "(Foto: dpa)", "en", "(Photo: dpa)"),
    (K.CREDIT, "/ Foto: dpa", "es", "/ Foto: dpa"),
    (K.CREDIT, "© Getty Images", "fr", "© Getty Images"),
    (K.CREDIT, "dpa/AFP", "en", "dpa/AFP"),
    (K.CREDIT, "Foto: dpa", "it", "Foto: dpa"),  # no Italian in the table: as written
    (K.CREDIT, "Foto: dpa", "pt_BR", "Foto: dpa"),
    (K.CREDIT, "Foto: dpa", "en_GB", "Photo: dpa"),
    (K.BYLINE, "Von Anna Schmidt", "en", "By Anna Schmidt"),
    (K.BYLINE, "Von Anna Schmidt und Max Weber", "en", "By Anna Schmidt and Max Weber"),
    (K.BYLINE, "Von Anna Schmidt und Max Weber", "fr", "Par Anna Schmidt et Max Weber"),
    (K.BYLINE, "Von Anna Schmidt und Max Weber", "es", "Por Anna Schmidt y Max Weber"),
    (K.BYLINE, "Von Anna Schmidt und Max Weber", "it", "Von Anna Schmidt und Max Weber"),
    (K.LABEL, "Lesen Sie auch:", "en", "Also read:"),
    (K.LABEL, "Mehr zum Thema:", "fr", "Sur le même sujet\u00a0:"),
    (K.LABEL, "Bildunterschrift:", "es", "Pie de foto:"),
    (K.DATELINE, "BERLIN (dpa) –", "en", "BERLIN (dpa) –"),
])
def test_label_table(kind, text, lang, target):
    assert credits.localize(kind, text, lang) == target


def test_only_rule_kinds_stay_away_from_the_engine():
    assert {kind for kind in BlockKind if kind.by_rule} == {
        K.CREDIT, K.BYLINE, K.DATELINE, K.LABEL}


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_other_readers_keep_credits_bylines_and_datelines_from_the_engine(fmt):
    paragraphs = ["Foto: dpa", "Von Anna Schmidt", "Brüssel – Die Kommission tagt."]
    text = ("\n\n".join(paragraphs) if fmt == "markdown"
            else "".join(f"<p>{p}</p>" for p in paragraphs))
    document = parse_article(text, path=Path(f"a.{'md' if fmt == 'markdown' else 'html'}"),
                             fmt=fmt)
    assert [(s.kind.value, s.text) for s in segment_document(document)] == [
        ("credit", "Foto: dpa"), ("byline", "Von Anna Schmidt"), ("dateline", "Brüssel –"),
        ("paragraph", "Die Kommission tagt.")]
