"""Find a person's edits in the PO and XLIFF (2.1 and 1.2) files by comparing each with what
we last wrote into it (the render fingerprints the review store keeps).

A file equal to our last render holds nothing new; a file equal to an older render was left
behind by a run killed between renames and is ignored. Otherwise each entry is compared with
the render the file names (PO header ``X-Pipeline-Render``, XLIFF file note), else the last
one: a different text or status is a person's edit, approving machine text as is included.
Entries without a usable id (a ``po2xliff``/``xliff2po`` round trip drops ``msgctxt``; an
XLIFF ``<segment>`` need not have an ``id``) are placed by source text and occurrence order;
what still has no place is reported, never dropped.

A file the store never rendered (an output folder made before the store, or a lost store)
is read by its provenance: the JSONL record of what was written, else the markers every
render carries (XLIFF ``subState``, 1.2 ``state-qualifier``, the PO's "machine translation"
note), so machine output never turns into a person's work; without any, a target is a
person's.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

import polib

from pipeline.formats import po
from pipeline.formats.jsonl import read_jsonl
from pipeline.formats.notes import MACHINE_NOTE, MEMORY_NOTE, is_verbatim
from pipeline.formats.xliff import xliff_from_bytes
from pipeline.formats.xliff12 import xliff12_from_bytes
from pipeline.infra.files import read_input
from pipeline.model import languages
from pipeline.model.errors import InputError
from pipeline.model.status import (
    Status,
    as_written,
    from_po,
    from_record,
    from_xliff12_mark,
    from_xliff_state,
)
from pipeline.mt.engine import MACHINE_TRANSLATOR
from pipeline.store.comments import Comment, normal
from pipeline.store.db import Change, Rendered
from pipeline.store.previous import Kept


class FileKind(StrEnum):
    """The files a person edits: their entries say a status in different ways."""

    PO = "po"
    XLIFF = "xliff"
    XLIFF12 = "xliff12"


@dataclass(frozen=True)
class Reading:
    """One entry of one file: ``mark`` is what the file says of its status (PO: ``fuzzy``
    or empty; XLIFF: the state; 1.2: state and approval, see ``xliff12_mark``); ``written``
    what its own markers say we wrote."""

    sid: str | None
    source: str
    target: str
    mark: str
    written: Status | None = None
    #: the entry's comment (PO translator comment, XLIFF comment note); empty: none
    comment: str = ""


@dataclass
class Harvest:
    """What the files of one article in one language hold that the store does not."""

    #: a person's texts that become the current target, oldest file first
    edits: list[Change] = field(default_factory=list)
    #: a person's texts that lost to another edit of the same segment in this harvest
    alternatives: list[Change] = field(default_factory=list)
    #: a person's texts for which no segment could be found
    unplaced: list[Change] = field(default_factory=list)
    #: our own earlier output, read from files the store never rendered
    migrated: list[Change] = field(default_factory=list)
    #: comments a person changed in a file (the newest file's, per segment)
    comments: list[Comment] = field(default_factory=list)
    #: comments changed in an older file than the one whose comment won
    comments_aside: list[Comment] = field(default_factory=list)
    catalog: polib.POFile | None = None
    #: each changed file as read (remember it, so that nothing is taken twice)
    seen: list[tuple[Path, Rendered]] = field(default_factory=list)


def mark_of(status: Status, kind: FileKind) -> str:
    """How a file of ``kind`` (``po``, ``xliff``, ``xliff12``) shows ``status``."""
    if kind is FileKind.PO:
        return "fuzzy" if status.form.fuzzy else ""
    if kind is FileKind.XLIFF12:
        return status.form.xliff12_mark
    return status.form.xliff_state


def status_of(mark: str, kind: FileKind) -> Status:
    """The status a person gave an entry they changed."""
    if kind is FileKind.PO:
        return from_po(mark == "fuzzy")
    if kind is FileKind.XLIFF12:
        return from_xliff12_mark(mark) or Status.DRAFT
    return from_xliff_state(mark) or Status.DRAFT


def digest(entries: Mapping[str, tuple[str, str, Status]],
           comments: Mapping[str, str] | None = None) -> str:
    """A render's name: the same entries (and comments) always give the same name, so an
    unchanged rerun writes the same bytes."""
    rows: list[tuple[str, ...]] = sorted((sid, *e) for sid, e in entries.items())
    if any(comments.values() if comments else ()):  # renders without comments keep their name
        rows.append(("comments", *sorted(f"{k}\x00{v}" for k, v in (comments or {}).items()
                                         if v)))
    data = json.dumps(rows, ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def shown(target: str, mark: str) -> str:
    """What an entry shows (its text and mark), in 18 hex digits: renders are remembered by
    these, so even an archive article of half a million sentences stays a few MB a render."""
    return hashlib.blake2b(f"{mark}\x00{target}".encode(), digest_size=9).hexdigest()


def render_entries(entries: Mapping[str, tuple[str, str, Status]], kind: FileKind
                   ) -> dict[str, str]:
    """Per entry, what a file of ``kind`` shows (see ``shown``)."""
    return {sid: shown(target, mark_of(status, kind))
            for sid, (_, target, status) in entries.items()}


def comment_entries(comments: Mapping[str, str]) -> dict[str, str]:
    """Per entry with a comment, what a file shows of it (see ``shown``)."""
    return {sid: shown(text, "comment") for sid, text in comments.items() if text}


def harvest(files: Sequence[tuple[FileKind, Path]], rel: Mapping[Path, str], renders: Mapping[
        str, list[Rendered]], rows: Mapping[str, Kept], lang: str, limit: int, *,
        jsonl: Path | None = None, earlier: Callable[[str], set[str]] | None = None,
        comments: Mapping[str, Comment] | None = None) -> Harvest:
    """Read ``files`` (kind, path) and return what they hold that ``rows`` (the store's
    segments) do not; ``renders`` are each file's renders and readings by ``rel`` path,
    newest first; ``earlier`` gives every text a segment ever had; ``comments`` are the
    store's current comments.
    ``Harvest.seen`` holds each changed file as read, to be remembered with the renders."""
    result = Harvest()
    opened, readings = [], {}
    for kind, path in files:  # every file first: one may vouch for the other's provenance
        if not path.is_file():
            continue
        data = read_input(path, f"a {kind.upper()} file", limit)
        history = renders.get(rel[path], [])
        if _unchanged(fingerprint(data), history):
            if kind is FileKind.PO:  # the comments are still carried over
                result.catalog = po.catalog_from_bytes(data, path)
            continue
        named, author, entries, catalog = _read(kind, data, path, lang)
        if catalog is not None:
            result.catalog = catalog
        readings[kind] = _placed(entries, rows, result, path, author)
        opened.append((kind, path, fingerprint(data), named or "", author, history))
    written = _jsonl_base(jsonl, limit) if jsonl is not None else None
    found: dict[str, list[tuple[float, Change]]] = defaultdict(list)
    noted: dict[str, list[tuple[float, Comment]]] = defaultdict(list)
    migrated: dict[str, Change] = {}
    for kind, path, hashed, named, author, history in opened:
        base, current = _base(named, history)
        placed = readings[kind]
        result.seen.append((path, Rendered(named, hashed, {
            r.sid: shown(r.target, r.mark) for r in placed if r.sid}, seen=True,
            comments=comment_entries({r.sid: r.comment for r in placed if r.sid}))))
        for comment in _comments(placed, base, comments or {}, author, path.name):
            noted[comment.sid].append((_mtime(path), comment))
        for reading in placed:
            assert reading.sid is not None
            before, status_before = _before(reading, kind, base, written, readings)
            if before == shown(reading.target, reading.mark):
                if status_before is not None and not history and reading.sid not in rows:
                    migrated.setdefault(reading.sid, Change(  # our output, from before the store
                        reading.sid, reading.source, reading.target, status_before,
                        where=path.name))
                continue
            if not reading.target.strip():
                continue
            if not current and earlier is not None and reading.target in earlier(reading.sid):
                continue  # an old copy, or an editor buffer saved late: old text, not news
            status = status_of(reading.mark, kind)
            kept = rows.get(reading.sid)
            if kept is not None and kept.target == reading.target and kept.status is status:
                continue  # the store has it already (a render that never reached the disk)
            source = kept.source if kept is not None else reading.source  # the article's
            found[reading.sid].append((_mtime(path), Change(
                reading.sid, source, reading.target, status, author=author,
                where=path.name)))
    for sid, changes in found.items():
        winner, *others = _settle([change for _, change in sorted(changes, key=_newest)])
        result.edits.append(winner)
        result.alternatives.extend(o for o in others if o.target != winner.target)
        migrated.pop(sid, None)
    result.migrated.extend(migrated.values())
    for changed in noted.values():
        *older, (_, newest) = sorted(changed, key=_newest)
        result.comments.append(newest)
        result.comments_aside.extend(c for _, c in older if c.text != newest.text)
    return result


def _comments(placed: Sequence[Reading], base: Rendered | None, stored: Mapping[str, Comment],
              author: str | None, where: str) -> list[Comment]:
    """Comments the file changed: compared with the render it continues; a file the store
    never rendered brings comments only for segments that have none in the store."""
    changed = []
    for reading in placed:
        assert reading.sid is not None
        now = shown(reading.comment, "comment") if reading.comment else None
        if base is not None and base.comments.get(reading.sid) == now:
            continue
        current = stored.get(reading.sid)
        if current is not None and (base is None or current.text == reading.comment):
            continue  # the store knows better, or has it already
        if base is None and not reading.comment:
            continue
        changed.append(Comment(reading.sid, reading.comment, author, where))
    return changed


def _unchanged(hashed: str, history: Sequence[Rendered]) -> bool:
    """The file is what we last wrote or read; or it is a render older than the last one (a
    run was killed before it replaced this file): nothing new in it either way."""
    if not history or hashed == history[0].hash:
        return bool(history)
    latest = next((r for r in history if not r.seen), None)
    return any(r.hash == hashed and (latest is None or r.digest != latest.digest)
               for r in history)


def _base(named: str, history: Sequence[Rendered]) -> tuple[Rendered | None, bool]:
    """What to compare a changed file with, and whether it continues our latest render.

    A file naming the latest render (or none) continues it: compare with the newest of that
    render and what harvests read from the file since (edits already taken are not news,
    and a person going back to the render's text is). A file naming an older render (an old
    copy, a late editor buffer) is compared with that render, if still remembered."""
    latest = next((r for r in history if not r.seen), None)
    if latest is None or named in ("", latest.digest):
        for record in history:
            if record is latest or (record.seen and record.digest in (named, latest.digest
                                                                        if latest else "")):
                return record, True
        return None, True
    return next((r for r in history if not r.seen and r.digest == named), None), False


def _read(kind: FileKind, data: bytes, path: Path, lang: str
          ) -> tuple[str | None, str | None, list[Reading], polib.POFile | None]:
    """The render a file names, the person it names, its entries (and a PO's catalog)."""
    if kind is FileKind.PO:
        catalog = po.catalog_from_bytes(data, path)
        _check_language(catalog.metadata.get("Language"), lang, path)
        translator = catalog.metadata.get("Last-Translator") or None
        author = None if translator == MACHINE_TRANSLATOR else translator
        # obsolete (#~) entries too: a person's work on a sentence that left the article
        live = {e.msgctxt for e in catalog if not e.obsolete and e.msgctxt}
        entries = [Reading(e.msgctxt or None, e.msgid, e.msgstr,
                           "fuzzy" if "fuzzy" in e.flags else "", _po_written(e),
                           normal(e.tcomment))
                   for e in sorted(catalog, key=lambda e: e.obsolete)
                   if e.msgid and not (e.obsolete and e.msgctxt in live)]
        return catalog.metadata.get(po.RENDER_HEADER), author, entries, catalog
    if kind is FileKind.XLIFF12:
        found = xliff12_from_bytes(data, path)
        _check_language(found.trg_lang, lang, path)
        return found.render, None, [
            Reading(e.unit_id or None, e.source, e.target or "",
                    e.mark, e.written, e.comment)
            for e in found.entries if e.target is not None], None
    xliff = xliff_from_bytes(data, path)
    _check_language(xliff.trg_lang, lang, path)
    return xliff.render, None, [
        Reading(e.segment_id, e.source, e.target or "", e.state,
                as_written(e.state, e.sub_state), normal(e.comment))
        for e in xliff.entries if e.target is not None], None


def _po_written(entry: polib.POEntry) -> Status | None:
    """What a PO entry's extracted comment says we wrote: machine output, a tweet kept
    verbatim, a copy from the memory (None: nothing of ours, or a person's)."""
    lines = entry.comment.splitlines()
    fuzzy = "fuzzy" in entry.flags
    if fuzzy and MACHINE_NOTE in lines:
        return Status.MACHINE
    if fuzzy and is_verbatim(lines):
        return Status.VERBATIM
    if not fuzzy and MEMORY_NOTE in lines:
        return Status.FROM_MEMORY
    return None


def _placed(entries: Sequence[Reading], rows: Mapping[str, Kept], result: Harvest,
            path: Path, author: str | None) -> list[Reading]:
    """Entries with a segment id; one without gets the id of the store's segment with the
    same source (the n-th such entry the n-th such segment); the rest are reported."""
    by_source: dict[str, list[str]] = defaultdict(list)
    for sid, kept in sorted(rows.items(), key=lambda item: not item[1].present):
        by_source[kept.source].append(sid)
    taken = {r.sid for r in entries if r.sid}
    placed = []
    for reading in entries:
        if reading.sid:
            placed.append(reading)
            continue
        free = [sid for sid in by_source.get(reading.source, []) if sid not in taken]
        if free:
            taken.add(free[0])
            placed.append(replace(reading, sid=free[0]))
        elif reading.target.strip():
            result.unplaced.append(Change("", reading.source, reading.target, Status.DRAFT,
                                          author=author, where=path.name))
    return placed


def _before(reading: Reading, kind: FileKind, base: Rendered | None,
            written: Mapping[str, tuple[str, str, Status]] | None,
            readings: Mapping[FileKind, list[Reading]]
            ) -> tuple[str | None, Status | None]:
    """What we wrote into this entry (see ``shown``): from the render, else (a file the store
    never rendered) the JSONL record, the entry's own markers, or the XLIFF's for a PO
    entry; and then the status it was written with."""
    assert reading.sid is not None
    if base is not None:
        return base.entries.get(reading.sid), None
    status: Status | None = None
    if written is not None and reading.sid in written:
        _, target, status = written[reading.sid]
    elif reading.written is not None:
        target, status = reading.target, reading.written
    else:
        others = [*readings.get(FileKind.XLIFF, []), *readings.get(FileKind.XLIFF12, [])]
        for other in others:  # an old PO without markers: an XLIFF's say
            if other.sid == reading.sid and other.written is not None \
                    and other.target == reading.target:
                target, status = other.target, other.written
    if status is None:
        return None, None
    return shown(target, mark_of(status, kind)), status


def _jsonl_base(path: Path, limit: int) -> dict[str, tuple[str, str, Status]] | None:
    """What the JSONL file says was written (lenient: a damaged line is skipped)."""
    if not path.is_file():
        return None
    try:
        records = read_jsonl(path, strict=False, limit=limit)
    except InputError:
        return None
    return {r.id: (r.source, r.target, from_record(r.origin, r.fuzzy))
            for r in records}


def _settle(changes: list[Change]) -> list[Change]:
    """Several edits of one segment in one harvest: the newest file wins; with the same
    text, the strongest sign-off (final over reviewed over draft)."""
    newest = changes[-1]
    same = [c for c in changes if c.target == newest.target]
    rank = [Status.DRAFT, Status.REVIEWED, Status.FINAL]
    winner = max(same, key=lambda c: rank.index(c.status) if c.status in rank else -1)
    return [winner, *(c for c in changes if c is not winner and c.target != winner.target)]


def _newest(item: tuple[float, object]) -> float:
    return item[0]


def _mtime(path: Path) -> float:
    try:
        return os.stat(path).st_mtime
    except OSError:
        return 0.0


def _check_language(found: str | None, lang: str, path: Path) -> None:
    """A French review in the English folder would teach the memory wrong translations."""
    if found and not languages.belongs_to(found, lang):
        raise InputError(f"the file is in {found!r}, but it sits in the {lang!r} folder",
                         path=path)
