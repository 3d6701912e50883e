"""Translation memory: reviewed and machine translations in one SQLite file, reused on every run.

One row per (language pair, normalised source, origin), so a reviewer's fix ('human') and the
machine's output ('mt') live side by side and an mt write can never touch a human row; lookups
prefer human over import over mt. Every write is one transaction: a failure leaves the old state.

Order is the memory's own sequence, never a clock: what a run adds replaces what is there
(it is the newest act, whatever dates a file carried). Imports alone compare the dates their
files state, so an old backup never replaces a newer translation; the dates are metadata.

WAL journal with ``synchronous=FULL`` (several output folders may share one memory: readers
never block the writer; a commit survives power loss). Committed rows may sit in the
``-wal`` side file, so a copy of the ``.sqlite`` alone is not a backup: use :meth:`backup`
(``tm backup``).
"""

from __future__ import annotations

import bisect
import datetime as dt
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from rapidfuzz import fuzz, process

from pipeline.infra.database import Database, Schema
from pipeline.model import languages
from pipeline.model.annotations import MemoryOrigin
from pipeline.model.errors import InputError
from pipeline.model.text import source_key

SCHEMA_VERSION = 3
#: PRAGMA application_id ("TMDE"), so another program's SQLite file is not taken for ours.
APPLICATION_ID = 0x544D4445
#: Lookup preference, best first: the origins a memory unit may have, in MemoryOrigin's order.
ORIGINS = tuple(origin.value for origin in MemoryOrigin if origin.in_memory)
_STAMP = "%Y-%m-%dT%H:%M:%S.%fZ"  # fixed width, so text order is time order
_CHUNK = 500  # bound parameters per IN (...) query, well below SQLite's limit

_SCHEMA = ("""CREATE TABLE IF NOT EXISTS unit (
    id INTEGER PRIMARY KEY, source_lang TEXT NOT NULL, target_lang TEXT NOT NULL,
    source TEXT NOT NULL, source_key TEXT NOT NULL, key_len INTEGER NOT NULL, target TEXT NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('human', 'import', 'mt')), article TEXT, segment_id TEXT,
    created TEXT NOT NULL, updated TEXT NOT NULL,
    UNIQUE (source_lang, target_lang, source_key, origin))""",
           "CREATE INDEX IF NOT EXISTS unit_by_length "
           "ON unit (source_lang, target_lang, key_len, source_key)")
#: schema version → the statements that bring the one before it up to it
_MIGRATIONS = {
    2: ("ALTER TABLE unit ADD COLUMN seq INTEGER NOT NULL DEFAULT 0",),
    # the newest unit without a scan; people's units on their own, so a run's lookups never
    # read the machine's (see memory.view)
    3: ("CREATE INDEX IF NOT EXISTS unit_by_seq ON unit (seq)",
        "CREATE INDEX IF NOT EXISTS unit_people ON unit (source_lang, target_lang, key_len, "
        "source_key) WHERE origin != 'mt'"),
}
_COLUMNS = "source_lang, target_lang, source, target, origin, article, segment_id, created, updated"
_UPSERT = """
INSERT INTO unit (source_lang, target_lang, source, target, origin, article, segment_id, created,
                  updated, source_key, key_len, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (source_lang, target_lang, source_key, origin) DO UPDATE SET
    source = excluded.source, target = excluded.target, article = excluded.article,
    segment_id = excluded.segment_id, updated = excluded.updated, seq = excluded.seq
"""
#: an import: a unit the file dates older than the row's date leaves the row alone
_DATED = " WHERE excluded.updated >= unit.updated"
_RANK = "CASE origin WHEN 'human' THEN 0 WHEN 'import' THEN 1 ELSE 2 END"


@dataclass(frozen=True)
class TmUnit:
    """One translation of one source sentence; times are UTC (naive ones are taken as UTC)."""

    source_lang: str
    target_lang: str
    source: str
    target: str
    origin: str
    article: str | None = None
    segment_id: str | None = None
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    #: the source with inline codes abstracted (Segment.plain), when it has codes: the key
    plain: str | None = field(default=None, repr=False, compare=False)
    source_key: str = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.origin not in ORIGINS:
            raise ValueError(f"origin must be one of {ORIGINS}, not {self.origin!r}")
        key = source_key(self.plain if self.plain is not None else self.source)
        if not key or not self.source_lang or not self.target_lang:
            raise ValueError("a unit needs a non-blank source and both languages")
        object.__setattr__(self, "source_key", key)


