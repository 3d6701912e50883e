"""The review store's own rules: stable names, an append-only history, alternatives kept
until a person's edit settles them, bounded render memory, and refusal of foreign files."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.model.errors import OutputError
from pipeline.model.status import Status
from pipeline.store.db import (
    NAME,
    RENDERS_KEPT,
    Change,
    Kind,
    Rendered,
    ReviewStore,
)


@pytest.fixture
def store(tmp_path):
    with ReviewStore.open(tmp_path / NAME) as opened:
        yield opened


def test_names_are_stable_and_distinct(store):
    first = store.place("politik/index.txt", "index", "index.txt", "text", "de")
    second = store.place("sport/index.txt", "index", "index.txt", "text", "de")
    third = store.place("kultur/index.txt", "index", "index.txt", "text", "de")
    assert [first[1], second[1], third[1]] == ["index", "index-2", "index-3"]
    assert store.place("sport/index.txt", "index", "index.txt", "text", "de") == second
    # a real "index-2.txt" later gets a name of its own
    assert store.place("x/index-2.txt", "index-2", "index-2.txt", "text", "de")[1] == "index-2-2"
    # LIKE wildcards in a name are literal
    assert store.place("a_b.txt", "a_b", "a_b.txt", "text", "de")[1] == "a_b"
    assert store.place("a%b.txt", "axb", "a%b.txt", "text", "de")[1] == "axb"


def test_history_is_appended_and_a_persons_edit_settles_alternatives(store):
    article, _ = store.place("a.txt", "a", "a.txt", "text", "de")
    store.apply(article, "en", [Change("s1", "Satz.", "MT.", Status.MACHINE, engine="e")],
                Kind.RUN)
    store.apply(article, "en", [Change("s1", "Satz.", "PO.", Status.REVIEWED, where="a.po")],
                Kind.EDIT)
    store.keep_aside(article, "en", Change("s1", "Satz.", "XLIFF.", Status.FINAL,
                                           where="a.xlf"), Kind.ALTERNATIVE)
    kept = store.segments(article, "en")["s1"]
    assert (kept.target, kept.status, [c.target for c in kept.conflicts]) == (
        "PO.", Status.REVIEWED, ["XLIFF."])
    store.apply(article, "en", [Change("s1", "Satz.", "MT 2.", Status.MACHINE)], Kind.RUN)
    assert [c.target for c in store.segments(article, "en")["s1"].conflicts] == ["XLIFF."]
    store.apply(article, "en", [Change("s1", "Satz.", "Chosen.", Status.REVIEWED)], Kind.EDIT)
    assert store.segments(article, "en")["s1"].conflicts == ()
    events = store.history(article, "en", "s1")
    assert [(e.kind, e.target) for e in events] == [
        ("run", "MT."), ("edit", "PO."), ("alternative", "XLIFF."), ("run", "MT 2."),
        ("edit", "Chosen.")]
    assert [e.seq for e in events] == sorted(e.seq for e in events)
    assert store.segments(article, "en")["s1"].revision == events[-1].seq


def test_a_failed_transaction_leaves_nothing(store):
    article, _ = store.place("a.txt", "a", "a.txt", "text", "de")
    with pytest.raises(RuntimeError), store.transaction():
        store.apply(article, "en", [Change("s1", "Satz.", "MT.", Status.MACHINE)], Kind.RUN)
        raise RuntimeError
    assert store.segments(article, "en") == {} and store.history(article) == []


def test_renders_are_remembered_newest_first_and_bounded(store):
    for number in range(RENDERS_KEPT + 3):
        store.rendered("en/a.xlf", Rendered(f"d{number}", f"h{number}", {"s1": f"T{number}"}))
        store.rendered("en/a.xlf", Rendered(f"d{number}", f"s{number}", {}, seen=True))
    renders = store.renders("en/a.xlf")
    assert renders[1].digest == f"d{RENDERS_KEPT + 2}"
    assert renders[0].entries == {} and renders[0].seen
    assert renders[1].entries == {"s1": f"T{RENDERS_KEPT + 2}"}
    assert len(renders) == 2 * RENDERS_KEPT  # as many readings as renders are kept
    assert store.renders("en/b.xlf") == []


def test_history_and_backup_commands(tmp_path):
    out = tmp_path / "out"
    with ReviewStore.open(out / NAME) as review:
        article, _ = review.place("a.txt", "a", "a.txt", "text", "de")
        review.apply(article, "en", [Change("s1", "Satz.", "MT.", Status.MACHINE)], Kind.RUN)
    runner = CliRunner()
    shown = runner.invoke(cli, ["store", "history", "--out", str(out), "a", "--lang", "EN"])
    assert shown.exit_code == 0, shown.output
    [event] = [json.loads(line) for line in shown.output.splitlines()]
    assert (event["kind"], event["target"], event["status"]) == ("run", "MT.", "machine")
    missing = runner.invoke(cli, ["store", "history", "--out", str(out), "b"])
    assert missing.exit_code == 1 and "no article 'b'" in missing.output
    copy = tmp_path / "copy.sqlite"
    assert runner.invoke(cli, ["store", "backup", "--out", str(out), str(copy)]).exit_code == 0
    with ReviewStore.open(copy) as review:
        assert [e.target for e in review.history(review.article_id("a"))] == ["MT."]
    again = runner.invoke(cli, ["store", "backup", "--out", str(out), str(copy)])
    assert again.exit_code == 1 and "never overwrites" in again.output
    with pytest.raises(OutputError):
        with ReviewStore.open(copy) as review:
            review.backup(copy)
