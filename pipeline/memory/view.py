"""What a run reads of the translation memory: people's units only (human and imported),
from the file through its indexes, plus the sign-offs the run gathered meanwhile.

A run reuses and suggests only people's work, so the machine's units, one per sentence and
language of an archive, are never read. RAM stays bounded whatever the memory holds: exact
lookups are indexed queries, and fuzzy candidates come from the on-disk index of people's
keys by length (``unit_people``), of which at most ``KEY_BUDGET`` keys are cached.

The file is read as it is (never written: the writer adds a run's units per article); what
the run learns from people before it writes (``add``) goes to a small memory in RAM whose
units win over the file's, as the newest act.
"""

from __future__ import annotations

import bisect
import datetime as dt
import sqlite3
from collections.abc import Callable
from pathlib import Path

from pipeline.memory.store import (
    ORIGINS,
    TmUnit,
    TranslationMemory,
    _regular,
    _utcnow,
)
from pipeline.model import languages
from pipeline.model.annotations import MemoryOrigin

#: People's keys kept in RAM for fuzzy lookups (about 10 MB of sentences): a language pair
#: whose keys do not fit is looked up in the file's index, band by band, every time.
KEY_BUDGET = 50_000
_PEOPLE = "origin != 'mt'"  # the partial index unit_people holds exactly these rows

