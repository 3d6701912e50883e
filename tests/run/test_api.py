"""The public API and the run's contracts: typed results, nothing written while computing,
one source language, exactly the engine work needed, named errors for bad options."""

from __future__ import annotations

import json
import os
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

import pipeline
from pipeline import translate_articles, write_results
from pipeline.cli import cli
from pipeline.ingest.article import parse_article
from pipeline.ingest.segment import segment_document
from pipeline.memory.store import TmUnit, TranslationMemory
from pipeline.model.annotations import Finding, Reuse
from pipeline.model.errors import LanguageError, OptionError
from pipeline.model.status import Status
from pipeline.testing.fake_engine import FakeEngine

TWO = "Die Regisseure wollen KI.\n\nDer Streik dauert an.\n"


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def _article(tmp_path: Path, text: str = TWO, name: str = "a.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_translate_articles_yields_typed_results_and_writes_nothing(tmp_path):
    article = _article(tmp_path)
    out = tmp_path / "locales"
    before = _files(tmp_path)
    results = list(translate_articles([article], targets="en,fr".split(","), engine="pseudo",
                                      previous=out, memory=out / "memory.sqlite"))
    assert _files(tmp_path) == before  # not even the memory or the output folder
    [result] = results
    assert isinstance(result, pipeline.ArticleResult)
    assert [lang.lang for lang in result.languages] == ["en", "fr"]
    for translation in result["en"].translations:
        assert isinstance(translation, pipeline.Translation)
        assert translation.status is Status.MACHINE and translation.made_now
        assert all(isinstance(f, Finding) for f in translation.findings)
    written = write_results(results, out)
    assert {o.lang for o in written} == {"en", "fr"}
    assert (out / "en" / "LC_MESSAGES" / "a.po").is_file() and (out / "memory.sqlite").is_file()


def test_results_stream_one_article_at_a_time(tmp_path):
    articles = [_article(tmp_path, TWO, f"a{n}.txt") for n in range(3)]
    engine = FakeEngine()
    stream = translate_articles(articles, targets=["en"], engine=engine, batch_size=1)
    first = next(stream)
    assert first.slug == "a0" and len(engine.requests) == 1  # later articles not read yet
    assert [r.slug for r in stream] == ["a1", "a2"]


@pytest.mark.parametrize(("options", "error", "message"), [
    ({"tweets": "kep"}, OptionError, "tweets must be one of translate, keep"),
    ({"term_strategy": "all"}, OptionError, "term_strategy"),
    ({"fuzzy_threshold": 101}, OptionError, "fuzzy_threshold"),
    ({"batch_size": 0}, OptionError, "batch_size"),
    ({"max_bytes": 0}, OptionError, "max_bytes"),
    ({"targets": []}, LanguageError, "no target language"),
    ({"targets": ["de"]}, LanguageError, "is the source language"),
    ({"targets": ["xx"]}, LanguageError, "unknown language code 'xx'"),
    ({"source": "english"}, LanguageError, "unknown language code 'english'"),
])
def test_bad_options_raise_named_errors_before_anything_is_read(tmp_path, options, error,
                                                                message):
    kwargs = {"targets": ["en"], "engine": "pseudo", **options}
    with pytest.raises(error, match=message):
        translate_articles([tmp_path / "missing.txt"], **kwargs)


def test_the_source_language_option_labels_every_output(tmp_path):
    article = _article(tmp_path, "The studio hired 204,000 people.\n", "en.txt")
    out = tmp_path / "o"
    memory = out / "memory.sqlite"
    with TranslationMemory.open(memory) as tm:
        tm.add([TmUnit("en", "fr", "The studio hired 204,000 people.",
                       "Le studio a embauché 204 000 personnes.", "human")])
    result = CliRunner().invoke(cli, ["run", str(article), "--from", "en", "--to", "fr",
                                      "--out", str(out), "--engine", "pseudo", "--no-glossary",
                                      "--quiet"])
    assert result.exit_code == 0, result.output
    catalog = polib.pofile(str(out / "fr" / "LC_MESSAGES" / "en.po"))
    assert catalog.metadata["X-Source-Language"] == "en"
    assert 'srcLang="en"' in (out / "fr" / "en.xlf").read_text(encoding="utf-8")
    [record] = [json.loads(line) for line in (out / "fr" / "en.jsonl").open(encoding="utf-8")]
    assert record["source_lang"] == "en"
    assert record["origin"] == "tm"  # the memory was asked en→fr, not de→fr


def test_english_numbers_are_read_as_english(tmp_path):
    article = _article(tmp_path, "The studio hired 204,000 people.\n", "en.txt")
    [result] = translate_articles([article], targets=["fr"], source="en", engine="pseudo")
    [translation] = result["fr"].translations
    assert "204\u202f000" in translation.target  # 204,000 is two hundred and four thousand
    assert [f.check for f in translation.findings if f.check == "numbers"] == []


def _review(po_path: Path, segment_index: int) -> None:
    catalog = polib.pofile(str(po_path), wrapwidth=0)
    entry = [e for e in catalog if not e.obsolete][segment_index]
    entry.msgstr = f"Reviewed {segment_index}."
    entry.flags = []
    catalog.save(str(po_path))


def _first_run_then_review(article: Path, out: Path) -> None:
    """A run of ``article`` into ``out``, then a person signs off its first sentence."""
    write_results(translate_articles([article], targets=["en"], engine=FakeEngine(),
                                     previous=out), out)
    _review(out / "en" / "LC_MESSAGES" / f"{article.stem}.po", 0)


def test_partial_review_asks_the_engine_for_exactly_the_needed_pairs(tmp_path):
    article = _article(tmp_path)
    out = tmp_path / "o"
    options = {"targets": ["en", "fr"], "previous": out}
    write_results(translate_articles([article], engine=FakeEngine(), **options), out)
    _review(out / "en" / "LC_MESSAGES" / "a.po", 0)  # sentence 1 reviewed in English
    _review(out / "fr" / "LC_MESSAGES" / "a.po", 1)  # sentence 2 reviewed in French
    engine = FakeEngine()
    write_results(translate_articles([article], engine=engine, retranslate=True, **options), out)
    [first, second] = segment_document(parse_article(TWO, path=article))
    assert sorted(engine.decoded) == sorted([("de", "en", second.text), ("de", "fr", first.text)])


def test_a_reviewed_pivot_is_possible_per_request(tmp_path):
    """The protocol carries a given English text per segment (used when pivoting later)."""
    from pipeline.mt.engine import Request

    engine = FakeEngine()
    [result] = engine.translate([Request("de", "fr", ("Satz.",), pivot=("Sentence.",))])
    assert result.best == ["fr:Sentence."]


def test_a_damaged_jsonl_record_costs_nothing(tmp_path):
    article = _article(tmp_path)
    out = tmp_path / "o"
    first = list(translate_articles([article], targets=["en"], engine=FakeEngine(),
                                    previous=out))
    write_results(first, out)
    (out / "en" / "a.jsonl").write_bytes(b"\xff\xfe not utf-8 \x80\n{\"id\": 1}\n")
    [again] = translate_articles([article], targets=["en"], engine=FakeEngine(), previous=out)
    # the review store knows what was written: the JSONL file is an output only
    assert [(t.target, t.status) for t in again["en"].translations] == \
        [(t.target, Status.MACHINE) for t in first[0]["en"].translations]


def test_the_memory_is_read_from_a_copy(tmp_path):
    """People's work found in this run serves other articles at once, but the memory file
    changes only when results are written."""
    a, b = _article(tmp_path, TWO, "a.txt"), _article(tmp_path, TWO, "b.txt")
    out = tmp_path / "o"
    _first_run_then_review(a, out)
    memory = out / "memory.sqlite"
    stamp = memory.stat().st_mtime_ns, memory.read_bytes()
    [_, result_b] = translate_articles([a, b], targets=["en"], engine=FakeEngine(),
                                       previous=out, memory=memory)
    assert (memory.stat().st_mtime_ns, memory.read_bytes()) == stamp
    reused = result_b["en"].translations[0]
    assert (reused.status, reused.reuse, reused.target) == \
        (Status.FROM_MEMORY, Reuse.MEMORY, "Reviewed 0.")


def test_the_run_summary_names_every_review_page(tmp_path):
    articles = [_article(tmp_path, TWO, f"{name}.txt") for name in ("one", "two")]
    result = CliRunner().invoke(cli, ["run", *map(str, articles), "--to", "en", "--out",
                                      str(tmp_path / "o"), "--engine", "pseudo",
                                      "--no-glossary"])
    assert result.exit_code == 0, result.output
    pages = [line for line in result.output.splitlines() if line.startswith("review: ")]
    assert pages == [f"review: {tmp_path / 'o' / 'review' / name}.html"
                     for name in ("one", "two")]


def test_the_same_sentence_shares_its_id_and_memory_in_every_format(tmp_path):
    sentence = "Der Regisseur sagt, dass generative KI die Filmbranche verändert."
    marked = "Der Regisseur sagt, dass **generative KI** die [Filmbranche](https://x.de) verändert."
    html = f"<html><body><p>{sentence}</p></body></html>"
    ids = set()
    for name, text, fmt in (("a.txt", sentence, "text"), ("b.md", marked, "markdown"),
                            ("c.html", html, "html")):
        [segment] = segment_document(parse_article(text, path=Path(name), fmt=fmt))
        ids.add(segment.id)
        assert segment.plain == sentence
    assert len(ids) == 1
    [segment] = segment_document(parse_article(marked, path=Path("b.md"), fmt="markdown"))
    assert [(c.id, c.kind.value, c.data) for c in segment.codes] == [
        (1, "open", "**"), (1, "close", "**"), (2, "open", "["),
        (2, "close", "](https://x.de)")]
    assert all(segment.text[c.start:c.end] == c.data for c in segment.codes)


def test_check_piped_into_head_ends_quietly(tmp_path):
    """``check big.jsonl | head -1``: the reader closes the pipe; no 'internal error'."""
    import subprocess
    import sys

    records = tmp_path / "big.jsonl"
    with records.open("w", encoding="utf-8") as handle:
        for n in range(5000):
            handle.write(json.dumps({"id": f"s{n}", "source": "Ein ganz normaler Satz hier.",
                                     "target": "", "target_lang": "en"}) + "\n")
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "check", str(records)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) == 1
    assert "internal error" not in stderr and "Traceback" not in stderr, stderr


