"""Translation memory: human fixes win and survive, lookups, fuzzy matching, atomicity, errors."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from pipeline.memory.store import TmUnit, TranslationMemory, length_band
from pipeline.model.errors import InputError, OutputError
from pipeline.model.text import source_key

SOURCE = "Die Regierung hat am Montag ein neues Gesetz beschlossen."


class Clock:
    """A clock the test moves by hand, one second per call, so 'newest' is deterministic."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(seconds=1)
        return self.now


@pytest.fixture
def tm(tmp_path):
    with TranslationMemory.open(tmp_path / "tm.sqlite", clock=Clock()) as memory:
        yield memory


def unit(source: str = SOURCE, target: str = "x", origin: str = "human", **kw) -> TmUnit:
    return TmUnit(kw.pop("source_lang", "de"), kw.pop("target_lang", "en"), source, target,
                  origin, **kw)


def test_human_beats_mt(tm):
    tm.add([unit(target="machine", origin="mt"), unit(target="reviewed", origin="human")])
    tm.add([unit(target="imported", origin="import")])
    found = tm.exact(SOURCE, "de", "en")
    assert (found.target, found.origin) == ("reviewed", "human")


def test_human_never_overwritten_by_mt(tm):
    tm.add([unit(target="reviewed")])
    tm.add([unit(target="machine again", origin="mt")])
    assert tm.exact(SOURCE, "de", "en").target == "reviewed"
    assert {u.origin: u.target for u in tm.units()} == {"human": "reviewed", "mt": "machine again"}


def test_latest_human_wins_and_keeps_created(tm):
    tm.add([unit(target="first fix")])
    created = tm.exact(SOURCE, "de", "en").created
    assert tm.add([unit(target="second fix")]) == 1
    found = tm.exact(SOURCE, "de", "en")
    assert (found.target, found.created) == ("second fix", created)
    assert found.updated > created
    assert tm.stats()["total"] == 1


def test_older_unit_does_not_undo_newer_fix(tm):
    tm.add([unit(target="current fix")])
    old = dt.datetime(2020, 1, 1)
    assert tm.import_units([unit(target="old backup", updated=old)], origin=None) == 0
    assert tm.exact(SOURCE, "de", "en").target == "current fix"


def test_exact_on_normalized_whitespace_and_nfc_case_kept(tm):
    tm.add([unit(source="Er  sagte:\n„Nein.“", target="He said: “No.”")])
    assert tm.exact("Er sagte: „Nein.“", "de", "en").source == "Er  sagte:\n„Nein.“"
    assert tm.exact(" Er\tsagte:  „Nein.“ ", "de", "en") is not None
    assert tm.exact("er sagte: „Nein.“", "de", "en") is None  # case is significant
    tm.add([unit(source="Mu\u0308nchen", target="Munich")])  # decomposed ü
    assert tm.exact("München", "de", "en").target == "Munich"
    assert tm.exact(SOURCE, "de", "fr") is None


def test_exact_many(tm):
    tm.add([unit(source=f"Satz Nummer {i}.", target=f"Sentence {i}.", origin="mt")
            for i in range(1200)])
    asked = [f"Satz  Nummer {i}." for i in range(0, 1300, 7)]
    found = tm.exact_many(asked, "de", "en")
    assert set(found) == {s for s in asked if int(s.split()[-1][:-1]) < 1200}
    assert found["Satz  Nummer 7."].target == "Sentence 7."


FUZZY_CASES = [  # (stored source, query, included at threshold 75)
    ("Der Bundestag stimmte am Donnerstag zu.", "Der Bundestag stimmte am Freitag zu.", True),
    ("Der Kanzler reist nach Paris.", "Der Kanzler reiste nach Paris.", True),
    ("Die Preise steigen weiter.", "Die Preise stiegen weiter.", True),
    ("Der Hund beißt den Mann.", "Den Mann beißt der Hund.", False),  # order matters
    ("Das Wetter bleibt heute sonnig.", "Die Börse schloss im Minus.", False),
    ("Kurz.", "Ein sehr viel längerer Satz mit Kurz.", False),
    (SOURCE, SOURCE, False),  # the exact match itself is not a fuzzy match
]


@pytest.mark.parametrize(("stored", "query", "included"), FUZZY_CASES)
def test_fuzzy_threshold(tm, stored, query, included):
    tm.add([unit(source=stored, target="t")])
    matches = tm.fuzzy(query, "de", "en", threshold=75)
    assert bool(matches) is included
    for match in matches:
        assert match.score == pytest.approx(fuzz.ratio(source_key(query), match.unit.source_key))


