"""``check`` and ``eval``: QA findings and MT scores for the pipeline's PO, XLIFF and JSONL files.

Register with ``cli.add_command(check)`` and ``cli.add_command(evaluate_command)``. The small
readers here turn each format into the same (id, source, target, line, notes) entries.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pipeline.model.errors import InputError
from pipeline.qa import CHECKS, VERBATIM_SKIP, CheckContext, glossary_decisions, run_checks
from pipeline.tweets import VERBATIM_NOTE

if TYPE_CHECKING:
    from pipeline.evaluate import Aligned

EXIT_FINDINGS = 1
PO_SUFFIXES = (".po", ".pot")
XLIFF_SUFFIXES = (".xlf", ".xliff", ".xlf2")


@dataclass(frozen=True)
class Entry:
    """One segment of a bilingual file, wherever it came from."""

    id: str
    source: str
    target: str
    line: int
    fuzzy: bool = False
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Bilingual:
    """A bilingual file's languages and segments in file order."""

    path: Path
    source_lang: str | None
    target_lang: str | None
    entries: list[Entry]


def read_bilingual(path: Path) -> Bilingual:
    """PO, XLIFF 2 or the pipeline's JSONL, chosen by the file's extension."""
    suffix = path.suffix.lower()
    if suffix in PO_SUFFIXES:
        return _read_po(path)
    if suffix in XLIFF_SUFFIXES:
        return _read_xliff(path)
    if suffix == ".jsonl":
        return _read_jsonl(path)
    raise InputError("unknown format (expected .po, .xlf/.xliff or .jsonl)", path=path)


def _read_po(path: Path) -> Bilingual:
    """Live entries (no header, no obsolete ones); notes are the extracted and translator
    comments."""
    from pipeline.formats.po import read_catalog

    catalog = read_catalog(path)
    if catalog is None:
        raise InputError("no such file", path=path)
    entries = [
        Entry(id=e.msgctxt or "", source=e.msgid,
              target=e.msgstr or (e.msgstr_plural or {}).get(0, ""), line=e.linenum or 0,
              fuzzy="fuzzy" in e.flags,
              notes=tuple(line for text in (e.comment, e.tcomment) for line in
                          (text or "").splitlines()))
        for e in catalog if not e.obsolete
    ]
    meta = catalog.metadata
    return Bilingual(path, meta.get("X-Source-Language") or "de", meta.get("Language") or None,
                     entries)


def _read_xliff(path: Path) -> Bilingual:
    """Every ``<segment>``: id from the segment (else its unit), state ``initial`` = fuzzy,
    a unit's notes with id ``<segment id>.n<k>`` belong to that segment."""
    from lxml import etree

    from pipeline.infra.xmlsafe import parse_file

    root = parse_file(path).getroot()
    if etree.QName(root).localname != "xliff" or not root.get("version", "").startswith("2"):
        raise InputError("not an XLIFF 2 file", path=path, line=root.sourceline)
    entries: list[Entry] = []
    for segment in root.iter("{*}segment"):
        unit = segment.getparent()
        if unit is None:
            raise InputError("<segment> outside a <unit>", path=path, line=segment.sourceline)
        seg_id = segment.get("id") or unit.get("id") or ""
        source, target = segment.find("{*}source"), segment.find("{*}target")
        if source is None:
            raise InputError("segment without <source>", path=path, line=segment.sourceline)
        notes = tuple(note.text or "" for note in unit.iterfind("{*}notes/{*}note")
                      if note.get("id", "").startswith(f"{seg_id}.n"))
        entries.append(Entry(
            id=seg_id, source="".join(source.itertext()),
            target="" if target is None else "".join(target.itertext()),
            line=(segment if target is None else target).sourceline or 0,
            fuzzy=segment.get("state", "initial") == "initial", notes=notes,
        ))
    return Bilingual(path, root.get("srcLang"), root.get("trgLang"), entries)


def _read_jsonl(path: Path) -> Bilingual:
    """The runner's records: id, source, target, fuzzy, notes, source_lang, target_lang."""
    entries, langs = [], (None, None)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read: {exc}", path=path) from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            entries.append(Entry(str(record.get("id", number)), str(record.get("source", "")),
                                 str(record.get("target") or ""), number,
                                 bool(record.get("fuzzy", False)),
                                 tuple(str(n) for n in record.get("notes") or ())))
        except (ValueError, AttributeError, TypeError) as exc:
            raise InputError(f"bad JSONL record: {exc}", path=path, line=number) from None
        langs = (record.get("source_lang") or langs[0], record.get("target_lang") or langs[1])
    return Bilingual(path, langs[0], langs[1], entries)


