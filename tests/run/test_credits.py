"""Credits, bylines, datelines and labels in a run: the engine never sees them, each target
is made by rule (label localised, names as written), and a person may still edit it."""

from __future__ import annotations

import polib
import pytest

from pipeline import translate_articles, write_results
from pipeline.formats.markdown import block_targets
from pipeline.model.annotations import Reuse
from pipeline.model.document import BlockKind
from pipeline.model.status import Status
from pipeline.store.layout import paths, review_path
from pipeline.testing.fake_engine import FakeEngine

ARTICLE = """Streik in Hollywood
Von Anna Schmidt und Max Weber
BERLIN (dpa) – Die Autoren streiken seit Wochen. Die Studios schweigen.
Die Forderungen:
• Mehr Geld für Drehbücher.
• Schutz vor KI.
Ein Tweet mit Link. https://t.co/abc
- Jane Doe (@jane) 22. März 2024
Foto: dpa
Demonstranten vor dem Studio. (Foto: Reuters/John Doe)
Lesen Sie auch: Wie KI Hollywood verändert
Der Regisseur am Set / Reuters/John Doe
"""
#: What no engine request may contain: names, agencies, the dateline, the labels.
KEPT_FROM_THE_ENGINE = ("Anna Schmidt", "Max Weber", "BERLIN", "dpa", "Reuters", "John Doe",
                        "Foto", "Lesen Sie auch", "Von ")
LANGS = ("en", "fr", "es", "it")


@pytest.fixture(scope="module")
def translated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("credits")
    article = folder / "streik.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    engine = FakeEngine()
    [result] = translate_articles([article], targets=list(LANGS), engine=engine)
    return result, engine


def _block(result, lang: str, kind: BlockKind) -> str:
    """The target of the first block of ``kind``, its segments joined as writers join them."""
    document = result.document
    block = next(b for b in document.blocks if b.kind is kind)
    return block_targets(document, result[lang].translations)[block.index]


def test_the_engine_never_sees_credits_bylines_datelines_or_labels(translated):
    _, engine = translated
    asked = [text for _, _, text in engine.decoded]
    assert "Die Autoren streiken seit Wochen." in asked  # the sentence without its dateline
    assert "Demonstranten vor dem Studio." in asked  # the caption without its credit
    assert "Wie KI Hollywood verändert" in asked  # the teaser without its label
    for kept in KEPT_FROM_THE_ENGINE:
        assert not [text for text in asked if kept in text], kept


@pytest.mark.parametrize(("lang", "kind", "target"), [
    ("en", BlockKind.CREDIT, "Photo: dpa"),
    ("fr", BlockKind.CREDIT, "Photo\u00a0: dpa"),
    ("es", BlockKind.CREDIT, "Foto: dpa"),
    ("it", BlockKind.CREDIT, "Foto: dpa"),  # not in the label table: as written
    ("en", BlockKind.BYLINE, "By Anna Schmidt and Max Weber"),
    ("fr", BlockKind.BYLINE, "Par Anna Schmidt et Max Weber"),
    ("es", BlockKind.BYLINE, "Por Anna Schmidt y Max Weber"),
    ("it", BlockKind.BYLINE, "Von Anna Schmidt und Max Weber"),
    ("en", BlockKind.CAPTION, "en:Demonstranten vor dem Studio. (Photo: Reuters/John Doe)"),
    ("fr", BlockKind.CAPTION,
     "fr:Demonstranten vor dem Studio. (Photo\u00a0: Reuters/John Doe)"),
    ("en", BlockKind.TEASER, "Also read: en:Wie KI Hollywood verändert"),
    ("es", BlockKind.TEASER, "Lea también: es:Wie KI Hollywood verändert"),
])
def test_targets_made_by_rule(translated, lang, kind, target):
    result, _ = translated
    assert _block(result, lang, kind) == target


@pytest.mark.parametrize("lang", LANGS)
def test_a_trailing_credit_without_a_label_comes_back_byte_for_byte(translated, lang):
    result, _ = translated
    last = result.document.blocks[-1]
    assert last.kind is BlockKind.CAPTION
    assert block_targets(result.document, result[lang].translations)[last.index] == \
        f"{lang}:Der Regisseur am Set / Reuters/John Doe"


@pytest.mark.parametrize("lang", LANGS)
def test_a_dateline_comes_back_verbatim_at_the_start(translated, lang):
    result, _ = translated
    assert _block(result, lang, BlockKind.PARAGRAPH).startswith(
        f"BERLIN (dpa) – {lang}:Die Autoren streiken seit Wochen.")


