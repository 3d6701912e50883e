"""The ``run`` job: articles in, aligned PO, Markdown and JSONL per target language out.

Everything that can fail before translating (reading, languages, models) is checked first;
all segments of all articles go to the engine in one batch per language pair; outputs are
written only when every translation is done, each file atomically.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.document import BlockKind, Document, Segment, Translation
from pipeline.engine import Engine, check_language
from pipeline.errors import LanguageError
from pipeline.ingest import MAX_ARTICLE_BYTES, read_article
from pipeline.protect import Masked, mask, unmask
from pipeline.segment import segment_document
from pipeline.tweets import guess_language
from pipeline.writers import po
from pipeline.writers.article import render_markdown
from pipeline.writers.atomic import write_text
from pipeline.writers.jsonl import render_jsonl

#: Longest text handed to the model in one piece (see mt_chunks).
MAX_MT_CHARS = 1000


@dataclass(frozen=True)
class RunOptions:
    """What the user asked for; defaults match the CLI's."""

    targets: tuple[str, ...]
    source: str = "de"
    out_dir: Path = Path("locales")
    tweets: str = "translate"
    quiet: bool = False
    max_bytes: int = MAX_ARTICLE_BYTES


@dataclass
class OutputSet:
    """What one article produced in one language, for reports and ``--json``."""

    article: str
    lang: str
    po: Path
    markdown: Path
    jsonl: Path
    segments: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    repairs: int = 0


def output_paths(out_dir: Path, lang: str, slug: str) -> tuple[Path, Path, Path]:
    """``<out>/<lang>/LC_MESSAGES/<slug>.po``, ``<out>/<lang>/<slug>.md`` and ``.jsonl``."""
    return (out_dir / lang / "LC_MESSAGES" / f"{slug}.po", out_dir / lang / f"{slug}.md",
            out_dir / lang / f"{slug}.jsonl")


def mt_chunks(text: str, limit: int = MAX_MT_CHARS) -> list[str]:
    """Split an over-long segment at a clause mark or space, so the model sees sane inputs.

    NMT models are trained on sentences of a few hundred tokens; a 50,000-character run-on
    "sentence" would otherwise be decoded in one piece and truncated at the length cap.
    """
    chunks = []
    while len(text) > limit:
        window = text[:limit]
        cut = max(window.rfind(", "), window.rfind("; "), window.rfind(": "))
        if cut < limit // 2:
            cut = window.rfind(" ")
        cut = cut + 1 if cut > 0 else limit
        chunks.append(text[:cut].strip())
        text = text[cut:].strip()
    return [*chunks, text] if text else chunks


def check_languages(source: str, targets: Sequence[str]) -> None:
    """Known CLDR codes, at least one target, none equal to the source."""
    check_language(source)
    if not targets:
        raise LanguageError("no target language given (use --to en,fr,…)")
    for target in targets:
        check_language(target)
        if target == source:
            raise LanguageError(f"target {target!r} is the source language")


def run(paths: Sequence[Path], options: RunOptions, engine: Engine) -> list[OutputSet]:
    """Translate every article into every target and write the outputs."""
    check_languages(options.source, options.targets)
    documents = [read_article(Path(p), max_bytes=options.max_bytes) for p in paths]
    _check_unique_slugs(documents)
    segmented = [(doc, segment_document(doc)) for doc in documents]

    plans: dict[tuple[str, str], list[Translation | Masked]] = {}
    previous: dict[tuple[str, str], object] = {}
    for doc, segments in segmented:
        for lang in options.targets:
            po_path = output_paths(options.out_dir, lang, doc.slug)[0]
            catalog = po.read_catalog(po_path)
            previous[(doc.slug, lang)] = catalog
            plans[(doc.slug, lang)] = _plan(doc, segments, lang, catalog, options)

    pending = sorted({chunk for plan in plans.values() for item in plan
                      if isinstance(item, Masked) for chunk in mt_chunks(item.text)})
    needing = [lang for lang in options.targets
               if any(isinstance(item, Masked) for (_, plan_lang), plan in plans.items()
                      if plan_lang == lang for item in plan)]
    machine: dict[str, dict[str, str]] = {}
    if pending:
        engine.check(options.source, needing)
        outputs = engine.translate(pending, options.source, needing)
        machine = {lang: dict(zip(pending, outputs[lang], strict=True)) for lang in needing}

    results = []
    for doc, segments in segmented:
        for lang in options.targets:
            translations = _finish(segments, plans[(doc.slug, lang)], machine.get(lang, {}), lang)
            results.append(_write(doc, translations, lang, previous[(doc.slug, lang)], options))
    return results


def _check_unique_slugs(documents: Sequence[Document]) -> None:
    seen: dict[str, Path] = {}
    for doc in documents:
        if doc.slug in seen:
            raise LanguageError(
                f"same output name {doc.slug!r} as {seen[doc.slug]}; rename one", path=doc.path
            )
        seen[doc.slug] = doc.path


def _plan(doc: Document, segments: Sequence[Segment], lang: str, catalog, options: RunOptions):
    """Per segment: a finished Translation (reviewed or verbatim) or the Masked text for MT."""
    reviewed = po.reviewed_entries(catalog)
    blocks = {b.index: b for b in doc.blocks}
    plan: list[Translation | Masked] = []
    for segment in segments:
        entry = reviewed.get(segment.id)
        block = blocks[segment.block]
        if entry is not None and entry.msgid == segment.text:
            plan.append(Translation(segment, lang, entry.msgstr, origin="human", fuzzy=False))
        elif segment.kind is BlockKind.TWEET and (
            options.tweets == "keep" or guess_language(block.text) == lang
        ):
            why = "tweet kept verbatim" + (" (--tweets keep)" if options.tweets == "keep"
                                           else f" (already in {lang})")
            plan.append(Translation(segment, lang, segment.text, origin="verbatim", notes=(why,)))
        else:
            plan.append(mask(segment.text))
    return plan


def _finish(segments, plan, machine: dict[str, str], lang: str) -> list[Translation]:
    translations = []
    for segment, item in zip(segments, plan, strict=True):
        if isinstance(item, Translation):
            translations.append(item)
            continue
        output = " ".join(machine[chunk] for chunk in mt_chunks(item.text))
        target, notes = unmask(item, output, lang)
        translations.append(Translation(segment, lang, target, origin="mt", notes=tuple(notes)))
    return translations


def _write(doc: Document, translations, lang: str, previous, options: RunOptions) -> OutputSet:
    po_path, md_path, jsonl_path = output_paths(options.out_dir, lang, doc.slug)
    po.write_catalog(po_path, po.build_catalog(doc, translations, lang, previous))
    write_text(md_path, render_markdown(doc, translations, lang))
    write_text(jsonl_path, render_jsonl(doc, translations, lang))
    counts: dict[str, int] = {}
    for t in translations:
        counts[t.origin] = counts.get(t.origin, 0) + 1
    return OutputSet(
        article=doc.slug, lang=lang, po=po_path, markdown=md_path, jsonl=jsonl_path,
        segments=len(translations), counts=counts,
        repairs=sum(1 for t in translations for note in t.notes
                    if note.startswith(("restored", "removed"))),
    )
