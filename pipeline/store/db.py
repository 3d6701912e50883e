"""The review store, ``<out>/review.sqlite``: the one truth about every article's translations.

For each article × language × segment it keeps the current target and status, who made it
and a revision from the store's own sequence (never a wall clock), and it appends every
change to a history that is never rewritten. A person's text that lost a conflict stays an
*alternative* until someone settles it. Per output file it remembers fingerprints of what
was last rendered into it, so edits are found by comparing a file with what we wrote.

WAL journal (readers never block the writer); ``backup`` copies it whole (``VACUUM INTO``);
both come with pipeline.infra.database, as for the translation memory.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.infra.database import Schema
from pipeline.model.annotations import Conflict, Repair, RepairKind
from pipeline.model.document import Document, Translation
from pipeline.model.errors import InputError
from pipeline.model.status import Status
from pipeline.store import codec
from pipeline.store.comments import MIGRATION, Comments
from pipeline.store.complete import MIGRATION as COMPLETE
from pipeline.store.complete import Completion
from pipeline.store.layout import distinct
from pipeline.store.listing import Listing
from pipeline.store.previous import Kept, Kind

NAME = "review.sqlite"
SCHEMA_VERSION = 3
#: PRAGMA application_id ("RVDE"), so another SQLite file is not taken for a review store.
APPLICATION_ID = 0x52564445
#: Renders remembered per file: enough to recognise a file left behind by a killed run.
RENDERS_KEPT = 4

_SCHEMA = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE article (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE,
        slug TEXT NOT NULL UNIQUE, name TEXT NOT NULL, format TEXT NOT NULL,
        language TEXT NOT NULL, document TEXT, glossary TEXT, langs TEXT)""",
    """CREATE TABLE segment (article INTEGER NOT NULL REFERENCES article (id),
        lang TEXT NOT NULL, sid TEXT NOT NULL, position INTEGER, source TEXT NOT NULL,
        target TEXT NOT NULL, status TEXT NOT NULL, engine TEXT, author TEXT, place TEXT,
        previous_source TEXT, repairs TEXT NOT NULL DEFAULT '[]', revision INTEGER NOT NULL,
        memorized INTEGER NOT NULL DEFAULT 0, segment TEXT, detail TEXT,
        PRIMARY KEY (article, lang, sid))""",
    """CREATE TABLE history (seq INTEGER PRIMARY KEY AUTOINCREMENT,
        article INTEGER NOT NULL REFERENCES article (id), lang TEXT NOT NULL, sid TEXT,
        kind TEXT NOT NULL, source TEXT NOT NULL, target TEXT NOT NULL, status TEXT NOT NULL,
        engine TEXT, author TEXT, place TEXT, at TEXT NOT NULL)""",
    "CREATE INDEX history_by_segment ON history (article, lang, sid)",
    """CREATE TABLE alternative (seq INTEGER PRIMARY KEY REFERENCES history (seq),
        article INTEGER NOT NULL, lang TEXT NOT NULL, sid TEXT NOT NULL, resolved INTEGER)""",
    """CREATE TABLE summary (article INTEGER NOT NULL REFERENCES article (id),
        lang TEXT NOT NULL, counts TEXT NOT NULL, errors INTEGER NOT NULL,
        changed INTEGER NOT NULL, PRIMARY KEY (article, lang))""",
    """CREATE TABLE render (id INTEGER PRIMARY KEY AUTOINCREMENT, path TEXT NOT NULL,
        digest TEXT NOT NULL, hash TEXT NOT NULL, entries TEXT NOT NULL,
        seen INTEGER NOT NULL DEFAULT 0)""",
    "CREATE INDEX render_by_path ON render (path, id)",
)
_MIGRATIONS = {2: MIGRATION, 3: COMPLETE}


@dataclass(frozen=True)
class Change:
    """A new current target for one segment."""

    sid: str
    source: str
    target: str
    status: Status
    engine: str | None = None
    author: str | None = None
    where: str | None = None
    previous_source: str | None = None
    repairs: tuple[Repair, ...] = ()


@dataclass(frozen=True)
class Rendered:
    """What one output file held when we wrote it (or last read it): the render it names,
    the hash of its bytes, and per entry the source, target and status as the file shows it
    (``mark``: PO ``fuzzy`` or empty, the XLIFF state)."""

    digest: str
    hash: str
    entries: dict[str, str]
    #: a file as a harvest read it (``digest``: the render it names), not one we wrote
    seen: bool = False
    #: per entry with a comment, what the file shows of it (see harvest.shown)
    comments: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Event:
    """One history row; ``open`` marks an alternative nobody has settled yet."""

    seq: int
    kind: Kind
    lang: str
    sid: str | None
    source: str
    target: str
    status: Status
    where: str | None
    author: str | None
    at: str
    open: bool = False