def test_rule_made_targets_are_verbatim_credits_without_findings(translated):
    result, _ = translated
    for lang in LANGS:
        made = [t for t in result[lang].translations if t.segment.kind.by_rule]
        assert {t.segment.kind for t in made} == {BlockKind.CREDIT, BlockKind.BYLINE,
                                                  BlockKind.DATELINE, BlockKind.LABEL}
        for translation in made:
            assert translation.status is Status.VERBATIM and translation.reuse is Reuse.CREDIT
            assert not translation.made_now and translation.findings == (), translation
        assert result[lang].counts["verbatim"] == len(made)  # the tweet is translated


def test_the_tweet_and_the_list_keep_their_kinds(translated):
    result, _ = translated
    kinds = [b.kind for b in result.document.blocks]
    assert kinds.count(BlockKind.LIST_ITEM) == 2
    [tweet] = [b for b in result.document.blocks if b.kind is BlockKind.TWEET]
    assert tweet.attribution.handle == "@jane" and tweet.text == "Ein Tweet mit Link. https://t.co/abc"


def test_a_dateline_place_follows_the_glossary(tmp_path):
    glossary = tmp_path / "glossary"
    glossary.mkdir()
    (glossary / "places.tsv").write_text(
        "id\tde\tvariants\tpos\tcase\tdnt\ten\tfr\tes\tavoid\tnote\n"
        "bruessel\tBrüssel\t\tname\texact\tno\tBrussels\tBruxelles\tBruselas\t\t\n",
        encoding="utf-8")
    article = tmp_path / "eu.txt"
    article.write_text("Brüssel – Die Kommission legt einen Plan vor.\n", encoding="utf-8")
    engine = FakeEngine()
    [result] = translate_articles([article], targets=["en", "fr"], engine=engine,
                                  glossary=glossary)
    assert [text for _, _, text in engine.decoded] == ["Die Kommission legt einen Plan vor."] * 2
    for lang, place in (("en", "Brussels"), ("fr", "Bruxelles")):
        [dateline, _] = result[lang].translations
        assert dateline.target == f"{place} –" and dateline.reuse is Reuse.CREDIT
        assert [d.action for d in dateline.terms] == ["present"]


def test_a_person_may_still_edit_a_credit(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Der Streik ist vorbei.\nFoto: dpa\n", encoding="utf-8")
    out = tmp_path / "out"
    write_results(translate_articles([article], targets=["en"], engine=FakeEngine()), out)
    po_path = paths(out, "en", "a").po
    catalog = polib.pofile(str(po_path))
    [entry] = [e for e in catalog if e.msgid == "Foto: dpa"]
    assert entry.msgstr == "Photo: dpa" and "fuzzy" in entry.flags
    assert "credit, block 2" in entry.comment and "label localised (credit)" in entry.comment
    entry.msgstr, entry.flags = "Photograph: dpa", []
    catalog.save(str(po_path))
    engine = FakeEngine()
    [again] = translate_articles([article], targets=["en"], engine=engine, previous=out)
    [credit] = [t for t in again["en"].translations if t.segment.kind is BlockKind.CREDIT]
    assert credit.target == "Photograph: dpa" and credit.status is Status.REVIEWED
    assert engine.decoded == []  # the sentence is the last run's output, the credit a person's


@pytest.fixture(scope="module")
def written(translated, tmp_path_factory):
    out = tmp_path_factory.mktemp("written")
    write_results([translated[0]], out)
    return out


def test_markdown_writes_items_captions_and_credits(written):
    markdown = paths(written, "en", "streik").markdown.read_text(encoding="utf-8")
    assert "- en:Mehr Geld für Drehbücher.\n- en:Schutz vor KI." in markdown
    assert "\n\nPhoto: dpa\n\n" in markdown
    assert [line for line in markdown.splitlines() if line.startswith("#")] == [
        "## en:Streik in Hollywood"]  # credits and bylines are no headings any more
    assert "\n\nBy Anna Schmidt and Max Weber\n\n" in markdown
    assert "*en:Demonstranten vor dem Studio. (Photo: Reuters/John Doe)*" in markdown


def test_xliff_units_po_comments_and_the_review_page_name_the_kind(written):
    xliff = paths(written, "fr", "streik").xliff.read_text(encoding="utf-8")
    for kind in ("byline", "credit", "caption", "teaser", "list_item"):
        assert f'name="{kind}"' in xliff, kind
    comments = {e.msgid: e.comment.splitlines()[0]
                for e in polib.pofile(str(paths(written, "fr", "streik").po))}
    assert comments["BERLIN (dpa) –"] == "dateline, block 3"
    assert comments["(Foto: Reuters/John Doe)"] == "credit, block 9"
    assert comments["Lesen Sie auch:"] == "label, block 10"
    page = review_path(written, "streik").read_text(encoding="utf-8")
    for kind in ("byline", "dateline", "credit", "caption", "label", "teaser", "tweet"):
        assert f'<span class="kind">{kind}</span>' in page, kind
    assert '<span class="kind">paragraph</span>' not in page
