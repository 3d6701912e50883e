"""The checks run over a bilingual file (PO, XLIFF 2, JSONL), as ``check`` does."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.formats.bilingual import read_bilingual
from pipeline.formats.notes import is_verbatim, parse_terms
from pipeline.model.annotations import Finding
from pipeline.model.errors import InputError
from pipeline.qa.checks import VERBATIM_SKIP, CheckContext, run_checks


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
               skip: frozenset[str] = frozenset()) -> FileReport:
    """Run every check on every translated entry of a PO, XLIFF or JSONL file."""
    data = read_bilingual(path)
    target = target_lang or data.target_lang
    if not target:
        raise InputError("no target language in the file (PO 'Language' header, XLIFF "
                         "trgLang); give --to", path=path)
    checked = 0
    findings: list[FileFinding] = []
    for entry in data.entries:
        if not entry.target.strip() and entry.fuzzy:
            continue  # nobody claimed to have translated it yet
        disabled = skip | VERBATIM_SKIP if is_verbatim(entry.notes) else skip
        ctx = CheckContext(source_lang=source_lang or data.source_lang or "de",
                           target_lang=target, glossary=parse_terms(entry.notes),
                           disabled=disabled, markup=data.markup)
        checked += 1
        findings.extend(FileFinding(path, entry.line, entry.id, f, entry.source, entry.target)
                        for f in run_checks(entry.source, entry.target, ctx))
    return FileReport(path, checked, tuple(findings))
