"""XLIFF 1.2 beside 2.1 (``run --xliff 2.1|1.2|both``): the 1.2 file is a view like the
others, so a person's edit in it is harvested by the next run, reaches the store, the PO and
the 2.1 file; the folder remembers its choice, and a 1.2 file once there never goes stale."""

from __future__ import annotations

import json
import shutil

import pytest
from lxml import etree

from pipeline.formats.bilingual import read_bilingual
from pipeline.formats.xliff12 import XLIFF12_NS, read_xliff12_file
from pipeline.memory.importers import read_units
from pipeline.model.errors import OptionError
from pipeline.run.options import RunOptions
from pipeline.run.views import rerender
from pipeline.store.db import NAME, ReviewStore

from ..formats.test_xliff12 import assert_valid
from .child import run_cli
from .outputs import (
    SENTENCES,
    edit_po,
    edit_xliff,
    entry_of,
    ok,
    po_file,
    run_args,
    store_statuses,
    xliff_target,
)

NS = {"x": XLIFF12_NS}


def _xlf12(out, slug="a"):
    return out / "en" / f"{slug}.xliff12.xlf"


def _unit(tree, source=SENTENCES[1]):
    for unit in tree.iterfind(".//x:trans-unit", NS):
        if unit.findtext("x:source", namespaces=NS) == source:
            return unit
    raise AssertionError(source)


def _edit12(out, text=None, *, state=None, approved=None, source=SENTENCES[1]):
    """What a CAT tool does: a new target text, a state, the approval."""
    path = _xlf12(out)
    tree = etree.parse(str(path))
    unit = _unit(tree, source)
    target = unit.find("x:target", NS)
    if text is not None:
        target.text = text
    if state is not None:
        target.set("state", state)
    if approved is not None:
        unit.set("approved", approved)
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")


def _shown12(out, source=SENTENCES[1]):
    unit = _unit(etree.parse(str(_xlf12(out))), source)
    target = unit.find("x:target", NS)
    return target.text, target.get("state"), unit.get("approved")


def _history(out, source=SENTENCES[1]):
    with ReviewStore.open(out / NAME) as review:
        return [(e.kind, e.status, e.target, e.where)
                for e in review.history(review.article_id("a"), "en") if e.source == source]


def _setup(tmp_path, *more):
    article, out = tmp_path / "a.txt", tmp_path / "out"
    article.write_text(" ".join(SENTENCES) + "\n", encoding="utf-8")
    ok(run_cli(*run_args(article, out, *more)))
    return article, out


def test_a_reviewers_edit_in_the_1_2_file_is_harvested_by_the_next_run(tmp_path):
    article, out = _setup(tmp_path, "--xliff", "1.2")
    assert _xlf12(out).is_file() and not (out / "en" / "a.xlf").exists()
    assert_valid(_xlf12(out).read_bytes())
    _edit12(out, "The studios gave in.", state="signed-off", approved="yes")
    ok(run_cli(*run_args(article, out)))  # the default: the folder's choice
    assert store_statuses(out)[SENTENCES[1]] == "reviewed"
    assert ("edit", "reviewed", "The studios gave in.", "a.xliff12.xlf") in _history(out)
    entry = entry_of(out)
    assert (entry.msgstr, "fuzzy" in entry.flags) == ("The studios gave in.", False)
    assert _shown12(out) == ("The studios gave in.", "signed-off", "yes")
    assert not (out / "en" / "a.xlf").exists()  # 1.2 was remembered: no 2.1 appeared
    assert_valid(_xlf12(out).read_bytes())
    ok(run_cli(*run_args(article, out)))  # taken once: nothing new the second time
    assert [h[0] for h in _history(out)].count("edit") == 1


@pytest.mark.parametrize("edited", ["2.1", "1.2"])
def test_both_writes_both_and_an_edit_in_either_is_taken(tmp_path, edited):
    article, out = _setup(tmp_path, "--xliff", "both")
    assert (out / "en" / "a.xlf").is_file() and _xlf12(out).is_file()
    if edited == "2.1":
        edit_xliff(out, "Edited in 2.1.", "final")
    else:
        _edit12(out, "Edited in 1.2.", state="final", approved="yes")
    ok(run_cli(*run_args(article, out)))
    text = f"Edited in {edited}."
    assert store_statuses(out)[SENTENCES[1]] == "final"
    assert entry_of(out).msgstr == text
    assert xliff_target(out) == (text, "final")
    assert _shown12(out) == (text, "final", "yes")


def test_approving_machine_text_as_is_signs_it_off(tmp_path):
    """translate-toolkit and CAT tools approve with ``approved="yes"`` alone."""
    article, out = _setup(tmp_path, "--xliff", "1.2")
    machine = _shown12(out)[0]
    _edit12(out, approved="yes")
    ok(run_cli(*run_args(article, out)))
    assert store_statuses(out)[SENTENCES[1]] == "reviewed"
    assert _shown12(out) == (machine, "signed-off", "yes")
    assert store_statuses(out)[SENTENCES[0]] == "machine"


def test_a_draft_in_the_1_2_file_stays_a_draft(tmp_path):
    article, out = _setup(tmp_path, "--xliff", "1.2")
    _edit12(out, "A first try.")  # text only: still needs-review-translation, not approved
    ok(run_cli(*run_args(article, out)))
    assert store_statuses(out)[SENTENCES[1]] == "draft"
    assert _shown12(out) == ("A first try.", "translated", None)
    assert "fuzzy" in entry_of(out).flags


