"""A reviewer's comment on a segment in one language, kept in the review store like the
translations: the current one per segment, every version in the history (kind ``comment``),
so a comment written in the workspace, a PO file (``# `` translator comment) or an XLIFF
note is never lost. Files render the current comment; a harvest reads changed ones back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from pipeline.infra.database import Database
from pipeline.model.status import Status
from pipeline.store.previous import Kind

#: Statements that bring a version 1 store up to version 2 (comments; the comments a render
#: wrote, so a harvest can tell a changed comment from the one we wrote).
MIGRATION = (
    """CREATE TABLE comment (article INTEGER NOT NULL REFERENCES article (id),
        lang TEXT NOT NULL, sid TEXT NOT NULL, text TEXT NOT NULL, author TEXT, place TEXT,
        revision INTEGER NOT NULL, PRIMARY KEY (article, lang, sid))""",
    "ALTER TABLE render ADD COLUMN comments TEXT NOT NULL DEFAULT '{}'",
)
#: Longest comment kept (a note to a colleague, not a document).
MAX_COMMENT = 5_000


def normal(text: str) -> str:
    """A comment as every file keeps it: lines without trailing blanks, no blank lines
    around it (a PO file drops those; a comment must read back as it was saved)."""
    return "\n".join(line.rstrip() for line in text.splitlines()).strip("\n").strip()


@dataclass(frozen=True)
class Comment:
    """A comment on segment ``sid``; ``text`` empty: a comment that was cleared."""

    sid: str
    text: str
    author: str | None = None
    where: str | None = None
    revision: int = 0


class Comments(Database):
    """The store's comment table (ReviewStore has it)."""

    def comments(self, article: int, lang: str) -> dict[str, Comment]:
        """The current comment per segment (cleared ones too: a file must lose them)."""
        with self._guard():
            rows = self._conn.execute(
                "SELECT sid, text, author, place, revision FROM comment WHERE article = ? "
                "AND lang = ?", (article, lang)).fetchall()
        return {row[0]: Comment(*row) for row in rows}

    def comment(self, article: int, lang: str, comment: Comment, kind: Kind = Kind.COMMENT
                ) -> int:
        """Make ``comment`` the segment's current one (``kind`` COMMENT), or keep it in the
        history only (COMMENT_ASIDE: it was written against one that changed meanwhile); the
        history row's sequence number."""
        comment = replace(comment, text=normal(comment.text))
        with self.transaction():
            row = self._conn.execute(
                "SELECT source, status FROM segment WHERE article = ? AND lang = ? AND sid = ?",
                (article, lang, comment.sid)).fetchone()
            source, status = row if row is not None else ("", Status.DRAFT)
            cursor = self._conn.execute(
                "INSERT INTO history (article, lang, sid, kind, source, target, status, "
                "author, place, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (article, lang, comment.sid, kind, source, comment.text, status,
                 comment.author, comment.where,
                 dt.datetime.now(dt.UTC).isoformat(timespec="seconds")))
            seq = int(cursor.lastrowid or 0)
            if kind is Kind.COMMENT:
                self._conn.execute(
                    "INSERT OR REPLACE INTO comment VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (article, lang, comment.sid, comment.text, comment.author, comment.where,
                     seq))
        return seq
