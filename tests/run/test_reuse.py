"""Reuse across runs: whichever file a person edited, whatever changed, their work wins.

Each test is a small story of runs and edits (the pseudo engine keeps them fast and
deterministic; the engine-switch story uses the real Argos path).
"""

from __future__ import annotations

import os

import polib
import pytest
from lxml import etree

from pipeline.formats.po import check_syntax, read_catalog
from pipeline.memory.store import TranslationMemory
from pipeline.mt.argos import ArgosEngine, DecodeOptions
from pipeline.mt.pseudo import PseudoEngine
from pipeline.run.runner import RunOptions, run
from pipeline.store.layout import paths

from ..conftest import MAX_LENGTH, SAMPLE

XLIFF = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
SENTENCE = "Der Streik ist vorbei."


def _run(out, *articles, **options):
    engine = options.pop("engine", None) or PseudoEngine(quiet=True)
    return run(list(articles), RunOptions(targets=("en",), out_dir=out, quiet=True, **options),
               engine)


def _po(out, slug):
    return paths(out, "en", slug).po


def _entry(out, slug, msgid=SENTENCE):
    return [e for e in polib.pofile(str(_po(out, slug))) if e.msgid == msgid and not e.obsolete][0]


def _review_po(out, slug, text, msgid=SENTENCE, comment=None):
    catalog = polib.pofile(str(_po(out, slug)))
    entry = [e for e in catalog if e.msgid == msgid and not e.obsolete][0]
    entry.msgstr, entry.flags = text, []
    if comment:
        entry.tcomment = comment
    catalog.save(str(_po(out, slug)))


def _edit_xliff(out, slug, text, state):
    path = paths(out, "en", slug).xliff
    tree = etree.parse(str(path))
    segment = tree.find(".//x:segment", XLIFF)
    segment.set("state", state)
    segment.find("x:target", XLIFF).text = text
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(f"{SENTENCE}\n", encoding="utf-8")
    return path


def test_po_fix_wins_over_an_older_xliff_review_even_if_the_xliff_file_is_newer(article, tmp_path):
    out = tmp_path / "o"
    _run(out, article)
    _review_po(out, "a", "The strike is over.")
    _run(out, article)
    _review_po(out, "a", "The strike has ended.")
    xliff = paths(out, "en", "a").xliff
    os.utime(xliff, (xliff.stat().st_atime, _po(out, "a").stat().st_mtime + 60))
    _run(out, article)
    assert _entry(out, "a").msgstr == "The strike has ended."
    with TranslationMemory.open(out / "memory.sqlite") as memory:
        assert memory.exact(SENTENCE, "de", "en").target == "The strike has ended."


def test_xliff_fix_wins_when_only_the_xliff_changed(article, tmp_path):
    out = tmp_path / "o"
    _run(out, article)
    _review_po(out, "a", "The strike is over.")
    _run(out, article)
    _edit_xliff(out, "a", "The strike is finally over.", "reviewed")
    _run(out, article)
    assert _entry(out, "a").msgstr == "The strike is finally over."


def test_both_files_edited_differently_keeps_both(article, tmp_path):
    out = tmp_path / "o"
    _run(out, article)
    _review_po(out, "a", "PO version.")
    _edit_xliff(out, "a", "XLIFF version.", "final")
    for _ in range(3):  # the losing edit stays, however many runs later, until a person acts
        _run(out, article)
        entry = _entry(out, "a")
        # the newer file wins; the other text is shown beside it
        assert entry.msgstr == "XLIFF version."
        assert "also edited in a.po: PO version." in entry.comment.splitlines()


def test_both_files_signed_off_the_newer_file_wins_and_the_other_is_kept(article,
                                                                         tmp_path):
    out = tmp_path / "o"
    _run(out, article)
    _edit_xliff(out, "a", "XLIFF version.", "reviewed")
    _review_po(out, "a", "PO version.")
    po_file = out / "en" / "LC_MESSAGES" / "a.po"
    os.utime(po_file, ns=(po_file.stat().st_mtime_ns + 10**9,) * 2)
    _run(out, article)
    entry = _entry(out, "a")
    assert entry.msgstr == "PO version."
    assert "also edited in a.xlf: XLIFF version." in entry.comment.splitlines()


