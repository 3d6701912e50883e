"""The review store of an output root, as a run sees it: the past it starts from (a
``PreviousState``) and the short locked sections at the start and end of a run.

Only harvesting (reading people's edits from the files into the store) and committing +
rendering hold the output root's lock; translation runs unlocked, so a long run never
blocks a reviewer's save for long, and a save made meanwhile is never overwritten (the
writer compares revisions, see pipeline.run.write).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.infra.atomic import temp_of
from pipeline.infra.files import LIMITS
from pipeline.infra.lock import hold
from pipeline.model.document import Document
from pipeline.store.db import NAME, ReviewStore
from pipeline.store.harvest import FileKind, Harvest, harvest
from pipeline.store.layout import Paths, distinct, paths, review_path, xliff_versions
from pipeline.store.previous import Kind, Previous

#: How much larger than its article a run's biggest output can get (XLIFF: markup, notes,
#: glossary and match modules, every character escaped).
OUTPUT_GROWTH = 32
#: What the outputs are named with (see store.layout): only their temp files are swept.
_OUTPUT_ENDINGS = (".po", ".md", ".jsonl", ".xlf", ".html")


@dataclass
class ReviewState:
    """The store at ``out_dir/review.sqlite``; ``root`` is where article keys are relative to
    (recorded at first use; default the current folder); ``wait=False`` fails at once when
    another process holds the lock; ``say`` hears about waiting and unplaced edits;
    ``xliff`` (``2.1``, ``1.2``, ``both``) the XLIFF versions to write, remembered for the
    folder (None: the folder's choice, 2.1 if it never made one)."""

    out_dir: Path
    root: Path | None = None
    wait: bool = True
    say: Callable[[str], None] | None = None
    limit: int = LIMITS["bilingual"]
    xliff: str | None = None
    _ids: dict[str, int] = field(default_factory=dict, repr=False)
    _swept: set[Path] = field(default_factory=set, repr=False)
    _planned: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self.xliff is not None:
            xliff_versions(self.xliff)  # a bad value fails before anything is read

    @classmethod
    def for_articles(cls, out_dir: Path, max_bytes: int, **options: object) -> ReviewState:
        """Room for what a run writes for articles up to ``max_bytes``."""
        limit = max(LIMITS["bilingual"], OUTPUT_GROWTH * max_bytes)
        return cls(Path(out_dir), limit=limit, **options)  # type: ignore[arg-type]

    @contextlib.contextmanager
    def locked(self) -> Iterator[ReviewStore]:
        """The store, with the output root's lock held (a short section only)."""
        with hold(self.out_dir, wait=self.wait, say=self.say), \
                ReviewStore.open(self.out_dir / NAME) as store:
            yield store

    def place(self, document: Document) -> Document:
        if not (self.out_dir / NAME).exists():  # nothing is made before a run can fail:
            key = _key(document.path, self.root or Path.cwd())  # name as the store will
            others = {slug for other, slug in self._planned.items() if other != key}
            slug = distinct(document.slug, others)
            self._planned[key] = slug
            return replace(document, slug=slug)
        with self.locked() as store:
            return self.placed(store, document)

    def placed(self, store: ReviewStore, document: Document) -> Document:
        """``document`` under the output name the store gives its path."""
        article, slug = store.place(_key(document.path, self._root(store)), document.slug,
                                    document.path.name, document.format, document.language)
        self._ids[slug] = article
        return replace(document, slug=slug)

    def article(self, store: ReviewStore, document: Document) -> int:
        if document.slug not in self._ids:
            document = self.placed(store, document)
        return self._ids[document.slug]

    def _root(self, store: ReviewStore, *, record: bool = True) -> Path:
        """Where article keys are relative to: ``root`` when given (then recorded), else
        the recorded one, else the current folder. Recorded relative to the output folder,
        so moving the whole tree (a checkout, a container path) keeps every name."""
        out = Path(os.path.realpath(self.out_dir))
        if self.root is not None or store.setting("root") is None:
            chosen = Path(os.path.realpath(self.root or Path.cwd()))
            if record:
                store.record("root", os.path.relpath(chosen, out))
            return chosen
        return Path(os.path.normpath(out / str(store.setting("root"))))

    def key(self, store: ReviewStore, path: Path) -> str:
        """The key the article at ``path`` has (or will have) in the store; reads only."""
        return _key(path, self._root(store, record=False))

    def load(self, document: Document, lang: str) -> Previous:
        where = paths(self.out_dir, lang, document.slug)
        if not (self.out_dir / NAME).exists() and not any(
                path.exists() for path in (where.po, where.xliff, where.xliff12)):
            return Previous()  # a first run: nothing to read, nothing made yet
        with self.locked() as store:
            article = self.article(store, document)
            found = self.gather(store, article, document.slug, lang)
            return Previous(store.segments(article, lang), found.catalog)

    def gather(self, store: ReviewStore, article: int, slug: str, lang: str) -> Harvest:
        """Read people's edits of the article's files into the store (one transaction)."""
        where = paths(self.out_dir, lang, slug)
        for folder in (where.po.parent, where.xliff.parent, review_path(self.out_dir, slug).parent):
            self._sweep(folder)
        files = [(FileKind.PO, where.po), (FileKind.XLIFF, where.xliff),
                 (FileKind.XLIFF12, where.xliff12)]
        rel = {path: self.relative(path) for _, path in files}
        renders = {rel[path]: store.renders(rel[path]) for _, path in files}
        found = harvest(files, rel, renders, store.segments(article, lang), lang, self.limit,
                        jsonl=where.jsonl,
                        earlier=lambda sid: store.texts(article, lang, sid),
                        comments=store.comments(article, lang))
        with store.transaction():
            store.apply(article, lang, found.migrated, Kind.MIGRATED)
            store.apply(article, lang, found.edits, Kind.EDIT)
            for change in found.alternatives:
                store.keep_aside(article, lang, change, Kind.ALTERNATIVE)
            for change in found.unplaced:
                store.keep_aside(article, lang, change, Kind.UNPLACED)
            for comment in found.comments:
                store.comment(article, lang, comment)
            for comment in found.comments_aside:
                store.comment(article, lang, comment, Kind.COMMENT_ASIDE)
            for path, seen in found.seen:
                store.rendered(self.relative(path), seen)
        if found.unplaced and self.say is not None:
            for change in found.unplaced:
                self.say(f"{change.where}: kept in the review store's history, but no "
                         f"sentence of {slug} matches it: {change.source[:60]!r}")
        return found

    def xliff_files(self, store: ReviewStore, where: Paths) -> list[tuple[FileKind, Path]]:
        """The XLIFF files to render: the versions asked for (remembered in the store as the
        folder's choice) and every one already there, so that no file a person may open
        goes stale; 2.1 for a folder that never chose."""
        if self.xliff is not None and store.setting("xliff") != self.xliff:
            store.record("xliff", self.xliff)
        asked = xliff_versions(self.xliff or store.setting("xliff") or "2.1")
        return [(kind, path) for kind, version, path in (
            (FileKind.XLIFF, "2.1", where.xliff), (FileKind.XLIFF12, "1.2", where.xliff12))
            if version in asked or path.exists()]

    def relative(self, path: Path) -> str:
        """A file's name in the store: relative to the output root."""
        return Path(os.path.relpath(path, self.out_dir)).as_posix()

    def _sweep(self, folder: Path) -> None:
        """Temp files a killed run of this program left behind (we hold the lock: no run of
        ours is writing them now)."""
        if folder in self._swept or not folder.is_dir():
            return
        self._swept.add(folder)
        with os.scandir(folder) as entries:
            for entry in entries:
                meant = temp_of(entry.name)
                if meant is not None and meant.endswith(_OUTPUT_ENDINGS) \
                        and entry.is_file(follow_symlinks=False):
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)


def _key(path: Path, root: Path) -> str:
    """An article's key: its real path (links resolved) under the root, else absolute."""
    resolved = Path(os.path.realpath(path))
    try:
        return resolved.relative_to(root).as_posix()
    except ValueError:
        return resolved.as_posix()