@dataclass(frozen=True)
class TmMatch:
    """A fuzzy hit: the best unit for a similar source and its similarity, 0–100."""

    unit: TmUnit
    score: float


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _stamp(moment: dt.datetime) -> str:
    utc = moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment
    return utc.astimezone(dt.UTC).strftime(_STAMP)


def _parse(stamp: str) -> dt.datetime:
    return dt.datetime.strptime(stamp, _STAMP).replace(tzinfo=dt.UTC)


def _row_unit(row: tuple, path: Path | None = None, key: str | None = None) -> TmUnit:
    """A unit from a row that starts with ``_COLUMNS`` (TmUnit's field order); a row another
    program damaged (a bad date or origin) is an InputError naming the memory and the row."""
    try:
        return TmUnit(row[0], row[1], row[2], row[3], row[4], row[5], row[6],
                      _parse(row[7]), _parse(row[8]), plain=key)
    except (ValueError, TypeError) as exc:
        raise InputError(f"damaged row for {str(row[2])[:40]!r}: {exc}", path=path) from None


def _regular(path: Path) -> Path:
    """A memory is a regular file (or none yet): never a device, a pipe or a folder."""
    if path.exists() and not path.is_file():
        raise InputError("not a regular file; a translation memory is a file", path=path)
    return path


def length_band(length: int, threshold: float) -> tuple[int, int]:
    """Key lengths that can reach ``threshold`` with fuzz.ratio = 200·common / (len1 + len2)."""
    if threshold <= 0:
        return 0, 2**62
    low = int(length * threshold / (200 - threshold))
    high = int(length * (200 - threshold) / threshold) + 1
    return low, high


def _match_order(match: TmMatch) -> tuple[float, int, float, str]:
    """Higher score, then the preferred origin, then newer, then the key for a stable order."""
    updated = match.unit.updated.timestamp() if match.unit.updated else 0.0
    return (-match.score, ORIGINS.index(match.unit.origin), -updated, match.unit.source_key)


