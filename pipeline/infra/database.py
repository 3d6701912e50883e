"""What the pipeline's SQLite files (the translation memory, the review store) share: opening
with a check that the file is ours and not newer than this program, schema upgrades in one
transaction, WAL with full sync, SQLite's errors as the pipeline's, and a safe backup.
"""

from __future__ import annotations

import contextlib
import random
import sqlite3
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Self

from pipeline.model.errors import InputError, OutputError

_OPEN_WAIT = 60.0  # seconds, as long as a connection's own busy timeout


def _busy(exc: sqlite3.OperationalError) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


@dataclass(frozen=True)
class Schema:
    """A file kind: its name for messages, its ``PRAGMA application_id``, its version, the
    statements that make version 1, and per later version those that bring the one before up."""

    what: str
    application_id: int
    version: int
    create: tuple[str, ...]
    migrations: Mapping[int, tuple[str, ...]] = field(default_factory=dict)


class Database:
    """One connection to one file of ``SCHEMA``; use as a context manager or call close."""

    SCHEMA: ClassVar[Schema]

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path

    @classmethod
    def _connect(cls, path: Path) -> sqlite3.Connection:
        """A connection to ``path`` (made, with its folder, if missing)."""
        what = cls.SCHEMA.what
        if path.exists() and not path.is_file():
            raise InputError(f"not a regular file; a {what} is a file", path=path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            return sqlite3.connect(path, timeout=60, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise OutputError(f"cannot open the {what}: {exc}", path=path) from None

    @classmethod
    def _opened(cls, path: Path, *extra: object) -> Self:
        """An instance over a new connection to ``path``, checked and upgraded."""
        database = cls(cls._connect(path), path, *extra)
        try:
            database._initialise()
        except BaseException:
            database.close()
            raise
        return database

    def _initialise(self) -> None:
        """Check the file is ours and not newer; upgrade an older one; WAL, full sync.

        SQLite answers "locked" at once, without waiting, to a connection that meets another
        one switching a new file to WAL; the whole step is tried again for up to a minute."""
        deadline = time.monotonic() + _OPEN_WAIT
        with self._guard(write=True):
            while True:
                try:
                    return self._initialise_once()
                except sqlite3.OperationalError as exc:
                    if not _busy(exc) or time.monotonic() > deadline:
                        raise
                time.sleep(0.01 + random.random() * 0.05)

    def _initialise_once(self) -> None:
        """One try of ``_initialise``; SQLite's own errors pass through to it."""
        schema = self.SCHEMA
        version = self._version()
        self._conn.execute("PRAGMA journal_mode = WAL")
        self._conn.execute("PRAGMA synchronous = FULL")
        if version >= schema.version:
            return
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            # another process may have made or upgraded it meanwhile
            (version,) = self._conn.execute("PRAGMA user_version").fetchone()
            steps = [schema.create] if version == 0 else []
            steps += [schema.migrations[v] for v in range(max(version, 1) + 1,
                                                          schema.version + 1)]
            for statement in (s for step in steps for s in step):
                self._conn.execute(statement)
            self._conn.execute(f"PRAGMA application_id = {schema.application_id}")
            self._conn.execute(f"PRAGMA user_version = {schema.version}")
            self._conn.commit()
        except BaseException:
            if self._conn.in_transaction:
                self._conn.rollback()
            raise

    def _version(self) -> int:
        """The file's schema version, once it is known to be a file of ours this program can
        read (an InputError otherwise); reads only. Call it inside ``_guard``."""
        schema = self.SCHEMA
        # one read transaction: another process creating the file may commit between
        # single reads (a version of 0, then its tables: "not a review store")
        self._conn.execute("BEGIN")
        try:
            (version,) = self._conn.execute("PRAGMA user_version").fetchone()
            (app_id,) = self._conn.execute("PRAGMA application_id").fetchone()
            tables = self._conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        finally:
            self._conn.execute("COMMIT")
        if app_id != schema.application_id and (app_id or tables):
            raise InputError(f"SQLite file is not a {schema.what}", path=self.path)
        if version > schema.version:
            raise InputError(f"{schema.what} schema {version} is newer than this "
                             f"program's {schema.version}; upgrade the pipeline",
                             path=self.path)
        return int(version)

    def close(self) -> None:
        """Close the connection; every write was already committed."""
        self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _guard(self, *, write: bool = False) -> Iterator[None]:
        """SQLite's errors as the pipeline's: a damaged file is input, a failed write output."""
        what = self.SCHEMA.what
        try:
            yield
        except sqlite3.OperationalError as exc:
            kind = OutputError if write else InputError
            raise kind(f"{what}: {exc}", path=self.path) from None
        except sqlite3.DatabaseError as exc:
            raise InputError(f"not a usable {what}: {exc}", path=self.path) from None
        except UnicodeEncodeError as exc:  # a lone surrogate that slipped through a reader
            raise InputError(f"text that is not valid Unicode ({exc.reason})",
                             path=self.path) from None

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing: any exception, ours or the caller's, rolls it back; a nested one
        joins the outer transaction."""
        if self._conn.in_transaction:
            yield
            return
        with self._guard(write=True):
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield
                self._conn.commit()
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.rollback()
                raise

    def backup(self, destination: Path) -> None:
        """A consistent copy of the whole file (WAL folded in) in a new file."""
        if Path(destination).exists():
            raise OutputError("exists; a backup never overwrites a file", path=destination)
        with self._guard(write=True):
            self._conn.execute("VACUUM INTO ?", (str(destination),))
