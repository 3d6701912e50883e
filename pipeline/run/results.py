"""What a run yields: per article, per language, the aligned translations with their status,
findings, term decisions and repairs. Plain frozen data; nothing here touches a file."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.model.annotations import Severity
from pipeline.model.document import Document, Translation
from pipeline.mt.engine import made_by_test_models
from pipeline.store.previous import Previous

if TYPE_CHECKING:
    from pipeline.glossary.match import TermHit
    from pipeline.memory.store import TmUnit
    from pipeline.run.views import Ahead


@dataclass(frozen=True)
class LanguageResult:
    """One article in one language, segment by segment in reading order."""

    lang: str
    translations: tuple[Translation, ...]
    #: the past this run started from (the PO writer merges with its catalog)
    previous: Previous = field(default_factory=Previous, repr=False, compare=False)

    @property
    def counts(self) -> dict[str, int]:
        """Segments per origin (mt, human, tm, verbatim)."""
        return dict(Counter(t.origin for t in self.translations))

    @property
    def statuses(self) -> dict[str, int]:
        return dict(Counter(str(t.status) for t in self.translations))

    @property
    def translated_now(self) -> int:
        """Segments the engine translated in this run (the rest was reused)."""
        return sum(t.made_now for t in self.translations)

    @property
    def test_models(self) -> bool:
        """Some target came from packages built by the test recipe (gibberish by design)."""
        return any(made_by_test_models(t.engine) for t in self.translations)

    @property
    def repairs(self) -> int:
        return sum(len(t.repairs) for t in self.translations)

    @property
    def errors(self) -> int:
        return sum(f.severity is Severity.ERROR for t in self.translations for f in t.findings)


@dataclass(frozen=True)
class Mark:
    """What an article's results were made from: ``source``, a digest of the article as
    read; ``run``, a digest of everything else that decides its files (settings, engine,
    glossary, memory, program version)."""

    source: str
    run: str


@dataclass(frozen=True)
class Unchanged:
    """An article the output folder holds complete for this very run (same source and
    ``Mark``, nothing changed since it was written): neither translated nor written again.
    ``report`` holds per language what the run that wrote it reported (OutputSet fields)."""

    path: Path
    slug: str
    report: tuple[Mapping[str, object], ...]


@dataclass(frozen=True)
class ArticleResult:
    """One article in every target language.

    ``hits`` are the glossary's term hits per segment id (the same in every language);
    ``memory_units`` are what the writer adds to the memory: people's new sign-offs and the
    machine output made in this run.
    """

    document: Document
    languages: tuple[LanguageResult, ...]
    hits: Mapping[str, Sequence[TermHit]] = field(default_factory=dict, repr=False)
    memory_units: tuple[TmUnit, ...] = field(default=(), repr=False)
    #: what the writer records as the article's complete state once its files are written
    #: (None: nothing is recorded, see pipeline.run.resume)
    mark: Mark | None = field(default=None, repr=False)
    #: files a worker process rendered from these translations (see run.views.Ahead)
    ahead: Ahead | None = field(default=None, repr=False, compare=False)

    def __getitem__(self, lang: str) -> LanguageResult:
        for result in self.languages:
            if result.lang == lang:
                return result
        raise KeyError(lang)

    @property
    def slug(self) -> str:
        return self.document.slug