class TranslationMemory(Database):
    """A TM file; open with :meth:`open`, use as a context manager or call :meth:`close`."""

    SCHEMA = Schema("translation memory", APPLICATION_ID, SCHEMA_VERSION, _SCHEMA, _MIGRATIONS)

    def __init__(self, conn: sqlite3.Connection, path: Path, clock: Callable[[], dt.datetime]
                 ) -> None:
        super().__init__(conn, path)
        self._clock = clock
        self._keys: dict[tuple[str, str], tuple[list[int], list[str]]] = {}
        self._stored_labels: list[tuple[str, str]] | None = None
        self._data_version = -1

    @classmethod
    def open(cls, path: Path, *, clock: Callable[[], dt.datetime] = _utcnow
             ) -> TranslationMemory:
        """Open or create the memory at ``path``; a foreign or newer file is an InputError."""
        return cls._opened(Path(path), clock)

    @classmethod
    def snapshot(cls, path: Path | None, *, clock: Callable[[], dt.datetime] = _utcnow
                 ) -> TranslationMemory:
        """A private copy in RAM of the memory at ``path`` (empty if there is none): reads
        and writes to it never touch the file. A foreign or damaged file is an InputError."""
        conn = sqlite3.connect(":memory:", isolation_level=None)
        shown = Path(path) if path is not None else Path(":memory:")
        memory = cls(conn, shown, clock)
        try:
            if path is not None and _regular(Path(path)).exists():
                with memory._guard():
                    source = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro",
                                             uri=True, timeout=10)
                    try:
                        source.backup(conn)
                    finally:
                        source.close()
            memory._initialise()
        except BaseException:
            conn.close()
            raise
        return memory

    def add(self, units: Iterable[TmUnit]) -> int:
        """Insert or update units in one transaction; the count of rows written.

        An existing row (same pair, key and origin) takes the new target: a run's addition
        is the newest, whatever dates the row or the unit carry.
        """
        return self.add_groups([units])[0]

    def add_groups(self, groups: Sequence[Iterable[TmUnit]], *, dated: bool = False
                   ) -> list[int]:
        """Several groups (one per imported file) in one transaction: all or nothing; the
        count of rows written per group. ``dated`` (imports): a unit dated older than the
        row it would replace is skipped, so an old backup cannot undo a newer fix."""
        now = _stamp(self._clock())
        counter = iter(range(self._last_seq() + 1, 2**62))

        def rows(units: Iterable[TmUnit]) -> Iterator[tuple[object, ...]]:
            for u in units:
                created = _stamp(u.created) if u.created else now
                yield (u.source_lang, u.target_lang, u.source, u.target, u.origin, u.article,
                       u.segment_id, created, _stamp(u.updated) if u.updated else now,
                       u.source_key, len(u.source_key), next(counter))

        self._keys.clear()
        self._stored_labels = None
        counts = []
        statement = _UPSERT + (_DATED if dated else "")
        with self._guard(write=True), self.transaction():
            for units in groups:
                before = self._conn.total_changes
                self._conn.executemany(statement, rows(units))
                counts.append(self._conn.total_changes - before)
        return counts

    def _last_seq(self) -> int:
        with self._guard():
            return int(self._conn.execute("SELECT coalesce(max(seq), 0) FROM unit").fetchone()[0])

    def import_units(self, units: Iterable[TmUnit], *, origin: str | None = "import") -> int:
        """Add units read from a TMX file as ``origin`` (None keeps each unit's own origin);
        their dates decide against what is there (see add_groups)."""
        chosen = units if origin is None else (replace(u, origin=origin) for u in units)
        return self.add_groups([chosen], dated=True)[0]


    def exact(self, source: str, source_lang: str, target_lang: str) -> TmUnit | None:
        """The best unit for ``source`` (human, then import, then mt; newest first) or None."""
        return self.exact_many([source], source_lang, target_lang).get(source)

    def exact_many(self, sources: Iterable[str], source_lang: str,
                   target_lang: str) -> dict[str, TmUnit]:
        """The best unit per source that has one, keyed by the source as given."""
        wanted: dict[str, list[str]] = {}
        for text in sources:
            wanted.setdefault(source_key(text), []).append(text)
        wanted.pop("", None)  # no unit has an empty key (TmUnit refuses one)
        best = self._lookup(list(wanted), source_lang, target_lang)
        return {text: best[key] for key, texts in wanted.items() if key in best for text in texts}

    def _lookup(self, keys: list[str], source_lang: str, target_lang: str
                ) -> dict[str, TmUnit]:
        """The unit exact and fuzzy lookups give per key (a view: a person's, see view.py)."""
        return self._best(keys, source_lang, target_lang)

    def _fuzzy_keys(self, source_lang: str, target_lang: str, low: int, high: int
                    ) -> list[str]:
        """The keys a fuzzy lookup scores: the pair's, of a length in [low, high]."""
        return self._keys_between(source_lang, target_lang, low, high)

    def _labels(self, source_lang: str, target_lang: str) -> list[tuple[str, str]]:
        """The (source, target) labels stored that belong to the pair asked for: ``en_US``
        units serve a request for ``en``; a request for ``pt_BR`` needs ``pt_BR`` units."""
        self._check_version()
        if self._stored_labels is None:
            with self._guard():
                self._stored_labels = self._conn.execute(
                    "SELECT DISTINCT source_lang, target_lang FROM unit").fetchall()
        return [(s, t) for s, t in self._stored_labels
                if languages.belongs_to(s, source_lang) and languages.belongs_to(t, target_lang)]

    def _best(self, keys: list[str], source_lang: str, target_lang: str, *,
              labels: Sequence[tuple[str, str]] | None = None, where: str = "TRUE"
              ) -> dict[str, TmUnit]:
        """Best unit per key, a few hundred keys per query; of equal rank, the unit labelled
        exactly as asked wins over a regional variant. ``labels``: the stored pairs to read
        (default: those serving the pair); ``where``: a condition on the units (a view's)."""
        found: dict[str, TmUnit] = {}
        if labels is None:
            labels = self._labels(source_lang, target_lang)
        for source_label, target_label in sorted(labels,
                                                 key=lambda p: p == (source_lang, target_lang)):
            with self._guard():
                for start in range(0, len(keys), _CHUNK):
                    chunk = keys[start:start + _CHUNK]
                    marks = ", ".join("?" * len(chunk))
                    rows = self._conn.execute(
                        f"SELECT {_COLUMNS}, source_key FROM unit WHERE source_lang = ? "  # noqa: S608
                        f"AND target_lang = ? AND {where} AND source_key IN ({marks}) "
                        f"ORDER BY {_RANK} DESC",
                        (source_label, target_label, *chunk))
                    for row in rows:
                        unit = _row_unit(row, self.path, key=row[-1])
                        held = found.get(row[-1])
                        if held is None or ORIGINS.index(unit.origin) <= ORIGINS.index(held.origin):
                            found[row[-1]] = unit
        return found

    def fuzzy(self, source: str, source_lang: str, target_lang: str, *,
              threshold: float = 75.0, limit: int = 3) -> list[TmMatch]:
        """Units for similar sources, best first; the exact source itself is left out.

        The score is fuzz.ratio on the keys (character edit similarity): word order and case
        count, as they do for reusing a translation. Only keys whose length can reach the
        threshold are read (see :func:`length_band`).
        """
        if not 0 <= threshold <= 100 or limit < 1:
            raise ValueError("threshold must be within 0–100 and limit at least 1")
        key = source_key(source)
        if not key:
            return []
        low, high = length_band(len(key), threshold)
        keys = self._fuzzy_keys(source_lang, target_lang, low, high)
        hits = [hit for hit in process.extract(key, keys, scorer=fuzz.ratio,
                                               score_cutoff=threshold, limit=None)
                if hit[0] != key]
        scores = sorted((hit[1] for hit in hits), reverse=True)
        cut = scores[limit - 1] if len(scores) > limit else 0  # ties at the cut stay in
        kept = {choice: score for choice, score, _ in hits if score >= cut}
        best = self._lookup(list(kept), source_lang, target_lang)
        matches = [TmMatch(best[k], score) for k, score in kept.items() if k in best]
        return sorted(matches, key=_match_order)[:limit]

    def _check_version(self) -> None:
        """Drop the caches when another connection changed the file (PRAGMA data_version)."""
        with self._guard():
            (version,) = self._conn.execute("PRAGMA data_version").fetchone()
        if version != self._data_version:
            self._keys.clear()
            self._stored_labels = None
            self._data_version = version

    def _keys_between(self, source_lang: str, target_lang: str, low: int, high: int
                      ) -> list[str]:
        """Keys of the pair with length in [low, high], from a cache sorted by length.

        Reading ~10k keys from SQLite per query costs more than scoring them, so keys are
        cached per pair; our writes clear the cache, PRAGMA data_version notices others'.
        """
        self._check_version()
        with self._guard():
            if (source_lang, target_lang) not in self._keys:
                rows = sorted({row for pair in self._labels(source_lang, target_lang)
                               for row in self._conn.execute(
                                   "SELECT DISTINCT key_len, source_key FROM unit "
                                   "WHERE source_lang = ? AND target_lang = ?", pair)})
                self._keys[(source_lang, target_lang)] = ([n for n, _ in rows],
                                                          [k for _, k in rows])
        lengths, keys = self._keys[(source_lang, target_lang)]
        return keys[bisect.bisect_left(lengths, low):bisect.bisect_right(lengths, high)]

    def remove(self, source: str, source_lang: str, *, target_lang: str | None = None,
               origin: str | None = None) -> int:
        """Delete the units of one source sentence (all targets, or one); the count removed."""
        given = {"source_lang": source_lang, "source_key": source_key(source),
                 "target_lang": target_lang, "origin": origin}
        where = {col: value for col, value in given.items() if value is not None}
        sql = "DELETE FROM unit WHERE " + " AND ".join(  # noqa: S608 - column names are ours
            f"{col} = ?" for col in where)
        self._keys.clear()
        self._stored_labels = None
        with self._guard(write=True), self.transaction():
            return self._conn.execute(sql, list(where.values())).rowcount

    def units(self, source_lang: str | None = None, target_lang: str | None = None,
              origin: str | None = None) -> Iterator[TmUnit]:
        """Every unit matching the filters, in a stable order (for TMX export)."""
        given = {"source_lang": source_lang, "target_lang": target_lang, "origin": origin}
        where = {col: value for col, value in given.items() if value is not None}
        sql = (f"SELECT {_COLUMNS} FROM unit WHERE 1 "  # noqa: S608 - column names are ours
               + "".join(f"AND {col} = ? " for col in where)
               + f"ORDER BY source_lang, target_lang, source_key, {_RANK}")
        with self._guard():
            cursor = self._conn.execute(sql, list(where.values()))
            while batch := cursor.fetchmany(_CHUNK):
                yield from (_row_unit(row, self.path) for row in batch)

    def stats(self) -> dict[str, object]:
        """Counts: total, by origin, and by language pair ("de→en") and origin."""
        by_origin: dict[str, int] = {}
        pairs: dict[str, dict[str, int]] = {}
        with self._guard():
            for src, tgt, origin, count in self._conn.execute(
                    "SELECT source_lang, target_lang, origin, count(*) FROM unit "
                    "GROUP BY source_lang, target_lang, origin ORDER BY 1, 2, 3"):
                by_origin[origin] = by_origin.get(origin, 0) + count
                pairs.setdefault(f"{src}→{tgt}", {})[origin] = count
        return {"total": sum(by_origin.values()), "origin": by_origin, "pairs": pairs}