def read_lines(path: Path) -> list[str]:
    """A plain text file, one segment per line, as sacrebleu reads it."""
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read: {exc}", path=path) from None


# --- check -----------------------------------------------------------------------------------

def check_file(path: Path, source_lang: str | None = None, target_lang: str | None = None,
               skip: frozenset[str] = frozenset()) -> tuple[int, list[dict]]:
    """Run every check on every translated entry; return the number checked and the findings."""
    data = read_bilingual(path)
    target = target_lang or data.target_lang
    if not target:
        raise InputError("no target language in the file (PO 'Language' header, XLIFF "
                         "trgLang); give --to", path=path)
    checked = 0
    findings: list[dict] = []
    for entry in data.entries:
        if not entry.target.strip() and entry.fuzzy:
            continue  # nobody claimed to have translated it yet
        verbatim = any(note.startswith(VERBATIM_NOTE) for note in entry.notes)
        disabled = skip | VERBATIM_SKIP if verbatim else skip
        ctx = CheckContext(source_lang=source_lang or data.source_lang or "de",
                           target_lang=target, glossary=glossary_decisions(entry.notes),
                           disabled=disabled)
        checked += 1
        findings.extend(
            {"file": str(path), "line": entry.line, "id": entry.id, "severity": f.severity,
             "check": f.check, "message": f.message, "source": entry.source,
             "target": entry.target}
            for f in run_checks(entry.source, entry.target, ctx)
        )
    return checked, findings


@click.command("check")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, help="Exit 1 when any error-severity finding is found.")
@click.option("--json", "as_json", is_flag=True, help="Print findings and summary as JSON.")
@click.option("--skip", multiple=True, type=click.Choice(list(CHECKS)),
              help="Leave out a check (repeatable).")
@click.option("--from", "source_lang", default=None,
              help="Source language [PO X-Source-Language, XLIFF srcLang, or de].")
@click.option("--to", "target_lang", default=None,
              help="Target language [PO Language, XLIFF trgLang].")
def check(files, strict, as_json, skip, source_lang, target_lang) -> None:
    """Run the QA checks on FILES (PO, XLIFF 2 or JSONL); one line per finding."""
    checked, findings = 0, []
    for path in files:
        count, found = check_file(path, source_lang, target_lang, frozenset(skip))
        checked += count
        findings.extend(found)
    errors = sum(f["severity"] == "error" for f in findings)
    summary = {"files": len(files), "segments": checked, "errors": errors,
               "warnings": len(findings) - errors}
    if as_json:
        click.echo(json.dumps({"findings": findings, "summary": summary},
                              ensure_ascii=False, indent=2))
    else:
        for f in findings:
            click.echo(f"{f['file']}:{f['line']}: {f['severity']}: {f['check']}: "
                       f"{f['message']} [{f['id']}]")
        click.echo(f"{_n(checked, 'segment')} in {_n(len(files), 'file')}: "
                   f"{_n(errors, 'error')}, {_n(summary['warnings'], 'warning')}")
    if strict and errors:
        click.get_current_context().exit(EXIT_FINDINGS)


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


# --- eval ------------------------------------------------------------------------------------

def evaluate_files(hyp_path: Path, ref_path: Path) -> dict:
    """Scores of HYP against REF: by segment id when both have ids (by German source when the
    reference is a PO without msgctxt), else line by line."""
    from pipeline.evaluate import evaluate, glossary_accuracy

    if _is_bilingual(hyp_path):
        entries = read_bilingual(hyp_path).entries
    else:
        entries = [Entry(str(n), "", text, n)
                   for n, text in enumerate(read_lines(hyp_path), start=1)]
    aligned = _align(hyp_path, entries, ref_path)
    result = evaluate(aligned.hyps, aligned.refs)
    for seg_id, scores in zip(aligned.ids, result["per_segment"], strict=True):
        scores["id"] = seg_id
    glossary = glossary_accuracy(e.notes for e in entries)
    result.update(hyp=str(hyp_path), ref=str(ref_path), missing=aligned.missing,
                  extra=aligned.extra, glossary_accuracy=glossary and glossary["accuracy"],
                  glossary_terms=glossary)
    return result


