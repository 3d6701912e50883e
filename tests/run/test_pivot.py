"""Pivot from the reviewed English: once a person signed off a sentence's English, every target
reached through English is derived again from it; a person's text there only gets it as a
suggestion. Stories of runs and edits, with the fake engine (its output shows what it was
given) and once through real Argos packages."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polib
import pytest

from pipeline import translate_articles, write_results
from pipeline.formats.jsonl import read_jsonl
from pipeline.formats.notes import PIVOT_NOTE, parse_pivot
from pipeline.ingest.article import read_article
from pipeline.ingest.segment import segment_document
from pipeline.model.annotations import MemoryOrigin
from pipeline.model.document import Document
from pipeline.model.status import Status
from pipeline.mt.argos import ArgosEngine, DecodeOptions
from pipeline.mt.engine import Request, pivot_signature
from pipeline.mt.protect import Masked, localize_number, unmask
from pipeline.run.runner import RunOptions, run
from pipeline.run.views import rerender
from pipeline.store.db import NAME, ReviewStore
from pipeline.store.layout import paths
from pipeline.store.previous import Previous
from pipeline.store.review import ReviewState
from pipeline.testing.fake_engine import FakeEngine

from ..conftest import MAX_LENGTH, ROOT, SAMPLE
from ..helpers import edit_po

A, B, C = "Der Streik ist vorbei.", "Die Regisseure wollen mehr Geld.", "Die Studios geben nach."
ARTICLE = f"{A}\n\n{B}\n\n{C}\n"
A_EN, C_EN = "The strike is over.", "The studios give in."
DRAFT = "La grève est finie (brouillon)."


def _article(tmp_path: Path, text: str = ARTICLE, name: str = "a.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _run(out: Path, article: Path, targets: str, engine: FakeEngine | None = None,
         **options: object) -> FakeEngine:
    engine = engine if engine is not None else FakeEngine(pivot="en")
    run([article], RunOptions(targets=tuple(targets.split(",")), out_dir=out, quiet=True,
                              **options), engine)
    return engine


def _entries(out: Path, lang: str, slug: str = "a") -> dict[str, polib.POEntry]:
    return {e.msgid: e for e in polib.pofile(str(paths(out, lang, slug).po)) if not e.obsolete}


def _outputs(out: Path) -> dict[str, bytes]:
    """Every file a person reads (the stores are SQLite files, with their side files: their
    bytes change anyway)."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and ".sqlite" not in p.name and p.name != ".pipeline.lock"}


def _from_english(english: str, lang: str) -> str:
    """What the engine gives for the English on its own, English → ``lang``."""
    [result] = FakeEngine().translate([Request("en", lang, (english,))])
    return result.best[0]


def _asked(engine: FakeEngine) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(r.source, r.target, r.texts) for r in engine.requests]


def _store_segments(out: Path, lang: str, slug: str = "a") -> dict:
    with ReviewStore.open(out / NAME) as store:
        return store.segments(store.article_id(slug), lang)


