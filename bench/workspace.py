"""The review workspace under load: the time to open an article of 200 sentences in three
languages, and save latency (p50/p95) with 8 clients saving at once, against a real uvicorn
server on loopback.

    python bench/workspace.py [--saves 20] [--out bench/results/workspace.json]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SENTENCES = 200
CLIENTS = 8


def article_text() -> str:
    """SENTENCES sentences of the sample, one paragraph each (one segment each)."""
    from pipeline.ingest.article import parse_article
    from pipeline.ingest.segment import segment_document

    sample = ROOT / "articles" / "de" / "sora-hollywood.txt"
    document = parse_article(sample.read_text(encoding="utf-8"), path=sample, fmt="text")
    texts = [s.text for s in segment_document(document)]
    single = [t for t in texts if t.endswith((".", "?", "!", '"'))]
    return "\n\n".join(f"Absatz {n}: {single[n % len(single)]}"
                       for n in range(SENTENCES)) + "\n"


def _views(client) -> list[float]:  # noqa: ANN001 (an httpx2 client)
    """Seconds to open the article, five times."""
    client.get("/")
    views = []
    for _ in range(5):
        start = time.perf_counter()
        assert client.get("/article/a").status_code == 200
        views.append(time.perf_counter() - start)
    return views


def _saves(base: str, rows: list[tuple[str, int]], saves: int, clients: int = CLIENTS
           ) -> list[float]:
    """``clients`` reviewers saving at once, ``saves`` each; every save's latency."""
    import httpx2 as httpx

    latencies: list[float] = []

    def reviewer(number: int) -> None:
        http = httpx.Client(base_url=base, timeout=120)
        http.get("/")
        http.headers["x-csrf-token"] = http.cookies["pipeline_csrf"]
        for k in range(saves):
            sid, revision = rows[(number * saves + k) % len(rows)]
            start = time.perf_counter()
            answer = http.post(f"/article/a/en/{sid}", json={
                "text": f"Reviewer {number}, save {k}.", "action": "approve",
                "revision": revision})
            latencies.append(time.perf_counter() - start)
            assert answer.status_code in (200, 409), answer.text

    threads = [threading.Thread(target=reviewer, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(latencies)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--saves", type=int, default=20, help="saves per client")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    import httpx2 as httpx

    from pipeline import translate_articles, write_results
    from pipeline.workspace.app import create_app
    from pipeline.workspace.server import running

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "a.txt").write_text(article_text(), encoding="utf-8")
        out = folder / "out"
        write_results(translate_articles([folder / "a.txt"], targets=["en", "fr", "es"],
                                         engine="pseudo", glossary=ROOT / "glossary"), out)
        with sqlite3.connect(out / "review.sqlite") as conn:
            rows = conn.execute("SELECT sid, revision FROM segment WHERE lang = 'en' AND "
                                "position IS NOT NULL ORDER BY position").fetchall()
        with running(create_app(out)) as base:
            views = _views(httpx.Client(base_url=base))
            alone = _saves(base, rows[-10:], 10, clients=1)
            latencies = _saves(base, rows[:-10], args.saves)
    report = {
        "segments": len(rows), "languages": 3,
        "article_view_s": round(statistics.median(views), 3),
        "save_alone_s": round(statistics.median(alone), 3),
        "clients": CLIENTS, "saves": len(latencies),
        "save_p50_s": round(latencies[len(latencies) // 2], 3),
        "save_p95_s": round(latencies[int(len(latencies) * 0.95) - 1], 3),
    }
    print(json.dumps(report, indent=2))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