def _align(hyp_path: Path, hyps: list[Entry], ref_path: Path) -> Aligned:
    """Pair hypotheses with references; every way it can fail names the file at fault."""
    from pipeline.evaluate import align_by_id, align_in_order

    if not hyps:
        raise InputError("nothing to score: no segments", path=hyp_path)
    pairs = [(e.id, e.target) for e in hyps]
    if _is_bilingual(ref_path):
        refs = read_bilingual(ref_path).entries
        if not _is_bilingual(hyp_path):
            aligned = align_in_order(pairs, _same_count(hyp_path, len(hyps), ref_path,
                                                        [e.target for e in refs]))
        elif any(e.id for e in refs):
            aligned = align_by_id(pairs, [(e.id, e.target) for e in refs])
        else:
            aligned = align_by_source(hyps, refs)
    else:
        aligned = align_in_order(pairs, _same_count(hyp_path, len(hyps), ref_path,
                                                    read_lines(ref_path)))
    if not aligned.hyps:
        raise InputError(f"nothing to score: none of the {_n(len(hyps), 'segment')} of "
                         f"{hyp_path} has a reference with text here (matched by segment id, "
                         "or by German source in a PO without msgctxt)", path=ref_path)
    return aligned


def _same_count(hyp_path: Path, count: int, ref_path: Path, refs: list[str]) -> list[str]:
    """References aligned in order must be exactly one per hypothesis segment."""
    if len(refs) != count:
        raise InputError(f"the reference has {_n(len(refs), 'line')} but {hyp_path} has "
                         f"{_n(count, 'segment')}; they must align one to one", path=ref_path)
    return refs


def align_by_source(hyps: list[Entry], refs: list[Entry]) -> Aligned:
    """Pair by German source (white space collapsed), for a reference PO without msgctxt.

    Ids stay the hypothesis's (its line where it has none); a reference source no hypothesis
    has is listed as extra.
    """
    from pipeline.evaluate import Aligned
    from pipeline.model.text import source_key

    by_source = {source_key(e.source): e.target for e in refs if e.target.strip()}
    kept = [e for e in hyps if source_key(e.source) in by_source]
    used = {source_key(e.source) for e in hyps}
    return Aligned(
        ids=[e.id or f"line {e.line}" for e in kept], hyps=[e.target for e in kept],
        refs=[by_source[source_key(e.source)] for e in kept],
        missing=[e.id or f"line {e.line}" for e in hyps if source_key(e.source) not in by_source],
        extra=list(dict.fromkeys(e.source for e in refs if source_key(e.source) not in used)),
    )


def _is_bilingual(path: Path) -> bool:
    return path.suffix.lower() in (*PO_SUFFIXES, *XLIFF_SUFFIXES, ".jsonl")


@click.command("eval")
@click.option("--hyp", "hyp_path", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Translations: PO, XLIFF 2, the pipeline's JSONL or plain text.")
@click.option("--ref", "ref_path", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="References: plain text (one per segment, in order) or PO/XLIFF/JSONL "
                   "(matched by segment id; a PO without msgctxt by its German msgid).")
@click.option("--json", "as_json", is_flag=True, help="Print scores, per segment too, as JSON.")
def evaluate_command(hyp_path, ref_path, as_json) -> None:
    """Score --hyp against --ref with sacrebleu (BLEU, chrF) and glossary term accuracy."""
    result = evaluate_files(hyp_path, ref_path)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    click.echo(f"BLEU = {result['bleu']:.2f}  ({result['bleu_signature']})")
    click.echo(f"chrF2 = {result['chrf']:.2f}  ({result['chrf_signature']})")
    click.echo(f"segments scored: {result['segments']}")
    terms = result["glossary_terms"]
    click.echo("glossary term accuracy: " + (
        f"{terms['accuracy']:.1%} ({terms['correct']}/{terms['total']})" if terms
        else "n/a (no glossary decisions)"))
    if result["missing"]:
        click.echo(f"no reference for {_n(len(result['missing']), 'segment')}: "
                   f"{', '.join(result['missing'])}")
    if result["extra"]:
        click.echo(f"references not in the hypothesis: {', '.join(result['extra'])}")