def test_a_memory_hit_with_other_markup_is_not_reused(tmp_path):
    """Same words, another link: the memory's target carries the other link; it must not be
    published as this sentence's translation."""
    a = _article(tmp_path, "Der Bericht steht [hier](http://a.example/r).\n", "a.md")
    b = _article(tmp_path, "Der Bericht steht [hier](http://b.example/o).\n", "b.md")
    out = tmp_path / "o"
    _first_run_then_review(a, out)
    memory = out / "memory.sqlite"
    [_, result_b] = translate_articles([a, b], targets=["en"], engine=FakeEngine(),
                                       previous=out, memory=memory)
    [translation] = result_b["en"].translations
    assert translation.status is Status.MACHINE and "b.example" in translation.target
    assert [s.target for s in translation.suggestions] == ["Reviewed 0."]


def test_a_review_filed_under_an_old_id_is_kept(tmp_path):
    """Ids of sentences with inline markup changed once (codes left the id): a reviewed
    entry under the old id is found again by its sentence."""
    text = "Die **neue** Regel gilt.\n"
    article = _article(tmp_path, text, "a.md")
    out = tmp_path / "o"
    write_results(translate_articles([article], targets=["en"], engine=FakeEngine(),
                                     previous=out), out)
    po = out / "en" / "LC_MESSAGES" / "a.po"
    catalog = polib.pofile(str(po), wrapwidth=0)
    [entry] = [e for e in catalog if not e.obsolete]
    entry.msgctxt, entry.msgstr, entry.flags = "s0123456789", "The **new** rule applies.", []
    catalog.save(str(po))
    [result] = translate_articles([article], targets=["en"], engine=FakeEngine(),
                                  previous=out)
    [translation] = result["en"].translations
    assert (translation.status, translation.target) == (Status.REVIEWED,
                                                        "The **new** rule applies.")


