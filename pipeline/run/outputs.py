"""Every output of one article: per language PO, Markdown, JSONL and XLIFF; one review page.

Paths live here so the runner, the import command and the tests agree on the layout.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.formats import po
from pipeline.formats.jsonl import render_jsonl
from pipeline.formats.markdown import render_markdown
from pipeline.infra.atomic import write_text
from pipeline.model.document import Document, Translation


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
    folder = out_dir / lang
    return Paths(folder / "LC_MESSAGES" / f"{slug}.po", folder / f"{slug}.md",
                 folder / f"{slug}.jsonl", folder / f"{slug}.xlf", folder / f"{slug}.terms.md")


def review_path(out_dir: Path, slug: str) -> Path:
    """``<out>/review/<slug>.html``: all languages of an article side by side."""
    return out_dir / "review" / f"{slug}.html"


def write_language(document: Document, translations: Sequence[Translation], lang: str,
                   where: Paths, previous_catalog, terms: Mapping[str, list] | None = None) -> None:
    """PO, Markdown, JSONL and XLIFF for one language, each written atomically."""
    from pipeline.formats.xliff import Match, write_xliff

    po.write_catalog(where.po, po.build_catalog(document, translations, lang, previous_catalog))
    write_text(where.markdown, render_markdown(document, translations, lang))
    write_text(where.jsonl, render_jsonl(document, translations, lang))
    matches = {t.segment.id: [Match(*m) for m in t.matches] for t in translations if t.matches}
    write_xliff(where.xliff, document, translations, lang, terms=terms or None,
                matches=matches or None)


def write_review(document: Document, by_lang: Mapping[str, Sequence[Translation]], path: Path,
                 terms: Mapping[str, list] | None = None) -> None:
    """The review page; QA findings are read back from each translation's notes."""
    from pipeline.formats.review import FindingView
    from pipeline.formats.review import write_review as write_page
    from pipeline.qa.checks import parse_finding

    findings = {}
    for lang, translations in by_lang.items():
        for t in translations:
            views = [FindingView(f.severity, f.check, f.message)
                     for f in (parse_finding(n) for n in t.notes) if f is not None]
            if views:
                findings[(lang, t.segment.id)] = views
    write_page(path, document, by_lang, terms=terms or None, findings=findings)
