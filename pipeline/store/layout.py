"""Where a run's outputs live, so the writer, the previous-state reader, ``import`` and the
tests agree on the layout."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Paths:
    """Where one article's outputs for one language go."""

    po: Path
    markdown: Path
    jsonl: Path
    xliff: Path
    terms: Path


def paths(out_dir: Path, lang: str, slug: str) -> Paths:
    """``<out>/<lang>/LC_MESSAGES/<slug>.po``, ``<out>/<lang>/<slug>.{md,jsonl,xlf,terms.md}``."""
    folder = Path(out_dir) / lang
    return Paths(folder / "LC_MESSAGES" / f"{slug}.po", folder / f"{slug}.md",
                 folder / f"{slug}.jsonl", folder / f"{slug}.xlf", folder / f"{slug}.terms.md")


def review_path(out_dir: Path, slug: str) -> Path:
    """``<out>/review/<slug>.html``: all languages of an article side by side."""
    return Path(out_dir) / "review" / f"{slug}.html"
