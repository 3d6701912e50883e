"""Bilingual gettext catalogs with polib: one PO file per article and target language.

msgctxt holds the segment id, so repeated sentences stay distinct and a reviewer's entry is
found again on the next run. Entries a person translated (not fuzzy) are never replaced; the
ones whose sentence left the article are kept as obsolete entries, as msgmerge does.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import os
import re
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path

import polib

from pipeline import __version__
from pipeline.formats.notes import render_notes, suggestion_note
from pipeline.formats.plurals import plural_forms
from pipeline.infra.atomic import write_text
from pipeline.infra.files import LIMITS, read_input
from pipeline.model.document import Document, Translation
from pipeline.model.errors import InputError
from pipeline.mt.engine import MACHINE_TRANSLATOR, TEST_WARNING, made_by_test_models

_DATE_KEYS = ("POT-Creation-Date", "PO-Revision-Date")
#: A catalog as polib reads and writes it (named here so callers need not import polib).
Catalog = polib.POFile
#: The header that names the render a file was written as (see pipeline.store.harvest).
RENDER_HEADER = "X-Pipeline-Render"


_STRING = r'"(?:[^"\\]|\\.)*"'
_KEYWORD = r"(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)"
#: obsolete (#~), previous (#|) and obsolete-previous (#~|) lines carry the same syntax
_PO_LINE = re.compile(rf"^(?:#~\s*(?:\|\s*)?|#\|\s*)?(?:{_KEYWORD}\s+)?{_STRING}\s*$")


def check_syntax(text: str, path: Path) -> None:
    """Reject what polib would silently misread (an unterminated string, a stray word)."""
    for number, line in enumerate(text.split("\n"), start=1):  # U+2028 is text, not a break
        stripped = line.strip()
        if not stripped or (stripped.startswith("#") and not stripped.startswith(("#~", "#|"))):
            continue
        if stripped in ("#~", "#|", "#~|") or _PO_LINE.match(stripped):
            continue
        raise InputError(f"PO syntax error: {stripped[:60]!r}", path=path, line=number)


def _decode(data: bytes, path: Path) -> str:
    """UTF-8, or the charset the header declares; a byte that fits neither names its line.
    A UTF-8 byte order mark (some Windows editors write one) is dropped."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    match = re.search(rb"charset=([\w.-]+)", data[:4096])
    charset = match.group(1).decode("ascii") if match else "utf-8"
    try:
        return data.decode(charset)
    except LookupError:
        raise InputError(f"unknown charset {charset!r} in the header", path=path) from None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"not valid {charset} (byte 0x{data[exc.start]:02x})", path=path,
                         line=line) from None


def read_catalog(path: Path, limit: int = LIMITS["bilingual"]) -> polib.POFile | None:
    """The catalog at ``path``, None if there is none; a broken one is an error with its line."""
    if not path.exists():
        return None
    return catalog_from_bytes(read_input(path, "a PO file", limit), path)


def catalog_from_bytes(data: bytes, path: Path) -> polib.POFile:
    """The catalog in ``data`` (read from ``path``); a broken one is an error with its line."""
    try:
        text = _decode(data, path)
        check_syntax(text, path)
        return parse_catalog(text)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        message = str(exc)
        line = None
        if "(line " in message:
            tail = message.rsplit("(line ", 1)[1].rstrip(")")
            line = int(tail) if tail.isdigit() else None
            message = message.rsplit(" (line ", 1)[0]
        raise InputError(f"cannot read PO file: {message}", path=path, line=line) from None


def parse_catalog(text: str) -> polib.POFile:
    """polib's parser over lines split at ``\n`` only: ``polib.pofile(text)`` splits at every
    Unicode line boundary, and a reviewer's U+2028 inside a msgstr would cut the string."""
    parser: polib._POFileParser[polib.POFile] = polib._POFileParser(
        text, encoding="utf-8", check_for_duplicates=False, klass=polib.POFile)
    parser.fhandle = io.StringIO(text, newline="\n")  # iterates at \n, as a file would
    catalog = parser.parse()
    catalog.wrapwidth = 0
    return catalog


def is_reviewed(entry: polib.POEntry) -> bool:
    """A person's work: translated and not fuzzy (obsolete entries count: they were kept)."""
    return bool(entry.msgstr) and "fuzzy" not in entry.flags


def reviewed_entries(catalog: polib.POFile | None) -> dict[str, polib.POEntry]:
    """Reviewed entries by segment id (msgctxt), live ones winning over obsolete ones."""
    if catalog is None:
        return {}
    found = {e.msgctxt: e for e in catalog if e.msgctxt and e.obsolete and is_reviewed(e)}
    found.update({e.msgctxt: e for e in catalog if e.msgctxt and not e.obsolete and is_reviewed(e)})
    return found


def _now() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch
              else dt.datetime.now(dt.UTC))
    return moment.strftime("%Y-%m-%d %H:%M+0000")


