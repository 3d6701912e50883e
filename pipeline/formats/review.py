"""The side-by-side review page: one static HTML file per article, source next to each target.

The page is for a human reviewer, so it is built to be safe to open whatever an article,
a translation or a QA message contains: every text goes through Jinja2's autoescaping, the
only markup made in Python (glossary highlights) escapes each piece itself, and a strict
Content-Security-Policy forbids scripts and any network load. It needs no JavaScript: the
column and "only findings" filters are checkboxes read by CSS ``:has()``.
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from pipeline.formats.notes import render_notes
from pipeline.infra.atomic import write_text
from pipeline.ingest.tweets import format_attribution
from pipeline.model import languages
from pipeline.model.annotations import Finding
from pipeline.model.document import (
    Attribution,
    Block,
    BlockKind,
    Document,
    InlineCode,
    Segment,
    Translation,
)
from pipeline.model.status import MISSING_LABEL, Status

#: No scripts, no fetches, no forms, no <base>: the page only ever shows its own text.
CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

STATUSES = (*(status.form.label for status in Status), MISSING_LABEL)
SEVERITIES = ("error", "warning", "info")
_TEMPLATE = "review.html.j2"


@dataclass(frozen=True)
class TermView:
    """A glossary hit to highlight: ``start``/``end`` are offsets into ``Segment.text``."""

    start: int
    end: int
    concept_id: str
    target: str


@dataclass(frozen=True)
class _Cell:
    lang: str
    direction: str
    status: str
    text: str
    findings: tuple[Finding, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Row:
    segment: Segment | None
    source: Markup
    cells: tuple[_Cell, ...]
    #: the kind shown beside the source ("" where the layout shows it: headings, items)
    kind: str = ""

    @property
    def has_findings(self) -> bool:
        return any(cell.findings for cell in self.cells)


@dataclass(frozen=True)
class _Column:
    lang: str
    name: str
    direction: str


@dataclass(frozen=True)
class _BlockView:
    block: Block
    rows: tuple[_Row, ...]
    heading: int = 0
    attribution: tuple[str, tuple[str, ...]] | None = None


@dataclass
class _Summary:
    segments: int = 0
    counts: dict[str, Counter] = field(default_factory=dict)


def render_review(
    document: Document,
    translations_by_lang: Mapping[str, Sequence[Translation]],
    *,
    terms: Mapping[str, Sequence[TermView]] | None = None,
    findings: Mapping[tuple[str, str], Sequence[Finding]] | None = None,
    home: str | None = None,
) -> str:
    """The review page for one article; columns follow the order of ``translations_by_lang``;
    ``home`` links back to a list of articles (the review workspace).

    ``terms`` is keyed by segment id, ``findings`` by ``(lang, segment id)`` (by default each
    translation's own findings). Rows are the
    segments found in any language's translations, in reading order; a language lacking a
    segment gets a cell marked ``missing``, and a block with no segment at all is still shown
    (source only) so nothing in the article is silently left out of review.
    """
    langs = list(translations_by_lang)
    by_lang = {lang: {t.segment.id: t for t in items}
               for lang, items in translations_by_lang.items()}
    if findings is None:
        findings = {(lang, sid): t.findings for lang, items in by_lang.items()
                    for sid, t in items.items() if t.findings}
    segments = _segments(translations_by_lang.values())
    blocks = [
        _block_view(document, block, segments.get(block.index, []), langs, by_lang,
                    terms or {}, findings or {})
        for block in document.blocks
    ]
    return _environment().get_template(_TEMPLATE).render(
        csp=CSP,
        home=home,
        document=document,
        source_column=_column(document.language),
        columns=[_column(lang) for lang in langs],
        summary=_summarize(blocks, langs),
        statuses=STATUSES,
        blocks=blocks,
    )


def write_review(
    path: Path,
    document: Document,
    translations_by_lang: Mapping[str, Sequence[Translation]],
    *,
    terms: Mapping[str, Sequence[TermView]] | None = None,
    findings: Mapping[tuple[str, str], Sequence[Finding]] | None = None,
) -> None:
    """Write the page atomically, so a reviewer never opens a half-written file."""
    write_text(Path(path), render_review(document, translations_by_lang, terms=terms,
                                         findings=findings))


def status(translation: Translation | None) -> str:
    """The reviewer's word for a target (see the table in :mod:`pipeline.model.status`)."""
    return MISSING_LABEL if translation is None else translation.status.form.label


@functools.lru_cache(maxsize=1)
def _format_characters() -> re.Pattern[str]:
    """Any character of Unicode category Cf, as this Python's unicodedata has them."""
    found = "".join(chr(c) for c in range(sys.maxunicode + 1)
                    if unicodedata.category(chr(c)) == "Cf")
    return re.compile(f"[{re.escape(found)}]")


def show_invisible(text: str) -> Markup:
    """``text`` escaped, every invisible format character (bidi controls, zero-width
    characters) replaced by a visible, named marker, so none can reorder or hide text."""
    if _format_characters().search(text) is None:  # nearly every text: nothing to mark
        return escape(text)
    parts: list[Markup] = []
    start = 0
    for index, char in enumerate(text):
        if unicodedata.category(char) == "Cf":
            parts.append(escape(text[start:index]))
            name = unicodedata.name(char, "FORMAT CHARACTER")
            parts.append(Markup('<span class="invisible" title="{}">⟨U+{:04X}⟩</span>').format(
                name, ord(char)))
            start = index + 1
    parts.append(escape(text[start:]))
    return Markup("").join(parts)


def highlight_terms(text: str, terms: Sequence[TermView],
                    codes: Sequence[InlineCode] = ()) -> Markup:
    """``text`` escaped, with each usable glossary hit wrapped in ``<mark class="term">`` and
    each inline code (a tag, a Markdown mark) shown as the protected markup it is
    (``<code class="tag">``).

    Offsets come from another stage and may be stale: spans outside the text, empty or
    reversed are dropped, and of overlapping spans the earliest (then longest) wins, so the
    markup always nests correctly.
    """
    spans: list[tuple[int, int, TermView | None]] = [
        (t.start, t.end, t) for t in _usable_terms(len(text), terms)]
    spans += [(c.start, c.end, None) for c in codes if 0 <= c.start < c.end <= len(text)]
    parts: list[Markup] = []
    position = 0
    for start, end, term in sorted(spans, key=lambda s: (s[0], -s[1])):
        if start < position:
            continue
        parts.append(show_invisible(text[position:start]))
        if term is None:
            parts.append(Markup('<code class="tag" title="markup, kept as it is">{}</code>')
                         .format(show_invisible(text[start:end])))
        else:
            parts.append(Markup('<mark class="term" title="{}" data-concept="{}">{}</mark>')
                         .format(f"concept: {term.concept_id} → {term.target}",
                                 term.concept_id, show_invisible(text[start:end])))
        position = end
    parts.append(show_invisible(text[position:]))
    return Markup("").join(parts)


def _usable_terms(length: int, terms: Sequence[TermView]) -> list[TermView]:
    valid = [t for t in terms if isinstance(t.start, int) and isinstance(t.end, int)
             and 0 <= t.start < t.end <= length]
    return sorted(valid, key=lambda t: (t.start, -t.end))


def severity_class(severity: str) -> str:
    """A CSS class from a finding's severity; anything unknown is shown as ``info``."""
    value = str(severity).strip().lower()
    return value if value in SEVERITIES else "info"


@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    """Templates ship inside the package; autoescape is on for every template, always."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("pipeline.formats", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["severity_class"] = severity_class
    env.filters["visible"] = show_invisible
    return env


def _segments(groups: Iterable[Sequence[Translation]]) -> dict[int, list[Segment]]:
    """Each block's segments, deduplicated by id across languages, in document order."""
    seen: dict[str, Segment] = {}
    for items in groups:
        for translation in items:
            seen.setdefault(translation.segment.id, translation.segment)
    by_block: dict[int, list[Segment]] = {}
    for segment in sorted(seen.values(), key=lambda s: (s.block, s.start, s.id)):
        by_block.setdefault(segment.block, []).append(segment)
    return by_block


def _block_view(
    document: Document,
    block: Block,
    segments: Sequence[Segment],
    langs: Sequence[str],
    by_lang: Mapping[str, Mapping[str, Translation]],
    terms: Mapping[str, Sequence[TermView]],
    findings: Mapping[tuple[str, str], Sequence[Finding]],
) -> _BlockView:
    if segments:
        rows = tuple(_row(s, langs, by_lang, terms, findings) for s in segments)
    else:
        rows = (_Row(None, escape(block.text), tuple(
            _Cell(lang, _direction(lang), "missing", "") for lang in langs), _shown(block.kind)),)
    heading = min(6, max(2, block.level + 1)) if block.kind is BlockKind.HEADING else 0
    attribution = None
    if block.kind is BlockKind.TWEET and block.attribution is not None:
        attribution = (_attribution(block.attribution, document.language),
                       tuple(_attribution(block.attribution, lang) for lang in langs))
    return _BlockView(block, rows, heading, attribution)


def _row(
    segment: Segment,
    langs: Sequence[str],
    by_lang: Mapping[str, Mapping[str, Translation]],
    terms: Mapping[str, Sequence[TermView]],
    findings: Mapping[tuple[str, str], Sequence[Finding]],
) -> _Row:
    cells = []
    for lang in langs:
        translation = by_lang[lang].get(segment.id)
        cells.append(_Cell(
            lang=lang,
            direction=_direction(lang),
            status=status(translation),
            text=translation.target if translation is not None else "",
            findings=tuple(findings.get((lang, segment.id), ())),
            # QA findings are shown as badges already; the other notes explain decisions
            notes=tuple(render_notes(replace(translation, findings=())))
            if translation is not None else (),
        ))
    return _Row(segment, highlight_terms(segment.text, terms.get(segment.id, ()), segment.codes),
                tuple(cells), _shown(segment.kind))


def _shown(kind: BlockKind) -> str:
    """A reviewer sees what a row is: a tweet, a credit or dateline kept from the engine, …"""
    return "" if kind in (BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.LIST_ITEM) \
        else kind.value


def _attribution(attribution: Attribution, lang: str) -> str:
    """The localized attribution line; a locale Babel does not know keeps the date as written."""
    from babel.core import UnknownLocaleError

    try:
        return format_attribution(attribution, lang)
    except (UnknownLocaleError, ValueError, TypeError):
        return format_attribution(
            Attribution(attribution.author, attribution.handle, None, attribution.date_text),
            lang,
        )


def _summarize(blocks: Sequence[_BlockView], langs: Sequence[str]) -> _Summary:
    summary = _Summary(counts={lang: Counter() for lang in langs})
    for block in blocks:
        for row in block.rows:
            if row.segment is None:
                continue
            summary.segments += 1
            for cell in row.cells:
                summary.counts[cell.lang][cell.status] += 1
                for finding in cell.findings:
                    summary.counts[cell.lang][f"finding-{severity_class(finding.severity)}"] += 1
    return summary


def _column(lang: str) -> _Column:
    return _Column(lang, _language_name(lang), _direction(lang))


def _language_name(lang: str) -> str:
    """The language's English name for the column header; the bare code if Babel lacks it."""
    locale = languages.locale(lang)
    return (locale.get_display_name("en") if locale is not None else None) or lang


def _direction(lang: str) -> str:
    """``rtl`` for Arabic, Hebrew, …: a reviewer must see the text as readers will."""
    locale = languages.locale(lang)
    if locale is None:
        return "auto"
    return "rtl" if locale.character_order == "right-to-left" else "ltr"