class UnknownArticle(InputError):
    """No article of that name in the store."""


class ReviewStore(Listing, Comments, Completion):
    """The store file; open with :meth:`open`, use as a context manager."""

    SCHEMA = Schema("review store", APPLICATION_ID, SCHEMA_VERSION, _SCHEMA, _MIGRATIONS)

    @classmethod
    def open(cls, path: Path) -> ReviewStore:
        """Open or create the store; a foreign or newer file is an InputError."""
        return cls._opened(Path(path))

    # -- articles -----------------------------------------------------------------------
    def setting(self, key: str) -> str | None:
        with self._guard():
            row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def record(self, key: str, value: str) -> None:
        with self.transaction():
            self._conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def place(self, key: str, slug: str, name: str, fmt: str, language: str
              ) -> tuple[int, str]:
        """The article's id and output name: the one it had, else ``slug``, else the first
        free ``slug-2``, ``slug-3`` … (another article already writes under ``slug``)."""
        with self._guard():
            row = self._conn.execute("SELECT id, slug FROM article WHERE key = ?",
                                     (key,)).fetchone()
        if row is not None:
            return int(row[0]), str(row[1])
        with self.transaction():
            pattern = slug.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            taken = {r[0] for r in self._conn.execute(
                "SELECT slug FROM article WHERE slug = ? OR slug LIKE ? ESCAPE '\\'",
                (slug, pattern + "-%"))}
            chosen = distinct(slug, taken)
            cursor = self._conn.execute(
                "INSERT INTO article (key, slug, name, format, language) VALUES (?, ?, ?, ?, ?)",
                (key, chosen, name, fmt, language))
        return int(cursor.lastrowid or 0), chosen

    # -- segments -----------------------------------------------------------------------
    def segments(self, article: int, lang: str) -> dict[str, Kept]:
        """Every segment the store holds for the article in ``lang``, in document order
        (gone ones last), with their unsettled alternatives."""
        conflicts: dict[str, list[Conflict]] = {}
        with self._guard():
            for sid, place, target, seq in self._conn.execute(
                    "SELECT a.sid, h.place, h.target, h.seq FROM alternative a JOIN history h "
                    "ON h.seq = a.seq WHERE a.article = ? AND a.lang = ? AND a.resolved IS NULL "
                    "ORDER BY a.seq", (article, lang)):
                conflicts.setdefault(sid, []).append(Conflict(place or "?", target, seq))
            rows = self._conn.execute(
                "SELECT sid, source, target, status, revision, engine, place, previous_source,"
                " repairs, memorized, position, CASE WHEN status = ? AND instr(detail, "
                "'\"terms\":[]') = 0 THEN detail END FROM segment WHERE article = ? AND "
                "lang = ? ORDER BY position IS NULL, position",
                (Status.MACHINE.value, article, lang)).fetchall()
        return {row[0]: Kept(row[1], row[2], Status(row[3]), row[4], row[5], row[6], row[7],
                             _repairs(row[8]), bool(row[9]), row[10] is not None,
                             tuple(conflicts.get(row[0], ())), codec.choices_from(row[11]))
                for row in rows}

    def gone(self, article: int, lang: str) -> list[tuple[str, str, str, bool]]:
        """People's translations of sentences that left the article: (id, source, target,
        fuzzy), in the order they were made."""
        with self._guard():
            rows = self._conn.execute(
                "SELECT sid, source, target, status FROM segment WHERE article = ? AND "
                "lang = ? AND position IS NULL AND status IN (?, ?, ?) ORDER BY revision",
                (article, lang, Status.DRAFT, Status.REVIEWED, Status.FINAL)).fetchall()
        return [(sid, source, target, Status(status).form.fuzzy)
                for sid, source, target, status in rows]

    def apply(self, article: int, lang: str, changes: Iterable[Change], kind: Kind, *,
              settle_upto: int | None = None) -> list[int]:
        """Make each change the current target (one history row each); the new revisions.
        A person's edit settles the segment's open alternatives (only those recorded up to
        ``settle_upto``, when the editor could not have seen later ones)."""
        seqs = []
        with self.transaction():
            for change in changes:
                seq = self._history(article, lang, change, kind)
                self._conn.execute(
                    "INSERT INTO segment (article, lang, sid, source, target, status, engine, "
                    "author, place, previous_source, repairs, revision, memorized) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0) "
                    "ON CONFLICT (article, lang, sid) DO UPDATE SET source = excluded.source, "
                    "target = excluded.target, status = excluded.status, "
                    "engine = excluded.engine, author = excluded.author, place = excluded.place,"
                    " previous_source = excluded.previous_source, repairs = excluded.repairs, "
                    "revision = excluded.revision, memorized = 0",
                    (article, lang, change.sid, change.source, change.target, change.status,
                     change.engine, change.author, change.where, change.previous_source,
                     json.dumps([[r.kind, r.item, r.value] for r in change.repairs]), seq))
                if kind == Kind.EDIT:
                    self._conn.execute(
                        "UPDATE alternative SET resolved = ? WHERE article = ? AND lang = ? "
                        "AND sid = ? AND resolved IS NULL AND seq <= ?",
                        (seq, article, lang, change.sid,
                         seq if settle_upto is None else settle_upto))
                seqs.append(seq)
        return seqs

    def keep_aside(self, article: int, lang: str, change: Change, kind: Kind) -> int:
        """A person's text that does not become the target (an alternative, or unplaced):
        into history, and for an alternative onto the segment until someone settles it."""
        with self.transaction():
            seq = self._history(article, lang, change, kind)
            if kind == Kind.ALTERNATIVE:
                self._conn.execute("INSERT INTO alternative VALUES (?, ?, ?, ?, NULL)",
                                   (seq, article, lang, change.sid))
        return seq

    def dismiss(self, article: int, lang: str, seq: int, author: str | None = None,
                where: str | None = None) -> bool:
        """Settle the open alternative kept as history row ``seq`` without taking its text
        (a ``dismissed`` row records who did); False when it is not open (any more)."""
        with self.transaction():
            row = self._conn.execute(
                "SELECT h.sid, h.source, h.target, h.status FROM alternative a JOIN history h "
                "ON h.seq = a.seq WHERE a.seq = ? AND a.article = ? AND a.lang = ? "
                "AND a.resolved IS NULL", (seq, article, lang)).fetchone()
            if row is None:
                return False
            settled = self._history(article, lang, Change(row[0], row[1], row[2], Status(row[3]),
                                                          author=author, where=where),
                                    Kind.DISMISSED)
            self._conn.execute("UPDATE alternative SET resolved = ? WHERE seq = ?",
                               (settled, seq))
        return True

    def _history(self, article: int, lang: str, change: Change, kind: Kind) -> int:
        cursor = self._conn.execute(
            "INSERT INTO history (article, lang, sid, kind, source, target, status, engine, "
            "author, place, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (article, lang, change.sid or None, kind, change.source, change.target,
             change.status, change.engine, change.author, change.where,
             dt.datetime.now(dt.UTC).isoformat(timespec="seconds")))
        return int(cursor.lastrowid or 0)

    def arrange(self, article: int, lang: str, order: Sequence[str]) -> None:
        """Record the article's current segment order; the others have left it."""
        with self.transaction():
            self._conn.execute("UPDATE segment SET position = NULL WHERE article = ? AND "
                               "lang = ?", (article, lang))
            self._conn.executemany(
                "UPDATE segment SET position = ? WHERE article = ? AND lang = ? AND sid = ?",
                ((number, article, lang, sid) for number, sid in enumerate(order)))

    def describe(self, article: int, document: Document, glossary: str,
                 langs: Sequence[str]) -> None:
        """Keep what the article's views are rendered from besides its segments: the
        segmented document, the glossary's views, the languages in page order."""
        with self.transaction():
            self._conn.execute("UPDATE article SET document = ?, glossary = ?, langs = ? "
                               "WHERE id = ?", (codec.document_json(document), glossary,
                                                json.dumps(list(langs)), article))

    def annotate(self, article: int, lang: str, translations: Iterable[Translation]) -> None:
        """Keep each translation's segment and everything the run learnt about it."""
        with self.transaction():
            self._conn.executemany(
                "UPDATE segment SET segment = ?, detail = ? WHERE article = ? AND lang = ? "
                "AND sid = ?", ((codec.segment_json(t.segment), codec.detail_json(t), article,
                                 lang, t.segment.id) for t in translations))

    def languages(self, article: int) -> list[str]:
        """The article's languages in page order, as its last render had them."""
        with self._guard():
            row = self._conn.execute("SELECT langs FROM article WHERE id = ?",
                                     (article,)).fetchone()
        return list(json.loads(row[0])) if row and row[0] else []

    def view(self, article: int) -> tuple[Document, str | None, dict[str, list[Translation]]]:
        """The article as its last render saw it, from the store alone: the document, the
        glossary's views and, per language in page order, the translations."""
        with self._guard():
            document, glossary, langs = self._conn.execute(
                "SELECT document, glossary, langs FROM article WHERE id = ?",
                (article,)).fetchone()
        if document is None:
            raise InputError("no render of this article in the review store yet",
                             path=self.path)
        found: dict[str, list[Translation]] = {}
        for lang in json.loads(langs):
            kept = self.segments(article, lang)
            with self._guard():
                rows = self._conn.execute(
                    "SELECT sid, segment, detail FROM segment WHERE article = ? AND lang = ? "
                    "AND position IS NOT NULL AND segment IS NOT NULL ORDER BY position",
                    (article, lang)).fetchall()
            found[lang] = [codec.translation_from(codec.segment_from(sid, segment), lang,
                                                  kept[sid], detail)
                           for sid, segment, detail in rows]
        return codec.document_from(document), glossary, found

    def texts(self, article: int, lang: str, sid: str) -> set[str]:
        """Every text the segment ever had (runs' and people's)."""
        with self._guard():
            return {target for (target,) in self._conn.execute(
                "SELECT target FROM history WHERE article = ? AND lang = ? AND sid = ? "
                "AND kind NOT IN (?, ?)", (article, lang, sid, Kind.COMMENT, Kind.COMMENT_ASIDE))}

    def memorized(self, article: int, lang: str, sids: Iterable[str]) -> None:
        """These segments' sign-offs are in the memory now."""
        with self.transaction():
            self._conn.executemany(
                "UPDATE segment SET memorized = 1 WHERE article = ? AND lang = ? AND sid = ?",
                ((article, lang, sid) for sid in sids))

    def article_id(self, slug: str) -> int:
        """The article written under ``slug``; an InputError naming the known ones if none."""
        with self._guard():
            row = self._conn.execute("SELECT id FROM article WHERE slug = ?", (slug,)).fetchone()
            if row is None:
                raise UnknownArticle(f"no article {slug!r} in the review store",
                                     path=self.path)
        return int(row[0])

    def history(self, article: int, lang: str | None = None, sid: str | None = None
                ) -> list[Event]:
        """Every change of the article (in ``lang``, of ``sid``), oldest first."""
        query = ("SELECT h.seq, h.kind, h.lang, h.sid, h.source, h.target, h.status, h.place, "
                 "h.author, h.at, a.seq IS NOT NULL AND a.resolved IS NULL FROM history h "
                 "LEFT JOIN alternative a ON a.seq = h.seq WHERE h.article = ?")
        params: tuple[object, ...] = (article,)
        for column, value in (("lang", lang), ("sid", sid)):
            if value is not None:
                query, params = query + f" AND h.{column} = ?", (*params, value)
        with self._guard():
            return [Event(row[0], Kind(row[1]), row[2], row[3], row[4], row[5], Status(row[6]),
                          row[7], row[8], row[9], bool(row[10]))
                    for row in self._conn.execute(query + " ORDER BY h.seq", params)]

    # -- renders ------------------------------------------------------------------------
    def renders(self, path: str) -> list[Rendered]:
        """What was rendered into the file at ``path`` (relative to the output root), newest
        first."""
        with self._guard():
            rows = self._conn.execute("SELECT digest, hash, entries, seen, comments FROM render "
                                      "WHERE path = ? ORDER BY id DESC", (path,)).fetchall()
        return [Rendered(r[0], r[1], json.loads(r[2]), bool(r[3]), json.loads(r[4]))
                for r in rows]

    def rendered(self, path: str, render: Rendered) -> None:
        """Remember a render (before the file is written), or a file as a harvest read it;
        older ones beyond RENDERS_KEPT go."""
        with self.transaction():
            entries = json.dumps(render.entries, separators=(",", ":"))
            self._conn.execute("DELETE FROM render WHERE path = ? AND hash = ? AND seen = ?",
                               (path, render.hash, render.seen))  # one row per distinct file
            self._conn.execute("INSERT INTO render (path, digest, hash, entries, seen, comments)"
                               " VALUES (?, ?, ?, ?, ?, ?)",
                               (path, render.digest, render.hash, entries, render.seen,
                                json.dumps(render.comments, separators=(",", ":"))))
            self._conn.execute(
                "DELETE FROM render WHERE path = ? AND seen = ? AND id NOT IN (SELECT id "
                "FROM render WHERE path = ? AND seen = ? ORDER BY id DESC LIMIT ?)",
                (path, render.seen, path, render.seen, RENDERS_KEPT))


def _repairs(text: str) -> tuple[Repair, ...]:
    return tuple(Repair(RepairKind(kind), item, value) for kind, item, value in json.loads(text))