class MemoryView(TranslationMemory):
    """The memory at ``path`` (none yet: only what ``add`` gives) as a run reads it, over an
    in-RAM memory of what the run added; open with :meth:`over`, close it or use it as a
    context manager."""

    @classmethod
    def over(cls, path: Path | None, *, key_budget: int = KEY_BUDGET) -> MemoryView:
        """A view of the memory file at ``path``; a foreign or newer file is an InputError."""
        view = cls(sqlite3.connect(":memory:", isolation_level=None),
                   Path(path) if path is not None else Path(":memory:"), _utcnow)
        view.file = Path(path) if path is not None else None
        try:
            view._initialise()
            view._budget = key_budget
            if path is not None and _regular(Path(path)).exists():
                view._attach(Path(path))
        except BaseException:
            view.close()
            raise
        return view

    def __init__(self, conn: sqlite3.Connection, path: Path,
                 clock: Callable[[], dt.datetime]) -> None:
        super().__init__(conn, path, clock)
        self._file: TranslationMemory | None = None
        #: the memory file viewed (None: a run without one)
        self.file: Path | None = None
        self._budget = KEY_BUDGET
        self._cached = 0
        self._cache: dict[tuple[str, str], tuple[list[int], list[str]] | None] = {}
        self._pairs_of: dict[tuple[str, str], list[tuple[str, str]]] = {}
        self._indexed = False
        #: (count, newest sequence number) of people's units in the file when opened; None
        #: for a file too old to say
        self.people: tuple[int, int] | None = (0, 0)

    def _attach(self, path: Path) -> None:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=60,
                               isolation_level=None)
        file = TranslationMemory(conn, path, self._clock)
        try:
            with file._guard():
                version = file._version()
                if version == 0:  # made but never written to: as if there were none
                    file.close()
                    return
                self._indexed = conn.execute(
                    "SELECT 1 FROM sqlite_master WHERE name = 'unit_people'").fetchone() \
                    is not None
                if version < 2:  # no sequence numbers yet
                    self.people = None
                else:
                    count, newest = conn.execute(
                        f"SELECT count(*), coalesce(max(seq), 0) FROM unit {self._index} "  # noqa: S608
                        f"WHERE {_PEOPLE}").fetchone()
                    self.people = (int(count), int(newest))
        except BaseException:
            file.close()
            raise
        self._file = file

    @property
    def _index(self) -> str:
        return "INDEXED BY unit_people" if self._indexed else ""

    def close(self) -> None:
        super().close()
        if self._file is not None:
            self._file.close()

    def _fuzzy_keys(self, source_lang: str, target_lang: str, low: int, high: int
                    ) -> list[str]:
        """People's keys of the pair in the length band: the file's and the run's."""
        keys = set(self._keys_between(source_lang, target_lang, low, high))
        keys.update(self._file_keys(source_lang, target_lang, low, high))
        return sorted(keys)

    def _lookup(self, keys: list[str], source_lang: str, target_lang: str
                ) -> dict[str, TmUnit]:
        """Per key, the best person's unit of the file and of what the run added; the run's
        wins a tie (it is newer)."""
        found = self._file_best(keys, source_lang, target_lang)
        for key, unit in self._best(keys, source_lang, target_lang).items():
            held = found.get(key)
            if MemoryOrigin(unit.origin).by_person and (
                    held is None or ORIGINS.index(unit.origin) <= ORIGINS.index(held.origin)):
                found[key] = unit
        return found

    def _file_best(self, keys: list[str], source_lang: str, target_lang: str
                   ) -> dict[str, TmUnit]:
        """As TranslationMemory._best, over the file's people's units only."""
        if self._file is None:
            return {}
        return self._file._best(keys, source_lang, target_lang,
                                labels=self._pairs(source_lang, target_lang), where=_PEOPLE)

    def _pairs(self, source_lang: str, target_lang: str) -> list[tuple[str, str]]:
        """The stored labels of people's units that serve this pair (see
        TranslationMemory._labels), read once per run."""
        if (source_lang, target_lang) not in self._pairs_of and self._file is not None:
            with self._file._guard():
                stored = self._file._conn.execute(
                    f"SELECT DISTINCT source_lang, target_lang FROM unit {self._index} "  # noqa: S608
                    f"WHERE {_PEOPLE}").fetchall()
            self._pairs_of[(source_lang, target_lang)] = [
                (s, t) for s, t in stored
                if languages.belongs_to(s, source_lang) and languages.belongs_to(t, target_lang)]
        return self._pairs_of.get((source_lang, target_lang), [])

    def _file_keys(self, source_lang: str, target_lang: str, low: int, high: int
                   ) -> list[str]:
        """People's keys of the pair with length in [low, high]: from RAM while all the
        pair's keys fit the budget, else from the file's index for each lookup."""
        keys: list[str] = []
        for pair in self._pairs(source_lang, target_lang):
            if pair not in self._cache:
                self._cache[pair] = self._load(pair)
            cached = self._cache[pair]
            if cached is None:
                keys.extend(self._read(pair, low, high))
            else:
                lengths, found = cached
                keys.extend(found[bisect.bisect_left(lengths, low):
                                  bisect.bisect_right(lengths, high)])
        return keys

    def _load(self, pair: tuple[str, str]) -> tuple[list[int], list[str]] | None:
        """All of the pair's people keys sorted by length, if they fit the budget."""
        assert self._file is not None  # pairs come from the file
        with self._file._guard():
            (count,) = self._file._conn.execute(
                f"SELECT count(*) FROM unit {self._index} WHERE source_lang = ? "  # noqa: S608
                f"AND target_lang = ? AND {_PEOPLE}", pair).fetchone()
        if self._cached + count > self._budget:
            return None
        self._cached += count
        rows = sorted(self._read_rows(pair, 0, 2**62))
        return [n for n, _ in rows], [k for _, k in rows]

    def _read(self, pair: tuple[str, str], low: int, high: int) -> list[str]:
        return [key for _, key in self._read_rows(pair, low, high)]

    def _read_rows(self, pair: tuple[str, str], low: int, high: int) -> list[tuple[int, str]]:
        assert self._file is not None  # pairs come from the file
        with self._file._guard():
            return self._file._conn.execute(
                f"SELECT DISTINCT key_len, source_key FROM unit {self._index} "  # noqa: S608
                f"WHERE source_lang = ? AND target_lang = ? AND {_PEOPLE} "
                "AND key_len BETWEEN ? AND ?", (*pair, low, high)).fetchall()