def test_xliff_edit_in_state_translated_is_kept_as_a_draft(article, tmp_path):
    out = tmp_path / "o"
    _run(out, article)
    _edit_xliff(out, "a", "The strike is over (translator).", "translated")
    _run(out, article)
    _run(out, article)
    entry = _entry(out, "a")
    assert entry.msgstr == "The strike is over (translator)." and "fuzzy" in entry.flags
    assert "a person's draft" in entry.comment


def test_latest_fix_reaches_every_article_sharing_the_sentence(tmp_path):
    articles = []
    for name in ("a", "b", "c"):
        path = tmp_path / f"{name}.txt"
        path.write_text(f"{SENTENCE}\n", encoding="utf-8")
        articles.append(path)
    out = tmp_path / "o"
    _run(out, *articles[:2])
    _review_po(out, "a", "v1")
    _run(out, *articles[:2])
    assert _entry(out, "b").msgstr == "v1"
    _review_po(out, "a", "v2")
    _run(out, *articles)
    _run(out, articles[1])
    assert [_entry(out, n).msgstr for n in "abc"] == ["v2", "v2", "v2"]
    with TranslationMemory.open(out / "memory.sqlite") as memory:
        assert memory.exact(SENTENCE, "de", "en").target == "v2"


def test_tweets_kept_then_translated_are_translated(tmp_path):
    out = tmp_path / "o"
    _run(out, SAMPLE, tweets="keep")
    [result] = _run(out, SAMPLE)
    assert result.translated_now == 7
    tweet = _entry(out, "sora-hollywood", "Warum wirbt OpenAI in Hollywood?")
    assert tweet.msgstr != tweet.msgid and "kept verbatim" not in tweet.comment


def test_switching_engine_translates_again_and_pseudo_never_enters_the_memory(
        models_dir, article, tmp_path):
    out = tmp_path / "o"
    _run(out, article)
    with TranslationMemory.open(out / "memory.sqlite") as memory:
        assert memory.stats()["total"] == 0
    argos = ArgosEngine(models_dir, DecodeOptions(max_decoding_length=MAX_LENGTH), quiet=True)
    [result] = _run(out, article, engine=argos)
    assert result.translated_now == 1 and "⟦" not in _entry(out, "a").msgstr
    [again] = _run(out, article, engine=argos)
    assert again.translated_now == 0


def test_translator_comment_follows_an_edited_sentence_and_survives_removal(tmp_path):
    out = tmp_path / "o"
    article = tmp_path / "a.txt"
    article.write_text(f"{SENTENCE}\nDie Regisseure wollen mehr.\n", encoding="utf-8")
    _run(out, article)
    for msgid, comment in ((SENTENCE, "check the tense"),
                           ("Die Regisseure wollen mehr.", "ask the desk")):
        catalog = polib.pofile(str(_po(out, "a")))
        [e for e in catalog if e.msgid == msgid][0].tcomment = comment
        catalog.save(str(_po(out, "a")))
    article.write_text("Der Streik ist endlich vorbei.\n", encoding="utf-8")
    _run(out, article)
    entries = polib.pofile(str(_po(out, "a")))
    live = [e for e in entries if not e.obsolete]
    assert live[0].tcomment == "check the tense" and live[0].previous_msgid == SENTENCE
    assert [(e.msgid, e.tcomment) for e in entries if e.obsolete] == [
        ("Die Regisseure wollen mehr.", "ask the desk")]


def test_review_in_the_wrong_language_folder_is_refused(article, tmp_path):
    out = tmp_path / "o"
    _run(out, article)
    catalog = polib.pofile(str(_po(out, "a")))
    catalog.metadata["Language"] = "fr"
    catalog.save(str(_po(out, "a")))
    with pytest.raises(Exception, match="the file is in 'fr', but it sits in the 'en' folder"):
        _run(out, article)


@pytest.mark.parametrize("line", ['#~| msgid "old"', '#| msgid "old"', '#~ msgstr "x"'])
def test_gettext_previous_and_obsolete_lines_are_valid(tmp_path, line):
    check_syntax(f'msgid ""\nmsgstr ""\n\n{line}\n', tmp_path / "x.po")


def test_po_in_another_charset_is_read(tmp_path):
    path = tmp_path / "l1.po"
    path.write_bytes('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=ISO-8859-1\\n"\n\n'
                     'msgid "Größe"\nmsgstr "size"\n'.encode("latin-1"))
    assert [e.msgid for e in read_catalog(path)] == ["Größe"]
