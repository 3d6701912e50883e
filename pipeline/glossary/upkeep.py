"""Changing the term base from a command or the review workspace: one function per change,
holding the folder's lock from reading the base to replacing its files (two people adding
terms at once both keep theirs), and lint's cross checks before anything is written."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.glossary.lint import raise_errors
from pipeline.glossary.termbase import (
    REQUIRED_LANGS,
    Concept,
    load_folder,
    parse_avoid,
    save_domains,
    storable,
)
from pipeline.infra.lock import hold
from pipeline.model.errors import GlossaryError


@dataclass(frozen=True)
class Added:
    """A concept as written, whether it replaced one of the same id, and its file."""

    concept: Concept
    replaced: bool
    path: Path


@contextlib.contextmanager
def locked(folder: Path, say: Callable[[str], None] | None = None) -> Iterator[None]:
    """The folder's lock, if the folder exists (a new base has no one to race with yet, and
    a failed first ``add`` must not leave an empty folder behind)."""
    if not Path(folder).is_dir():
        yield
        return
    with hold(Path(folder), what="the glossary folder", say=say):
        yield


def existing(folder: Path) -> list[Concept]:
    """What a change starts from: a folder that does not exist yet is an empty base."""
    return load_folder(folder) if Path(folder).exists() else []


def add_concept(folder: Path, concept_id: str, de: str, targets: Mapping[str, str], *,
                variants: Sequence[str] = (), pos: str | None = None, case: str | None = None,
                domain: str | None = None, dnt: bool = False, avoid: str = "", note: str = "",
                replace: bool = False, say: Callable[[str], None] | None = None) -> Added:
    """Add (or with ``replace`` overwrite) a concept and rewrite its domain file, sorted.
    Defaults as ``glossary add`` documents them: a name with ``dnt``, else a noun. ``targets``
    may hold any languages (empty ones are left out; lint warns about a missing en, fr, es);
    a ``dnt`` name lacking one gets the name itself."""
    with locked(folder, say):
        concepts = existing(folder)
        old = next((c for c in concepts if c.id == concept_id), None)
        if old is not None and not replace:
            raise GlossaryError(f"{concept_id}: already at {old.path}:{old.line} (use --replace)")
        domain = domain or (old.domain if old else "names" if dnt else None)
        if domain is None:
            known = ", ".join(sorted({c.domain for c in concepts})) or "none yet"
            raise GlossaryError(f"--domain is required (domains: {known})")
        pos = pos or ("name" if dnt else "noun")
        given = {lang.strip(): term.strip() for lang, term in targets.items() if term.strip()}
        if dnt:
            given = {**dict.fromkeys(REQUIRED_LANGS, de.strip()), **given}
        concept = storable(Concept(
            concept_id.strip(), domain, de.strip(),
            tuple(v.strip() for v in variants if v.strip()), pos,
            case or ("exact" if pos == "name" else "any"), dnt, given, parse_avoid(avoid),
            note.strip()))
        updated = [c for c in concepts if c.id != concept_id] + [concept]
        raise_errors(updated)
        save_domains(folder, updated, {domain, *([old.domain] if old else [])})
    return Added(concept, old is not None, Path(folder) / f"{domain}.tsv")