def test_a_1_2_file_once_there_is_kept_current_and_harvested(tmp_path):
    article, out = _setup(tmp_path, "--xliff", "1.2")
    ok(run_cli(*run_args(article, out, "--xliff", "2.1")))  # the folder now asks for 2.1
    assert (out / "en" / "a.xlf").is_file()
    edit_po(out, "Fixed in the PO.", fuzzy=False)
    ok(run_cli(*run_args(article, out)))
    assert _shown12(out) == ("Fixed in the PO.", "signed-off", "yes")  # never stale
    _edit12(out, "Then in 1.2.", state="final", approved="yes")
    ok(run_cli(*run_args(article, out)))
    assert xliff_target(out) == ("Then in 1.2.", "final")


def test_a_save_rendered_from_the_store_keeps_the_folders_choice(tmp_path):
    article, out = _setup(tmp_path, "--xliff", "1.2")
    edit_po(out, "Fixed in the PO.", fuzzy=True)
    rerender(out, "a")  # what a workspace save or `store render` does
    assert _shown12(out) == ("Fixed in the PO.", "translated", None)
    assert not (out / "en" / "a.xlf").exists()


def test_a_lost_store_never_makes_machine_output_a_persons(tmp_path):
    """Without the store and the JSONL record, the 1.2 markers (state, mt-suggestion) say
    what we wrote; a person's sign-off still counts."""
    article, out = _setup(tmp_path, "--xliff", "1.2")
    _edit12(out, "The studios gave in.", state="signed-off", approved="yes")
    (out / NAME).unlink()
    (out / "en" / "a.jsonl").unlink()
    shutil.rmtree(out / "en" / "LC_MESSAGES")
    ok(run_cli(*run_args(article, out)))
    statuses = store_statuses(out)
    assert statuses[SENTENCES[1]] == "reviewed"
    assert {statuses[s] for s in SENTENCES if s != SENTENCES[1]} == {"machine"}
    assert entry_of(out).msgstr == "The studios gave in."


def test_json_names_the_xliff_files_written(tmp_path):
    article, out = tmp_path / "a.txt", tmp_path / "out"
    article.write_text(SENTENCES[0] + "\n", encoding="utf-8")
    result = ok(run_cli(*run_args(article, out, "--xliff", "1.2", "--json")))
    [report] = json.loads(result.stdout)
    assert report["xliff"] is None
    assert report["xliff12"] == str(_xlf12(out))


@pytest.mark.parametrize("bad", ["3", "1.2,2.1", ""])
def test_a_bad_xliff_value_is_one_line_and_exit_1(tmp_path, bad):
    article, out = tmp_path / "a.txt", tmp_path / "out"
    article.write_text(SENTENCES[0] + "\n", encoding="utf-8")
    result = run_cli(*run_args(article, out, "--xliff", bad))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"error: --xliff must be one of 2.1, 1.2, both, not {bad!r}"]
    assert not out.exists()


def test_run_options_validate_the_xliff_choice():
    assert RunOptions(targets=("en",)).xliff is None
    assert RunOptions(targets=("en",), xliff="both").xliff == "both"
    with pytest.raises(OptionError, match="xliff must be one of 2.1, 1.2, both, not '2'"):
        RunOptions(targets=("en",), xliff="2")


def test_the_python_api_takes_the_choice(tmp_path):
    from pipeline import translate_articles, write_results

    article, out = tmp_path / "a.txt", tmp_path / "out"
    article.write_text(" ".join(SENTENCES) + "\n", encoding="utf-8")
    results = translate_articles([article], targets=["en"], engine="pseudo", previous=out)
    write_results(results, out, xliff="both")
    entries = read_xliff12_file(_xlf12(out)).entries
    assert [e.source for e in entries] == SENTENCES
    assert (out / "en" / "a.xlf").is_file() and po_file(out).is_file()


def test_the_runner_takes_the_choice(tmp_path):
    from pipeline.mt.pseudo import PseudoEngine
    from pipeline.run.options import RunOptions
    from pipeline.run.runner import run

    article, out = tmp_path / "a.txt", tmp_path / "out"
    article.write_text(" ".join(SENTENCES) + "\n", encoding="utf-8")
    run([article], RunOptions(targets=("en",), out_dir=out, quiet=True, glossary=None,
                              xliff="1.2"), PseudoEngine())
    assert [e.source for e in read_xliff12_file(_xlf12(out)).entries] == SENTENCES
    assert not (out / "en" / "a.xlf").exists()


def test_import_and_check_read_a_1_2_file(tmp_path):
    """``import`` takes what is signed off or approved (as from its PO); ``check`` and
    ``eval`` read every unit, fuzzy unless signed off."""
    _, out = _setup(tmp_path, "--xliff", "1.2")
    _edit12(out, "The studios gave in.", approved="yes")
    found = read_units(_xlf12(out))
    assert [(u.source, u.target, u.target_lang) for u in found.units] == [
        (SENTENCES[1], "The studios gave in.", "en")]
    assert found.skipped == len(SENTENCES) - 1
    bilingual = read_bilingual(_xlf12(out))
    assert (bilingual.source_lang, bilingual.target_lang) == ("de", "en")
    assert [(e.source, e.fuzzy) for e in bilingual.entries] == [
        (s, s != SENTENCES[1]) for s in SENTENCES]
    result = ok(run_cli("check", _xlf12(out), "--json"))
    assert json.loads(result.stdout)["summary"]["segments"] == len(SENTENCES)
