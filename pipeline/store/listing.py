"""What lists of many articles need from the review store (the workspace's index, its
polling, its *Revert to machine*), kept per article and language so thousands stay fast."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace

from pipeline.infra.database import Database
from pipeline.model.status import Status
from pipeline.store.previous import Kind


@dataclass(frozen=True)
class Summary:
    """One article for a list: per language its counts per status and its QA errors, and
    the sequence number of its last change."""

    slug: str
    name: str
    counts: dict[str, dict[str, int]]
    errors: dict[str, int]
    changed: int


class Listing(Database):
    """Queries over the store's tables for lists (ReviewStore has them)."""

    def summarize(self, article: int, lang: str, counts: Mapping[str, int], errors: int
                  ) -> None:
        """Keep the article's counts per status and its QA errors in ``lang``, and the
        sequence number of its last change, for lists of many articles."""
        with self.transaction():
            self._conn.execute(
                "INSERT OR REPLACE INTO summary VALUES (?, ?, ?, ?, (SELECT coalesce(max(seq), "
                "0) FROM history WHERE article = ? AND lang = ?))",
                (article, lang, json.dumps(dict(counts), sort_keys=True), errors, article, lang))

    def summaries(self, offset: int = 0, limit: int = 50) -> tuple[int, list[Summary]]:
        """How many articles the store has, and a page of them (by output name) with each
        language's summary."""
        with self._guard():
            (total,) = self._conn.execute("SELECT count(*) FROM article").fetchone()
            rows = self._conn.execute(
                "SELECT a.slug, a.name, s.lang, s.counts, s.errors, s.changed FROM "
                "(SELECT id, slug, name FROM article ORDER BY slug LIMIT ? OFFSET ?) a "
                "LEFT JOIN summary s ON s.article = a.id ORDER BY a.slug, s.lang",
                (limit, offset)).fetchall()
        found: dict[str, Summary] = {}
        for slug, name, lang, counts, errors, changed in rows:
            entry = found.setdefault(slug, Summary(slug, name, {}, {}, 0))
            if lang is not None:
                entry.counts[lang] = json.loads(counts)
                entry.errors[lang] = errors
                found[slug] = replace(entry, changed=max(entry.changed, changed))
        return int(total), list(found.values())

    def revision(self) -> int:
        """The store's newest sequence number: it moves whenever anything changes."""
        with self._guard():
            return int(self._conn.execute(
                "SELECT coalesce(max(seq), 0) FROM history").fetchone()[0])

    def machine_texts(self, article: int, lang: str) -> dict[str, str]:
        """Per segment, the latest text a run made (for *Revert to machine*)."""
        with self._guard():
            rows = self._conn.execute(
                "SELECT sid, target FROM history WHERE article = ? AND lang = ? AND kind IN "
                "(?, ?) AND status = ? ORDER BY seq",
                (article, lang, Kind.RUN, Kind.MIGRATED, Status.MACHINE)).fetchall()
        return dict(rows)