def test_results_computed_blind_never_replace_a_persons_work(tmp_path):
    """Results made without reading the folder: the writer still reads the edits first and
    keeps them; the machine's text becomes a suggestion."""
    article = _article(tmp_path)
    out = tmp_path / "o"
    write_results(translate_articles([article], targets=["en"], engine=FakeEngine(),
                                     previous=out), out)
    _review(out / "en" / "LC_MESSAGES" / "a.po", 0)
    blind = translate_articles([article], targets=["en"], engine=FakeEngine())  # no previous
    [written] = write_results(blind, out)
    assert written.kept_for_person == 1
    entry = polib.pofile(str(out / "en" / "LC_MESSAGES" / "a.po"))[0]
    assert (entry.msgstr, entry.fuzzy) == ("Reviewed 0.", False)
    assert any(line.startswith("machine translation now: en:") for line in
               entry.comment.splitlines())


def test_a_final_sign_off_on_a_memory_copy_is_kept(tmp_path):
    a, b = _article(tmp_path, TWO, "a.txt"), _article(tmp_path, TWO, "b.txt")
    out = tmp_path / "o"
    _first_run_then_review(a, out)
    memory = out / "memory.sqlite"
    write_results(translate_articles([a, b], targets=["en"], engine=FakeEngine(),
                                     previous=out, memory=memory), out, memory=memory)
    xliff = out / "en" / "b.xlf"
    text = xliff.read_text(encoding="utf-8")
    assert 'state="translated" subState="pipeline:tm"' in text
    xliff.write_text(text.replace('state="translated" subState="pipeline:tm"',
                                  'state="final" subState="pipeline:tm"', 1), encoding="utf-8")
    [_, result_b] = translate_articles([a, b], targets=["en"], engine=FakeEngine(),
                                       previous=out, memory=memory)
    first = result_b["en"].translations[0]
    assert (first.status, first.target) == (Status.FINAL, "Reviewed 0.")


