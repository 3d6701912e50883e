"""Talking to the workspace as a page does: with the CSRF token; finding a segment."""

from __future__ import annotations

import sqlite3

from starlette.testclient import TestClient

from pipeline.workspace.app import create_app
from pipeline.workspace.security import CSRF_COOKIE, CSRF_HEADER


def client(out, glossary=None) -> TestClient:
    opened = TestClient(create_app(out, glossary=glossary), base_url="http://127.0.0.1")
    opened.get("/")  # hands out the CSRF cookie, which a page echoes in a header
    opened.headers[CSRF_HEADER] = opened.cookies[CSRF_COOKIE]
    return opened


def segment(out, lang="en", index=1):
    with sqlite3.connect(out / "review.sqlite") as conn:
        return conn.execute(
            "SELECT s.sid, s.revision, s.target FROM segment s JOIN article a ON a.id = "
            "s.article WHERE a.slug = 'sora' AND s.lang = ? ORDER BY s.position LIMIT 1 "
            "OFFSET ?", (lang, index)).fetchone()


def history(out, sid, columns="kind, target, status, author", lang="en"):
    """The English history rows of a segment, oldest first."""
    with sqlite3.connect(out / "review.sqlite") as conn:
        return conn.execute(f"SELECT {columns} FROM history WHERE sid = ? AND lang = ? "
                            "ORDER BY seq", (sid, lang)).fetchall()
