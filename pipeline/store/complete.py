"""An article's complete state in the review store. Once its files are written, a run
records what they were made from (a digest of the source as read and one of the run's
settings, see pipeline.run.resume), the store's last change of the article then, and a
digest of every file written; a later run made from the same can leave the article alone.

The record goes in its own transaction after the files are in place, under the output
folder's lock; every commit of the article first removes it, so a run killed between its
commit and the last rename leaves the article incomplete, never wrongly complete.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pipeline.infra.database import Database

#: Statements that bring a version 2 store up to version 3.
MIGRATION = (
    """CREATE TABLE complete (article INTEGER PRIMARY KEY REFERENCES article (id),
        source TEXT NOT NULL, run TEXT NOT NULL, seq INTEGER NOT NULL, files TEXT NOT NULL,
        report TEXT NOT NULL)""",
)


@dataclass(frozen=True)
class Complete:
    """An article's record: ``seq`` the store's last change of it when it was made,
    ``files`` the digest of each file written (relative to the output folder), ``report``
    per language what the run reported (OutputSet fields)."""

    article: int
    slug: str
    source: str
    run: str
    seq: int
    files: dict[str, str]
    report: list[dict[str, object]]


class Completion(Database):
    """The store's records of complete articles (ReviewStore has them)."""

    def complete(self, key: str) -> Complete | None:
        """The record of the article known by ``key``, if it has one."""
        with self._guard():
            row = self._conn.execute(
                "SELECT a.id, a.slug, c.source, c.run, c.seq, c.files, c.report FROM article a "
                "JOIN complete c ON c.article = a.id WHERE a.key = ?", (key,)).fetchone()
        if row is None:
            return None
        return Complete(int(row[0]), str(row[1]), row[2], row[3], int(row[4]),
                        json.loads(row[5]), json.loads(row[6]))

    def last_change(self, article: int) -> int:
        """The sequence number of the article's last history row (0: none)."""
        with self._guard():
            (seq,) = self._conn.execute("SELECT coalesce(max(seq), 0) FROM history "
                                        "WHERE article = ?", (article,)).fetchone()
        return int(seq)

    def record_complete(self, article: int, source: str, run: str,
                        files: Mapping[str, str], report: Sequence[Mapping[str, object]]
                        ) -> None:
        with self.transaction():
            self._conn.execute(
                "INSERT OR REPLACE INTO complete (article, source, run, seq, files, report) "
                "VALUES (?, ?, ?, (SELECT coalesce(max(seq), 0) FROM history WHERE "
                "article = ?), ?, ?)",
                (article, source, run, article, json.dumps(dict(files), sort_keys=True),
                 json.dumps(list(report), ensure_ascii=False, sort_keys=True)))

    def forget_complete(self, article: int) -> None:
        with self.transaction():
            self._conn.execute("DELETE FROM complete WHERE article = ?", (article,))

    def stored_languages(self, article: int) -> list[str]:
        """Every language the store holds segments of the article in."""
        with self._guard():
            return [lang for (lang,) in self._conn.execute(
                "SELECT DISTINCT lang FROM segment WHERE article = ? ORDER BY lang",
                (article,))]

    def newest_hash(self, path: str) -> str | None:
        """The hash of the newest render (or reading) of the file at ``path``."""
        with self._guard():
            row = self._conn.execute("SELECT hash FROM render WHERE path = ? ORDER BY id DESC "
                                     "LIMIT 1", (path,)).fetchone()
        return None if row is None else str(row[0])