def test_the_run_reads_back_outputs_as_large_as_its_articles_allow():
    from pipeline.store.review import ReviewState

    assert ReviewState.for_articles(Path("o"), 2 * 1024 * 1024).limit == 64 * 1024 * 1024
    assert ReviewState.for_articles(Path("o"), 30 * 1024 * 1024).limit == 960 * 1024 * 1024


def test_twins_that_differ_only_in_markup_keep_their_reviews_when_they_swap(tmp_path):
    article = _article(tmp_path, "Das ist **fett** hier.\n\nDas ist fett hier.\n", "a.md")
    out = tmp_path / "o"
    write_results(translate_articles([article], targets=["en"], engine=FakeEngine(),
                                     previous=out), out)
    po = out / "en" / "LC_MESSAGES" / "a.po"
    catalog = polib.pofile(str(po), wrapwidth=0)
    for entry in (e for e in catalog if not e.obsolete):
        entry.msgstr = "This is **bold** here." if "**" in entry.msgid else "This is plain here."
        entry.flags = []
    catalog.save(str(po))
    article.write_text("Das ist fett hier.\n\nDas ist **fett** hier.\n", encoding="utf-8")
    [result] = translate_articles([article], targets=["en"], engine=FakeEngine(), previous=out)
    assert [(t.segment.text, t.target, t.status) for t in result["en"].translations] == [
        ("Das ist fett hier.", "This is plain here.", Status.REVIEWED),
        ("Das ist **fett** hier.", "This is **bold** here.", Status.REVIEWED)]
    write_results([result], out)
    text = po.read_text(encoding="utf-8")
    assert text.count("This is **bold** here.") == 1 and text.count("This is plain here.") == 1


def test_link_targets_and_markup_never_reach_the_engine(tmp_path):
    article = _article(tmp_path, "Ein [Link](seite.html) und **fett** [Kontakt](/kontakt).\n",
                       "a.md")
    engine = FakeEngine()
    [result] = translate_articles([article], targets=["en"], engine=engine)
    [(_, _, sent)] = engine.decoded
    assert "seite.html" not in sent and "/kontakt" not in sent and "**" not in sent
    [translation] = result["en"].translations
    assert "](seite.html)" in translation.target and "](/kontakt)" in translation.target
