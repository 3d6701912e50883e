"""The checks run over a bilingual file (PO, XLIFF 2, JSONL), as ``check`` does; an XLIFF 2
file's inline codes are checked too (pipeline.formats.xliff_codes).

Glossary findings are made again from the entry's current source and target with the term
base, never replayed from the notes of the run that wrote the file: a person's correction
clears a warning, a deleted name raises one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.formats.bilingual import XLIFF_SUFFIXES, read_bilingual
from pipeline.formats.notes import is_verbatim
from pipeline.model.annotations import Finding, Severity, TermDecision
from pipeline.model.errors import InputError
from pipeline.qa.checks import VERBATIM_SKIP, CheckContext, run_checks

if TYPE_CHECKING:
    from pipeline.glossary.match import Glossary

#: The check name of the XLIFF 2 inline-code rules (errors; ``--skip`` takes it too).
XLIFF_CODES = "xliff-codes"


@dataclass(frozen=True)
class FileFinding:
    """A finding on one entry of a file: where it is and what it checked."""

    file: Path
    line: int
    id: str
    finding: Finding
    source: str
    target: str

    def as_dict(self) -> dict[str, object]:
        return {"file": str(self.file), "line": self.line, "id": self.id,
                "severity": str(self.finding.severity), "check": self.finding.check,
                "message": self.finding.message, "source": self.source, "target": self.target}


@dataclass(frozen=True)
class FileReport:
    """How many entries of a file were checked and what was found."""

    file: Path
    checked: int
    findings: tuple[FileFinding, ...]


def check_file(path: Path, source_lang: str | None = None, target_lang: str | None = None,
               skip: frozenset[str] = frozenset(), glossary: Glossary | None = None
               ) -> FileReport:
    """Run every check on every translated entry of a PO, XLIFF or JSONL file; the glossary
    check with ``glossary``'s terms in the current texts (none without a term base); a file
    whose inline codes are too broken to read is reported by those problems."""
    codes = [] if XLIFF_CODES in skip else _code_findings(path)
    try:
        data = read_bilingual(path)
    except InputError:
        if codes:
            return FileReport(path, 0, tuple(codes))
        raise
    target = target_lang or data.target_lang
    if not target:
        raise InputError("no target language in the file (PO 'Language' header, XLIFF "
                         "trgLang); give --to", path=path)
    checked = 0
    findings: list[FileFinding] = codes
    for entry in data.entries:
        if not entry.target.strip() and entry.fuzzy:
            continue  # nobody claimed to have translated it yet
        disabled = skip | VERBATIM_SKIP if is_verbatim(entry.notes) else skip
        ctx = CheckContext(source_lang=source_lang or data.source_lang or "de",
                           target_lang=target,
                           glossary=term_decisions(glossary, entry.source, entry.target, target),
                           disabled=disabled, markup=data.markup)
        checked += 1
        findings.extend(FileFinding(path, entry.line, entry.id, f, entry.source, entry.target)
                        for f in run_checks(entry.source, entry.target, ctx))
    return FileReport(path, checked, tuple(findings))


def term_decisions(glossary: Glossary | None, source: str, target: str, lang: str
                   ) -> list[TermDecision]:
    """What the term base expects of ``target`` for the terms in ``source``, judged as a run
    judges its own output (inflected and listed forms count), changing nothing."""
    if glossary is None:
        return []
    from pipeline.glossary.enforcement import check_target
    from pipeline.glossary.match import find_terms

    return check_target(find_terms(glossary, source), target, lang)


def _code_findings(path: Path) -> list[FileFinding]:
    """The inline-code problems of an XLIFF 2 file, as error findings (none for others)."""
    from pipeline.formats.xliff12 import is_xliff12
    from pipeline.formats.xliff_codes import check_inline_codes
    from pipeline.infra.xmlsafe import parse_file

    if path.suffix.lower() not in XLIFF_SUFFIXES or is_xliff12(path):
        return []
    return [FileFinding(path, p.line, p.id, Finding(XLIFF_CODES, Severity.ERROR, p.message),
                        "", "")
            for p in check_inline_codes(parse_file(path, what="an XLIFF file"), path)]