def build_catalog(
    document: Document, translations: Sequence[Translation], lang: str,
    previous: polib.POFile | None = None, render: str | None = None,
    gone: Sequence[tuple[str, str, str, bool]] = (),
    comments: Mapping[str, str] | None = None,
) -> polib.POFile:
    """A catalog in document order; a reviewer's comments and obsolete work are carried over.
    ``render`` names this render in the header (see pipeline.store.harvest); ``gone`` are
    people's translations of sentences that left the article, (id, source, target, fuzzy),
    kept as obsolete entries even when the file lost them; ``comments`` are the reviewers'
    comments the store holds per id (an empty one was cleared), else the file's are kept."""
    catalog = polib.POFile(wrapwidth=0)
    if previous is not None:
        catalog.header = previous.header  # a person's words about the file are theirs
    now = _now()
    reference = _reference(document.path.name)
    old_meta = previous.metadata if previous is not None else {}
    catalog.metadata = {
        "Project-Id-Version": document.slug,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": old_meta.get("POT-Creation-Date", now),
        "PO-Revision-Date": old_meta.get("PO-Revision-Date", now),
        "Last-Translator": old_meta.get("Last-Translator", MACHINE_TRANSLATOR),
        "Language-Team": old_meta.get("Language-Team", lang),
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": plural_forms(lang),
        "X-Generator": f"pipeline {__version__}",
        "X-Source-Language": document.language,
        "X-Source-File": reference,
    }
    if render is not None:
        catalog.metadata[RENDER_HEADER] = render
    if any(made_by_test_models(t.engine) for t in translations):
        catalog.metadata["X-Test-Models"] = TEST_WARNING
    old = {e.msgctxt: e for e in sorted(previous or [], key=lambda e: not e.obsolete)
           if e.msgctxt}
    by_source = {e.msgid: e for e in previous or [] if not e.obsolete}
    blocks = {b.index: b for b in document.blocks}
    for translation in translations:
        segment = translation.segment
        block = blocks[segment.block]
        lines = [f"{segment.kind.value}, block {segment.block + 1}"]
        if block.attribution is not None:
            lines.append(f"tweet by {block.attribution.author} ({block.attribution.handle})")
        lines.extend(render_notes(translation))
        lines.extend(suggestion_note(s) for s in translation.suggestions)
        entry = polib.POEntry(
            msgctxt=segment.id, msgid=segment.text, msgstr=translation.target,
            comment="\n".join(lines),
            occurrences=[(reference, str(segment.line))],
            flags=["fuzzy"] if translation.fuzzy else [],
            previous_msgid=translation.previous_source,
        )
        if comments is not None and segment.id in comments:
            entry.tcomment = comments[segment.id]
        elif segment.id in old:
            entry.tcomment = old[segment.id].tcomment
        elif translation.previous_source in by_source:  # the edited sentence keeps its comment
            entry.tcomment = by_source[translation.previous_source].tcomment
        catalog.append(entry)
    kept = {(t.segment.id, t.segment.text) for t in translations}
    placed = {(t.segment.text, t.target) for t in translations}
    placed |= {(t.previous_source, t.target) for t in translations if t.previous_source}
    placed |= {(t.segment.id, t.target) for t in translations}  # same id, msgid retyped
    carried = {t.previous_source for t in translations if t.previous_source}
    for entry in previous or []:
        if (entry.msgctxt, entry.msgid) in kept or (entry.msgid, entry.msgstr) in placed \
                or (entry.msgctxt, entry.msgstr) in placed:
            continue  # still here, or its work is (under another id)
        # a person's translation or comment is never dropped: it stays as an obsolete entry
        commented = bool(entry.tcomment) and entry.msgid not in carried
        if is_reviewed(entry) or commented:
            kept_entry = copy.copy(entry)  # the previous catalog stays as it was read
            kept_entry.obsolete = True
            catalog.append(kept_entry)
    present = {(e.msgctxt, e.msgid) for e in catalog}
    for sid, source, target, fuzzy in gone:
        if (sid, source) not in present | kept and (source, target) not in placed:
            catalog.append(polib.POEntry(msgctxt=sid, msgid=source, msgstr=target,
                                         flags=["fuzzy"] if fuzzy else [], obsolete=True))
    if previous is not None and _body(catalog) != _body(previous):
        catalog.metadata["PO-Revision-Date"] = now
    return catalog


def _reference(name: str) -> str:
    """A file name fit for a ``#:`` line or a header: control characters (a newline would end
    the comment) percent-encoded; a name with spaces isolated as GNU gettext does."""
    escaped = "".join(f"%{ord(c):02X}" if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")
                      or c == "%" else c for c in name)
    return f"\u2068{escaped}\u2069" if any(c.isspace() for c in escaped) else escaped


def _body(catalog: polib.POFile) -> str:
    """The catalog without its dates, to tell whether anything really changed."""
    return "\n".join(str(entry) for entry in catalog) + "\n" + "\n".join(
        f"{key}: {value}" for key, value in catalog.metadata.items() if key not in _DATE_KEYS)


def render_catalog(catalog: polib.POFile) -> str:
    """The file's text, always with one trailing newline."""
    return str(catalog).rstrip("\n") + "\n"


def write_catalog(path: Path, catalog: polib.POFile) -> None:
    """Write atomically."""
    write_text(path, render_catalog(catalog))
