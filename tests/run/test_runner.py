"""The run job: real Argos models end to end, pseudo engine, reviewed entries kept."""

from __future__ import annotations

import json
import re

import polib
import pytest

from pipeline.ingest.article import read_article
from pipeline.ingest.segment import segment_document
from pipeline.model.errors import LanguageError, ModelError
from pipeline.mt.argos import ArgosEngine, DecodeOptions
from pipeline.mt.engine import load_engine
from pipeline.run.runner import RunOptions, run
from pipeline.store.layout import paths

from ..conftest import MAX_LENGTH, SAMPLE
from ..helpers import msgfmt_check


def _argos(models_dir):
    return ArgosEngine(models_dir, DecodeOptions(max_decoding_length=MAX_LENGTH), quiet=True)


def _po_entries(path):
    return [e for e in polib.pofile(str(path)) if not e.obsolete]


@pytest.fixture(scope="module")
def argos_run(models_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("locales")
    engine = _argos(models_dir)
    results = run([SAMPLE], RunOptions(targets=("en", "fr"), out_dir=out, quiet=True), engine)
    return out, results, engine


def test_every_segment_has_one_target_everywhere(argos_run):
    out, results, _ = argos_run
    segments = segment_document(read_article(SAMPLE))
    for lang in ("en", "fr"):
        where = paths(out, lang, "sora-hollywood")
        po_path, md_path, jsonl_path = where.po, where.markdown, where.jsonl
        entries = _po_entries(po_path)
        assert [e.msgctxt for e in entries] == [s.id for s in segments]
        assert [e.msgid for e in entries] == [s.text for s in segments]
        assert all(e.msgstr and "fuzzy" in e.flags for e in entries)
        records = [json.loads(line) for line in jsonl_path.read_text("utf-8").splitlines()]
        assert [(r["id"], r["target"]) for r in records] == [(e.msgctxt, e.msgstr) for e in entries]
        # the Markdown holds each target as text: Markdown's escapes undone, one line
        markdown = re.sub(r"\\(.)", r"\1", md_path.read_text("utf-8"))
        for entry in entries:
            assert markdown.count(" ".join(entry.msgstr.split())) >= 1
    for lang in ("en", "fr"):  # last: without msgfmt the test skips here
        assert msgfmt_check(paths(out, lang, "sora-hollywood").po).returncode == 0


def test_tweets_are_quoted_with_handles_and_links(argos_run):
    out, _, _ = argos_run
    for lang in ("en", "fr"):
        markdown = paths(out, lang, "sora-hollywood").markdown.read_text("utf-8")
        quotes = [c for c in markdown.split("\n\n") if c.startswith(">")]
        assert len(quotes) == 2
        for quote, handle, links in [
            (quotes[0], "@Rahll", ["https://t.co/qbewb5gxoO", "pic.twitter.com/KSgQJdeujp"]),
            (quotes[1], "@HeatherAshleyB_", ["https://t.co/L1HywmuvjI"]),
        ]:
            assert all(line.startswith(">") for line in quote.splitlines())
            assert f"({handle})" in quote.splitlines()[-1]
            for link in links:
                assert quote.count(link) == 1
    assert "March 22, 2024" in paths(out, "en", "sora-hollywood").markdown.read_text("utf-8")
    assert "22 mars 2024" in paths(out, "fr", "sora-hollywood").markdown.read_text("utf-8")


def test_pivot_decodes_german_once(argos_run):
    _, _, engine = argos_run
    assert engine.decoded_pairs == ["de-en", "en-fr"]


def test_untouchables_come_back_exactly_once(argos_run):
    out, _, _ = argos_run
    entries = _po_entries(paths(out, "en", "sora-hollywood").po)
    by_text = {e.msgid: e.msgstr for e in entries}
    numbers = [t for t in by_text if "204.000" in t][0]
    assert by_text[numbers].count("204,000") == 1
    assert all(by_text[t].count("https://t.co/L1HywmuvjI") == 1 for t in by_text if "L1Hy" in t)


def test_rerun_is_deterministic_and_keeps_review(models_dir, tmp_path):
    options = RunOptions(targets=("en",), out_dir=tmp_path, quiet=True)
    run([SAMPLE], options, _argos(models_dir))
    po_path = paths(tmp_path, "en", "sora-hollywood").po
    first = po_path.read_bytes()
    run([SAMPLE], options, _argos(models_dir))
    assert po_path.read_bytes() == first
    catalog = polib.pofile(str(po_path))
    entry = catalog[3]
    entry.msgstr, entry.flags = "A sentence a person wrote.", []
    catalog.save(str(po_path))
    engine = _argos(models_dir)
    results = run([SAMPLE], options, engine)
    kept = [e for e in _po_entries(po_path) if e.msgctxt == entry.msgctxt][0]
    assert (kept.msgstr, kept.flags) == ("A sentence a person wrote.", [])
    assert results[0].counts == {"mt": len(catalog) - 1, "human": 1}
    jsonl = paths(tmp_path, "en", "sora-hollywood").jsonl.read_text("utf-8")
    assert '"target": "A sentence a person wrote.", "origin": "human"' in jsonl


def test_pseudo_engine_runs_without_models(tmp_path):
    results = run([SAMPLE], RunOptions(targets=("en", "fr", "es"), out_dir=tmp_path),
                  load_engine("pseudo", quiet=True))
    assert [r.lang for r in results] == ["en", "fr", "es"]
    for result in results:
        assert msgfmt_check(result.paths.po).returncode == 0


def test_tweets_keep(tmp_path):
    run([SAMPLE], RunOptions(targets=("en",), out_dir=tmp_path, tweets="keep"),
        load_engine("pseudo", quiet=True))
    entries = _po_entries(paths(tmp_path, "en", "sora-hollywood").po)
    tweets = [e for e in entries if "tweet by" in e.comment]
    assert len(tweets) == 7 and all(e.msgstr == e.msgid for e in tweets)
    assert all("⟦" in e.msgstr for e in entries if "tweet by" not in e.comment)


def test_tweet_already_in_target_language_stays(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Ein Absatz über Sora.\nThis is not a drill, and it is the end of the "
                       "world as we know it. https://t.co/abc\n- A B (@ab) 1. April 2024\n",
                       encoding="utf-8")
    run([article], RunOptions(targets=("en", "fr"), out_dir=tmp_path / "out"),
        load_engine("pseudo", quiet=True))
    en = _po_entries(paths(tmp_path / "out", "en", "a").po)
    fr = _po_entries(paths(tmp_path / "out", "fr", "a").po)
    assert en[-1].msgstr == en[-1].msgid and "already in en" in en[-1].comment
    assert fr[-1].msgstr != fr[-1].msgid


def test_missing_model_fails_before_writing(models_dir, tmp_path):
    with pytest.raises(ModelError, match="models install de-it"):
        run([SAMPLE], RunOptions(targets=("it",), out_dir=tmp_path), _argos(models_dir))
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize(("targets", "message"), [
    ((), "no target language"), (("xx",), "unknown language code 'xx'"),
    (("de",), "is the source language"),
])
def test_bad_languages(tmp_path, targets, message):
    with pytest.raises(LanguageError, match=message):
        run([SAMPLE], RunOptions(targets=targets, out_dir=tmp_path), load_engine("pseudo"))


def test_two_articles_one_batch(models_dir, tmp_path):
    second = tmp_path / "zweiter.md"
    second.write_text("# Zweiter Artikel\n\nDie Regisseure wollen KI.\n", encoding="utf-8")
    engine = _argos(models_dir)
    results = run([SAMPLE, second], RunOptions(targets=("en", "es"), out_dir=tmp_path / "o"),
                  engine)
    assert sorted((r.article, r.lang) for r in results) == [
        ("sora-hollywood", "en"), ("sora-hollywood", "es"), ("zweiter", "en"), ("zweiter", "es")]
    assert engine.decoded_pairs == ["de-en", "en-es"]
