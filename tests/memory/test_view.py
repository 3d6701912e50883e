"""The run's view of the memory: people's units only, the file never written, what the run
adds found first, the same answers whatever part of the keys fits in RAM."""

from __future__ import annotations

import sqlite3

import pytest

from pipeline.memory.store import TmUnit, TranslationMemory
from pipeline.memory.view import MemoryView
from pipeline.model.errors import InputError

QUERY = "Der Zug nach Berlin fährt heute um acht Uhr ab."
SIMILAR = ["Der Zug nach Berlin fährt heute um neun Uhr ab.",
           "Der Zug nach Bremen fährt heute um acht Uhr ab.",
           "Der Bus nach Berlin fährt heute um acht Uhr ab.",
           "Ein Zug nach Berlin fährt morgen um acht Uhr ab.",
           "Der Zug nach Berlin fuhr gestern um acht Uhr ab."]


def unit(source: str, target: str = "t", origin: str = "human", lang: str = "en") -> TmUnit:
    return TmUnit("de", lang, source, target, origin)


@pytest.fixture
def memory_file(tmp_path):
    path = tmp_path / "memory.sqlite"
    with TranslationMemory.open(path) as memory:
        memory.add([unit(s, f"mt {n}", "mt") for n, s in enumerate(SIMILAR)])  # closer ones
        memory.add([unit(QUERY.replace("acht", "zehn"), "human 1"),
                    unit(QUERY.replace("heute", "morgen"), "imported", "import"),
                    unit(QUERY, "exact human"), unit("Ganz anders.", "other")])
    return path


def test_only_peoples_units_are_found_and_machine_keys_take_no_place(memory_file):
    with MemoryView.over(memory_file) as view:
        assert view.exact(QUERY, "de", "en").target == "exact human"
        assert view.exact(SIMILAR[0], "de", "en") is None  # only the machine's
        found = view.fuzzy(QUERY, "de", "en", threshold=60, limit=2)
    assert [m.unit.target for m in found] == ["human 1", "imported"]
    assert view.people is not None and view.people[0] == 4


def test_the_file_is_read_never_written(tmp_path, memory_file):
    before = memory_file.read_bytes()
    with MemoryView.over(memory_file) as view:
        view.add([unit(QUERY, "a fix found in this run")])
        assert view.exact(QUERY, "de", "en").target == "a fix found in this run"
        assert view.exact_many([QUERY, "Ganz anders."], "de", "en")["Ganz anders."].target == \
            "other"
    assert memory_file.read_bytes() == before
    with TranslationMemory.open(memory_file) as memory:
        assert memory.exact(QUERY, "de", "en").target == "exact human"
    missing = tmp_path / "none.sqlite"
    with MemoryView.over(missing) as view:
        view.add([unit(QUERY, "fix")])
        assert [m.unit.target for m in view.fuzzy(QUERY + "!", "de", "en")] == ["fix"]
        assert view.people == (0, 0)
    assert not missing.exists()


@pytest.mark.parametrize("budget", [0, 1, 3, 10_000])
def test_answers_do_not_depend_on_how_many_keys_fit_in_ram(memory_file, budget):
    with TranslationMemory.open(memory_file) as memory:
        memory.add([unit(s.replace("Uhr", "Uhr früh"), f"h{n}") for n, s in enumerate(SIMILAR)])
    with MemoryView.over(memory_file, key_budget=10_000) as everything, \
            MemoryView.over(memory_file, key_budget=budget) as bounded:
        for query in [QUERY, SIMILAR[2], "Ganz anders!", "Der Zug."]:
            for threshold in (0, 50, 75, 95):
                assert bounded.fuzzy(query, "de", "en", threshold=threshold, limit=4) == \
                    everything.fuzzy(query, "de", "en", threshold=threshold, limit=4)
        assert bounded._cached <= budget


def test_peoples_state_moves_with_their_units_only(memory_file):
    with MemoryView.over(memory_file) as view:
        first = view.people
    with TranslationMemory.open(memory_file) as memory:
        memory.add([unit("Noch ein Satz.", "machine", "mt")])
    with MemoryView.over(memory_file) as view:
        assert view.people == first
    with TranslationMemory.open(memory_file) as memory:
        memory.add([unit("Ganz anders.", "a newer fix")])
    with MemoryView.over(memory_file) as view:
        assert view.people != first


def test_a_file_without_the_index_is_read_the_same(memory_file):
    with MemoryView.over(memory_file) as view:
        expected = view.fuzzy(QUERY, "de", "en", threshold=60)
    with sqlite3.connect(memory_file) as conn:  # as a program before the index left it
        conn.execute("DROP INDEX unit_people")
        conn.execute("PRAGMA user_version = 2")
    with MemoryView.over(memory_file) as view:
        assert view.fuzzy(QUERY, "de", "en", threshold=60) == expected


def test_a_foreign_file_is_an_input_error(tmp_path):
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE x (y)")
    with pytest.raises(InputError, match="not a translation memory"):
        MemoryView.over(other)
