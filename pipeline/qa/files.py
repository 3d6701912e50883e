"""The checks run over a bilingual file (PO, XLIFF 2, JSONL), as ``check`` does."""

from __future__ import annotations

from pathlib import Path

from pipeline.formats.bilingual import read_bilingual
from pipeline.ingest.tweets import VERBATIM_NOTE
from pipeline.model.errors import InputError
from pipeline.qa.checks import VERBATIM_SKIP, CheckContext, glossary_decisions, run_checks


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
