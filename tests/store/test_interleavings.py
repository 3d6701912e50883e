"""Property: whatever the order of runs (engine changes, --retranslate), reviewers' edits in
the PO or the XLIFF file (text and status) and kills at any point of the write phase, after
a clean run every person's last saved text of a segment is its current target or an
alternative shown beside it, and no machine text ever passes for a person's.

In-process for speed (a kill is an exception raised instead of the k-th rename; the real
SIGKILLs are in test_losses.py). Fixed budget: derandomized, a bounded number of examples.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from pipeline.mt.pseudo import PseudoEngine
from pipeline.run.options import RunOptions
from pipeline.run.runner import run

XLIFF = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
SENTENCES = ["Der Streik ist vorbei.", "Die Studios haben nachgegeben.", "Die Autoren feiern."]
TEXTS = st.sampled_from(["Alpha.", "Beta.", "Gamma.", "Delta."])


class Killed(BaseException):
    """Stands in for SIGKILL: nothing after it runs but the unwinding."""


RUN = st.tuples(st.just("run"), st.sampled_from([0.3, 0.6]), st.booleans(),
                st.none() | st.integers(1, 5))
PO_EDIT = st.tuples(st.just("po"), st.integers(0, 2), TEXTS, st.booleans())
XLIFF_EDIT = st.tuples(st.just("xliff"), st.integers(0, 2), TEXTS,
                       st.sampled_from(["translated", "reviewed", "final"]))
ACTIONS = st.lists(st.one_of(RUN, PO_EDIT, XLIFF_EDIT), min_size=1, max_size=10)


def _run(article: Path, out: Path, expansion: float, retranslate: bool,
         kill_at: int | None) -> None:
    real, count = os.replace, [0]

    def replace(src, dst, *args, **kwargs):
        count[0] += 1
        if count[0] == kill_at:
            raise Killed
        return real(src, dst, *args, **kwargs)

    os.replace = replace
    try:
        run([article], RunOptions(targets=("en",), out_dir=out, quiet=True,
                                  retranslate=retranslate), PseudoEngine(expansion=expansion))
    except Killed:
        pass
    finally:
        os.replace = real


def _edit_po(out: Path, index: int, text: str, fuzzy: bool) -> bool:
    path = out / "en" / "LC_MESSAGES" / "a.po"
    if not path.exists():
        return False
    catalog = polib.pofile(str(path))
    [entry] = [e for e in catalog if e.msgid == SENTENCES[index] and not e.obsolete]
    entry.msgstr, entry.flags = text, (["fuzzy"] if fuzzy else [])
    catalog.save(str(path))
    return True


def _edit_xliff(out: Path, index: int, text: str, state: str) -> bool:
    path = out / "en" / "a.xlf"
    if not path.exists():
        return False
    tree = etree.parse(str(path))
    for segment in tree.iterfind(".//x:segment", XLIFF):
        if segment.find("x:source", XLIFF).text == SENTENCES[index]:
            segment.set("state", state)
            segment.find("x:target", XLIFF).text = text
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    return True


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@settings(max_examples=300, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(actions=ACTIONS)
def test_a_persons_last_text_is_never_lost(tmp_path_factory, actions):
    folder = tmp_path_factory.mktemp("interleaving")
    article, out = folder / "a.txt", folder / "out"
    article.write_text(" ".join(SENTENCES) + "\n", encoding="utf-8")
    last: dict[int, str] = {}  # the person's last saved text per sentence
    for action in actions:
        if action[0] == "run":
            _run(article, out, *action[1:])
        elif action[0] == "po" and _edit_po(out, *action[1:]):
            last[action[1]] = action[2]
        elif action[0] == "xliff" and _edit_xliff(out, *action[1:]):
            last[action[1]] = action[2]
    _run(article, out, 0.3, False, None)
    catalog = polib.pofile(str(out / "en" / "LC_MESSAGES" / "a.po"))
    entries = {e.msgid: e for e in catalog if not e.obsolete}
    for index, text in last.items():
        entry = entries[SENTENCES[index]]
        shown = [line.split(": ", 1)[1] for line in entry.comment.splitlines()
                 if line.startswith("also edited in ")]
        assert text == entry.msgstr or text in shown, (actions, index, entry)
    with sqlite3.connect(out / "review.sqlite") as conn:
        people = {source for source, status in conn.execute(
            "SELECT source, status FROM segment") if status in ("draft", "reviewed", "final")}
    assert people <= {SENTENCES[i] for i in last}, actions