def test_reviewed_english_is_translated_again_into_every_pivot_target(tmp_path):
    article, out = _article(tmp_path), tmp_path / "out"
    _run(out, article, "en,fr,es")
    edit_po(paths(out, "fr", "a").po, A, DRAFT, fuzzy=True)
    _run(out, article, "fr,es")  # the draft is read into the store
    before = {lang: _entries(out, lang) for lang in ("fr", "es")}
    assert before["es"][A].msgstr == "es:" + A  # from the German, as before any review

    edit_po(paths(out, "en", "a").po, A, A_EN)
    edit_po(paths(out, "en", "a").po, C, C_EN)
    engine = _run(out, article, "fr,es")  # en is not a target of this run

    assert _asked(engine) == [("en", "fr", (A_EN, C_EN)), ("en", "es", (A_EN, C_EN))]
    after = {lang: _entries(out, lang) for lang in ("fr", "es")}
    for lang in ("fr", "es"):
        assert str(after[lang][B]) == str(before[lang][B])  # nothing reviewed: untouched
        derived = after[lang][C]
        assert derived.msgstr == _from_english(C_EN, lang) != before[lang][C].msgstr
        assert "fuzzy" in derived.flags
        assert f"{PIVOT_NOTE}: {C_EN}" in derived.comment.splitlines()
    assert after["es"][A].msgstr == _from_english(A_EN, "es")
    draft = after["fr"][A]  # a person's words stay; the English's translation is offered
    assert draft.msgstr == DRAFT and "fuzzy" in draft.flags
    assert f"{PIVOT_NOTE} now: {_from_english(A_EN, 'fr')}" in draft.comment.splitlines()

    stored = _store_segments(out, "fr")
    by_text = {kept.source: kept for kept in stored.values()}
    assert (by_text[A].target, by_text[A].status) == (DRAFT, Status.DRAFT)
    assert by_text[C].engine == pivot_signature("fake:1", C_EN)
    with ReviewStore.open(out / NAME) as store:  # the store can render it again alone
        _, _, views = store.view(store.article_id("a"))
    shown = {t.segment.text: t for t in views["fr"]}
    assert shown[C].pivot == C_EN
    assert [(s.target, s.origin) for s in shown[A].suggestions] == [
        (_from_english(A_EN, "fr"), MemoryOrigin.PIVOT)]
    records = {r.source: r for r in read_jsonl(paths(out, "es", "a").jsonl)}
    assert parse_pivot(records[C].notes) == C_EN and parse_pivot(records[B].notes) is None
    assert records[C].engine == pivot_signature("fake:1", C_EN) != records[B].engine

    snapshot, revisions = _outputs(out), _store_segments(out, "fr")
    again = _run(out, article, "fr,es")  # nothing changed: nothing changes
    assert _outputs(out) == snapshot and _store_segments(out, "fr") == revisions
    assert _asked(again) == []  # complete for this run: not even the offer is asked again

    edit_po(paths(out, "en", "a").po, C, "The studios finally give in.")
    rereviewed = _run(out, article, "fr,es")
    assert ("en", "es", ("The studios finally give in.",)) in _asked(rereviewed)
    for lang in ("fr", "es"):
        assert _entries(out, lang)[C].msgstr == _from_english("The studios finally give in.",
                                                              lang)
        assert str(_entries(out, lang)[B]) == str(before[lang][B])


def test_rendering_from_the_store_alone_keeps_what_the_english_gave(tmp_path):
    article, out = _article(tmp_path), tmp_path / "out"
    _run(out, article, "en,fr")
    edit_po(paths(out, "en", "a").po, C, C_EN)
    _run(out, article, "fr")
    snapshot = _outputs(out)
    rerender(out, "a", langs=["fr"])
    assert _outputs(out) == snapshot
    assert f"{PIVOT_NOTE}: {C_EN}" in paths(out, "fr", "a").xliff.read_text("utf-8")


@dataclass
class CountingState:
    """The review store, counting which languages' pasts a run loads."""

    inner: ReviewState
    loads: list[str] = field(default_factory=list)

    def place(self, document: Document) -> Document:
        return self.inner.place(document)

    def load(self, document: Document, lang: str) -> Previous:
        self.loads.append(lang)
        return self.inner.load(document, lang)


def test_english_in_the_same_run_is_loaded_once_and_only_reviews_count(tmp_path):
    article, out = _article(tmp_path), tmp_path / "out"
    _run(out, article, "en,fr")
    edit_po(paths(out, "en", "a").po, A, A_EN)
    added = _article(tmp_path, ARTICLE + "\nEin neuer Satz.\n")  # English made by this run
    engine, state = FakeEngine(pivot="en"), CountingState(ReviewState(out))
    [result] = translate_articles([added], targets=["fr", "en"], engine=engine, previous=state)
    assert state.loads == ["en", "fr"]  # English first, and once
    fr = {t.segment.text: t for t in result["fr"].translations}
    assert (fr[A].target, fr[A].pivot) == (_from_english(A_EN, "fr"), A_EN)
    assert fr["Ein neuer Satz."].pivot is None  # from the German: its English is the engine's
    assert ("de", "fr", ("Ein neuer Satz.",)) in _asked(engine)
    write_results([result], out, state=state.inner)
    assert _entries(out, "en")[A].msgstr == A_EN


def test_an_english_draft_or_a_direct_route_changes_nothing(tmp_path):
    article, out = _article(tmp_path), tmp_path / "out"
    _run(out, article, "en,fr")
    before = _outputs(out)
    edit_po(paths(out, "en", "a").po, A, A_EN, fuzzy=True)  # not signed off
    assert _asked(_run(out, article, "fr")) == []
    edit_po(paths(out, "en", "a").po, A, A_EN)
    assert _asked(_run(out, article, "fr", FakeEngine())) == []  # this engine goes direct
    assert {k: v for k, v in _outputs(out).items() if k.startswith("fr/")} == \
        {k: v for k, v in before.items() if k.startswith("fr/")}


