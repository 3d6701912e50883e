"""The past as the output files hold it: one reader per format, region variants accepted."""

from __future__ import annotations

import polib
import pytest

from pipeline import translate_articles, write_results
from pipeline.formats.bilingual import read_bilingual
from pipeline.model.errors import InputError
from pipeline.model.status import Status
from pipeline.store.files import FileState
from pipeline.testing.fake_engine import FakeEngine

TEXT = "Die Regisseure wollen KI.\n\nDer Streik dauert an.\n"


@pytest.fixture()
def first_run(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "o"
    results = list(translate_articles([article], targets=["en"], engine=FakeEngine(),
                                      previous=out))
    write_results(results, out)
    return article, out, results[0]


def _label(po_path, language):
    catalog = polib.pofile(str(po_path), wrapwidth=0)
    catalog.metadata["Language"] = language
    entry = next(e for e in catalog if not e.obsolete)
    entry.msgstr, entry.flags = "Reviewed.", []
    catalog.save(str(po_path))


@pytest.mark.parametrize("label", ["en", "en_US", "en-GB", "EN"])
def test_a_poedit_region_label_belongs_to_the_plain_language(first_run, label):
    article, out, result = first_run
    _label(out / "en" / "LC_MESSAGES" / "a.po", label)
    previous = FileState(out).load(result.document, "en")
    [edit] = previous.edits.values()
    assert (edit.target, edit.status) == ("Reviewed.", Status.REVIEWED)


@pytest.mark.parametrize("label", ["fr", "fr_CA", "de"])
def test_a_file_in_another_language_is_refused(first_run, label):
    article, out, result = first_run
    _label(out / "en" / "LC_MESSAGES" / "a.po", label)
    with pytest.raises(InputError, match="sits in the 'en' folder"):
        FileState(out).load(result.document, "en")


def test_a_new_engine_version_retranslates_what_nobody_reviewed(first_run):
    article, out, _ = first_run
    same, newer = FakeEngine(), FakeEngine(version="2")
    list(translate_articles([article], targets=["en"], engine=same, previous=out))
    list(translate_articles([article], targets=["en"], engine=newer, previous=out))
    assert same.requests == [] and len(newer.decoded) == 2


def test_check_reads_xliff_through_the_one_reader(first_run):
    """Characters XML cannot hold travel as <cp>; ``check`` sees them as the import does."""
    _, out, _ = first_run
    path = out / "en" / "a.xlf"
    xml = path.read_text(encoding="utf-8")
    start = xml.index("<target>") + len("<target>")
    path.write_text(xml[:start] + 'A<cp hex="0007"/>B' + xml[xml.index("</target>"):],
                    encoding="utf-8")
    first = read_bilingual(path).entries[0]
    assert first.target == "A\x07B"


def test_the_previous_catalog_is_not_changed_by_writing(first_run):
    from pipeline.formats import po

    article, out, result = first_run
    _label(out / "en" / "LC_MESSAGES" / "a.po", "en")  # sentence 1 reviewed…
    previous = FileState(out).load(result.document, "en")
    before = str(previous.catalog)
    # …and gone from the article: it is carried over as an obsolete entry
    built = po.build_catalog(result.document, result["en"].translations[1:], "en",
                             previous.catalog)
    assert [e.msgstr for e in built if e.obsolete] == ["Reviewed."]
    assert str(previous.catalog) == before
