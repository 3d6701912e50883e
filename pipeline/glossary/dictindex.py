"""The dictionaries' index: one SQLite file in the user's cache, built once per dictionary
file and rebuilt when that file changes (its path, size and mtime key it).

Parsing Ding and FreeDict takes tens of seconds; a lookup in the index takes well under a
millisecond, which is what makes ``glossary lint --dictionaries`` fast.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.glossary.dictsources import Source, read_entries
from pipeline.glossary.match import _norm
from pipeline.infra.database import Database, Schema
from pipeline.infra.lock import hold

#: PRAGMA application_id ("DICT"), so another SQLite file is never taken for the cache.
APPLICATION_ID = 0x44494354
NAME = "dictionaries.sqlite"
_SCHEMA = (
    """CREATE TABLE source (id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE,
        mtime_ns INTEGER NOT NULL, size INTEGER NOT NULL, name TEXT NOT NULL,
        family TEXT NOT NULL, src TEXT NOT NULL, tgt TEXT NOT NULL, entries INTEGER NOT NULL)""",
    """CREATE TABLE entry (source INTEGER NOT NULL REFERENCES source (id), key TEXT NOT NULL,
        headword TEXT NOT NULL, noun INTEGER NOT NULL, lemma TEXT NOT NULL,
        translations TEXT NOT NULL)""",
    "CREATE INDEX entry_by_key ON entry (key, source)",
)
_norm_uncached = _norm.__wrapped__  # building would flush the matcher's cache for nothing


def cache_folder() -> Path:
    """``$XDG_CACHE_HOME/news-l10n-pipeline`` (else ``~/.cache/…``), as the XDG spec says."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "news-l10n-pipeline"


def key_of(text: str, lang: str) -> str:
    """What a headword is found by: German as the matcher folds it (case, umlauts, -innen),
    other languages lowercased."""
    return _norm_uncached(text) if lang == "de" else text.lower()


@dataclass(frozen=True)
class Indexed:
    """A dictionary as the index knows it."""

    id: int
    name: str
    family: str
    src: str
    tgt: str
    entries: int


@dataclass(frozen=True)
class Row:
    """One entry found: its headword and its (translation, labels) pairs in their order."""

    source: Indexed
    headword: str
    noun: bool
    lemma: str
    translations: tuple[tuple[str, tuple[str, ...]], ...]


class DictionaryIndex(Database):
    """The cache file; :meth:`open` it, :meth:`refresh` it, then :meth:`find` in it."""

    SCHEMA = Schema("dictionary cache", APPLICATION_ID, 1, _SCHEMA)

    @classmethod
    def open(cls, path: Path | None = None) -> DictionaryIndex:
        return cls._opened(Path(path) if path else cache_folder() / NAME)

    def refresh(self, sources: Sequence[Source], say: Callable[[str], None] | None = None
                ) -> list[Indexed]:
        """Index every source not indexed as it is now (holding the cache folder's lock, so
        two processes never parse the same file at once); return them all."""
        stale = [s for s in sources if self._current(s) is None]
        if stale:
            with hold(self.path.parent, what="the dictionary cache", say=say):
                for source in stale:
                    if self._current(source) is None:  # another process may have done it
                        self._build(source, say)
        return [found for s in sources if (found := self._current(s)) is not None]

    def _current(self, source: Source) -> Indexed | None:
        stat = source.path.stat()
        with self._guard():
            row = self._conn.execute(
                "SELECT id, name, family, src, tgt, entries FROM source WHERE path = ? AND "
                "mtime_ns = ? AND size = ?", (str(source.path), stat.st_mtime_ns,
                                              stat.st_size)).fetchone()
        return Indexed(*row) if row else None

    def _build(self, source: Source, say: Callable[[str], None] | None) -> None:
        started = time.monotonic()
        if say is not None:
            say(f"indexing {source.path} (once; kept in {self.path}) …")
        stat = source.path.stat()
        family, entries = read_entries(source)
        rows = [(key_of(e.headword, source.src), e.headword, int(e.noun), e.lemma,
                 json.dumps(e.translations, ensure_ascii=False, separators=(",", ":")))
                for e in entries]
        with self.transaction():
            old = self._conn.execute("SELECT id FROM source WHERE path = ?",
                                     (str(source.path),)).fetchone()
            if old:
                self._conn.execute("DELETE FROM entry WHERE source = ?", old)
                self._conn.execute("DELETE FROM source WHERE id = ?", old)
            cursor = self._conn.execute(
                "INSERT INTO source (path, mtime_ns, size, name, family, src, tgt, entries) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (str(source.path), stat.st_mtime_ns, stat.st_size, source.name,
                 family, source.src, source.tgt, len(rows)))
            self._conn.executemany("INSERT INTO entry VALUES (?, ?, ?, ?, ?, ?)",
                                   ((cursor.lastrowid, *row) for row in rows))
        if say is not None:
            say(f"indexed {len(rows)} entries of {source.name} in "
                f"{time.monotonic() - started:.1f} s")

    def find(self, sources: Iterable[Indexed], keys: Iterable[str]) -> list[Row]:
        """Every entry of ``sources`` whose key is one of ``keys``, in the index's order."""
        by_id = {s.id: s for s in sources}
        keys = sorted(set(keys))
        if not by_id or not keys:
            return []
        with self._guard():
            rows = self._conn.execute(
                "SELECT source, headword, noun, lemma, translations FROM entry WHERE key IN "
                "(SELECT value FROM json_each(?)) AND source IN (SELECT value FROM json_each(?)) "
                "ORDER BY rowid", (json.dumps(keys), json.dumps(sorted(by_id)))).fetchall()
        return [Row(by_id[source], headword, bool(noun), lemma,
                    tuple((text, tuple(labels)) for text, labels in json.loads(translations)))
                for source, headword, noun, lemma, translations in rows]