def test_a_persons_text_newer_than_the_english_review_gets_no_offer(tmp_path):
    article, out = _article(tmp_path), tmp_path / "out"
    _run(out, article, "en,fr")
    edit_po(paths(out, "en", "a").po, A, A_EN)
    _run(out, article, "fr")
    assert _entries(out, "fr")[A].msgstr == _from_english(A_EN, "fr")
    edit_po(paths(out, "fr", "a").po, A, "La grève est terminée.")  # reviewed after
    engine = _run(out, article, "fr")
    entry = _entries(out, "fr")[A]
    assert entry.msgstr == "La grève est terminée." and "fuzzy" not in entry.flags
    assert not any(line.startswith(PIVOT_NOTE) for line in entry.comment.splitlines())
    assert _asked(engine) == []


def test_markup_numbers_and_names_come_through_the_english(tmp_path):
    source = "Die **Regisseure** wollen [KI](https://x.org/a) für 204.000 Euro von OpenAI."
    english = "The **directors** want [AI](https://x.org/a) for 204,000 euros from OpenAI."
    article, out = _article(tmp_path, source + "\n", "a.md"), tmp_path / "out"
    options = {"glossary": ROOT / "glossary"}
    _run(out, article, "en,fr", **options)
    edit_po(paths(out, "en", "a").po, source, english)
    engine = _run(out, article, "fr", **options)
    [(_, _, (masked,))] = _asked(engine)
    assert masked.startswith("The ") and not any(
        kept in masked for kept in ("**", "https://x.org/a", "204", "OpenAI"))
    entry = _entries(out, "fr")[source]
    number = localize_number("204,000", "fr", "en")
    assert number != "204,000"
    assert entry.msgstr == f"fr:The **directors** want [IA](https://x.org/a) for {number} " \
                           "euros from OpenAI."
    assert "glossary: OpenAI → OpenAI (dnt)" in entry.comment.splitlines()
    assert "glossary: KI → IA (replaced)" in entry.comment.splitlines()


# --- the real Argos path (seeded random weights: the words are gibberish) ---------------------

def _argos(models_dir: Path) -> ArgosEngine:
    return ArgosEngine(models_dir, DecodeOptions(max_decoding_length=MAX_LENGTH), quiet=True)


def test_through_real_argos_packages(models_dir, tmp_path):
    out = tmp_path / "out"
    segments = segment_document(read_article(SAMPLE))
    first = segments[0].text
    run([SAMPLE], RunOptions(targets=("en", "fr", "es"), out_dir=out, quiet=True),
        _argos(models_dir))
    before = {lang: _entries(out, lang, "sora-hollywood") for lang in ("fr", "es")}
    english = "The strike is over, and the studios give in."
    edit_po(paths(out, "en", "sora-hollywood").po, first, english)

    engine = _argos(models_dir)
    run([SAMPLE], RunOptions(targets=("fr", "es"), out_dir=out, quiet=True), engine)
    assert engine.decoded_pairs == ["en-fr", "en-es"]  # no German → English at all
    alone = _argos(models_dir)
    for lang in ("fr", "es"):
        entries = _entries(out, lang, "sora-hollywood")
        assert list(entries) == [s.text for s in segments]  # aligned, in order
        [result] = alone.translate([Request("en", lang, (english,))])
        expected, _ = unmask(Masked(english, ()), result.best[0], lang, "en")
        assert entries[first].msgstr == expected != before[lang][first].msgstr
        assert f"{PIVOT_NOTE}: {english}" in entries[first].comment.splitlines()
        assert all(str(entries[s.text]) == str(before[lang][s.text]) for s in segments[1:])
    snapshot = _outputs(out)
    again = _argos(models_dir)
    run([SAMPLE], RunOptions(targets=("fr", "es"), out_dir=out, quiet=True), again)
    assert again.decoded_pairs == [] and _outputs(out) == snapshot


@pytest.mark.parametrize("pivoting", [True, False])
def test_one_engine_call_for_the_batch(tmp_path, pivoting):
    article, out = _article(tmp_path), tmp_path / "out"
    _run(out, article, "en,fr,es")
    edit_po(paths(out, "en", "a").po, A, A_EN)
    _article(tmp_path, ARTICLE + "\nEin neuer Satz.\n")

    @dataclass
    class Calls(FakeEngine):
        calls: int = 0

        def translate(self, requests):
            self.calls += 1
            return super().translate(requests)

    engine = Calls(pivot="en" if pivoting else None)
    _run(out, article, "fr,es", engine)
    assert engine.calls == 1
    sources = sorted({r.source for r in engine.requests})
    assert sources == (["de", "en"] if pivoting else ["de"])