def test_fuzzy_ordering_limit_and_origin_tie_break(tm):
    query = "Der Zug nach Berlin fährt heute um acht Uhr ab."
    tm.add([unit(source="Der Zug nach Berlin fährt heute um neun Uhr ab.", origin="mt"),
            unit(source="Der Zug nach Bremen fährt heute um neun Uhr ab."),
            unit(source="Der Bus nach Berlin fährt heute um acht Uhr ab.", origin="mt"),
            unit(source="Der Bus nach Berlin fährt heute um acht Uhr ab.", target="h"),
            unit(source="Ein Zug fährt.")])
    matches = tm.fuzzy(query, "de", "en", threshold=60, limit=2)
    assert [m.unit.source[:19] for m in matches] == ["Der Bus nach Berlin", "Der Zug nach Berlin"]
    assert matches[0].unit.origin == "human"
    assert matches[0].score >= matches[1].score >= 60
    assert len(tm.fuzzy(query, "de", "en", threshold=60, limit=5)) == 3
    tm.add([unit(source="Der Zug nach Berlin fährt heute um acht Uhr ab!")])  # cache refreshed
    assert tm.fuzzy(query, "de", "en", limit=1)[0].unit.source.endswith("ab!")


@given(st.text(min_size=1, max_size=40), st.text(min_size=1, max_size=40),
       st.floats(min_value=1, max_value=100))
def test_length_band_never_drops_a_match(a, b, threshold):
    if fuzz.ratio(a, b) >= threshold:
        low, high = length_band(len(a), threshold)
        assert low <= len(b) <= high


def test_add_is_atomic(tm):
    tm.add([unit(target="before")])

    def batch():
        yield unit(target="overwritten")
        yield unit(source="Ein neuer Satz.", target="new")
        raise RuntimeError("crash in the middle of the batch")

    with pytest.raises(RuntimeError):
        tm.add(batch())
    assert [u.target for u in tm.units()] == ["before"]
    assert tm.add([unit(source="Danach.", target="after")]) == 1  # still usable


def test_not_a_database(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("this is not SQLite, just text\n" * 50, encoding="utf-8")
    with pytest.raises(InputError, match="not a usable translation memory") as info:
        TranslationMemory.open(path)
    assert str(path) in str(info.value)


def test_unwritable_location(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(OutputError) as info:
        TranslationMemory.open(blocker / "tm.sqlite")
    assert "tm.sqlite" in str(info.value)


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_directory(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        with pytest.raises(OutputError):
            TranslationMemory.open(locked / "tm.sqlite")
    finally:
        locked.chmod(0o755)


def test_reopen_persists_and_stats(tmp_path):
    path = tmp_path / "tm.sqlite"
    with TranslationMemory.open(path) as memory:
        memory.add([unit(target="a", article="slug", segment_id="s1"), unit(origin="mt"),
                    unit(target_lang="fr", origin="mt")])
        memory.import_units([unit(source="Importiert.")])
    with TranslationMemory.open(path) as memory:
        found = memory.exact(SOURCE, "de", "en")
        assert (found.target, found.article, found.segment_id) == ("a", "slug", "s1")
        assert found.created.tzinfo is not None
        assert memory.stats() == {"total": 4, "origin": {"human": 1, "import": 1, "mt": 2},
                                  "pairs": {"de→en": {"human": 1, "import": 1, "mt": 1},
                                            "de→fr": {"mt": 1}}}
        assert [u.origin for u in memory.units(target_lang="en", origin="import")] == ["import"]
    assert not path.with_name("tm.sqlite-journal").exists()


def test_fuzzy_sees_another_connections_writes(tmp_path):
    path = tmp_path / "tm.sqlite"
    with TranslationMemory.open(path) as first, TranslationMemory.open(path) as second:
        assert first.fuzzy(SOURCE + "!", "de", "en") == []
        second.add([unit()])
        assert first.fuzzy(SOURCE + "!", "de", "en")[0].unit.source == SOURCE


def test_unit_validation():
    with pytest.raises(ValueError, match="origin"):
        unit(origin="reviewer")
    with pytest.raises(ValueError, match="non-blank"):
        unit(source=" \n ")


_TEXT = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=60)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(source=_TEXT.filter(lambda s: source_key(s) != ""), target=_TEXT)
def test_add_exact_round_trip(tm, source, target):
    extra = 'Er sagte: "Nein" – \'so\'\n😀 '
    for text in (source, extra + source):
        tm.add([unit(source=text, target=target + text)])
        found = tm.exact(text, "de", "en")
        assert (found.source, found.target) == (text, target + text)


def test_region_labelled_units_serve_the_plain_language_only(tmp_path):
    with TranslationMemory.open(tmp_path / "m.sqlite") as tm:
        tm.add([TmUnit("de", "en_US", "Der Satz.", "The sentence.", "human"),
                TmUnit("de", "pt_PT", "Der Satz.", "A frase.", "human"),
                TmUnit("de", "en", "Der Satz.", "The plain sentence.", "mt")])
        # a person's en_US unit beats the machine's plain en one; same origin: the exact label
        assert tm.exact("Der Satz.", "de", "en").target == "The sentence."
        assert tm.exact("Der Satz.", "de", "en_US").target == "The sentence."
        assert tm.exact("Der Satz.", "de", "pt_BR") is None
        assert tm.exact("Der Satz.", "de", "pt").target == "A frase."
        assert [m.unit.target for m in tm.fuzzy("Der Satz!", "de", "en", threshold=50)] == [
            "The sentence."]
