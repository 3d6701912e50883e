"""Offline bilingual dictionaries on disk: where they are and how their entries read.

Two formats, as Debian ships them: Ding's text format (``trans-de-en``: one line per entry,
``German | plural | example :: English | plurals | example``) and FreeDict's dictd files
(``freedict-deu-eng.index`` + ``.dict.dz``). Both are GPL data read at run time, never
shipped; :mod:`pipeline.glossary.dictindex` turns them into a searchable cache.
"""

from __future__ import annotations

import gzip
import os
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.infra.files import MB, read_input
from pipeline.model.errors import GlossaryError, InputError

#: A folder of dictionaries to use instead of Debian's (tests, a copy on a laptop).
ENV = "PIPELINE_DICTIONARIES"
DEBIAN_FOLDERS = (Path("/usr/share/trans"), Path("/usr/share/dictd"))
PACKAGES = ("trans-de-en", "dict-freedict-deu-eng", "dict-freedict-deu-fra",
            "dict-freedict-deu-spa", "dict-freedict-eng-fra", "dict-freedict-eng-spa")
HINT = (f"no offline dictionaries found: apt-get install {' '.join(PACKAGES)} "
        f"(or put Ding/FreeDict files in a folder and pass --dictionaries DIR or set {ENV})")
#: The largest dictionary file read (Ding is 25 MB; FreeDict's deu-eng 100 MB unpacked).
LIMIT = 64 * MB
UNPACKED_LIMIT = 512 * MB
_ISO3 = {"deu": "de", "ger": "de", "eng": "en", "fra": "fr", "fre": "fr", "spa": "es",
         "ita": "it", "por": "pt", "nld": "nl", "pol": "pl", "swe": "sv", "dan": "da"}
_DICTD_RE = re.compile(r"freedict-([a-z]{3})-([a-z]{3})\.index\Z")
_DING_RE = re.compile(r"([a-z]{2})-([a-z]{2})(?:\.txt)?\Z")
#: A German synonym longer than this is an example sentence, not a headword.
_MAX_WORDS = 6


@dataclass(frozen=True)
class Source:
    """One dictionary file: ``path`` (Ding text, or a dictd ``.index`` beside its data)."""

    path: Path
    kind: str  # "ding" | "dictd"
    name: str
    src: str
    tgt: str

    @property
    def data(self) -> Path:
        """The dictd data file (``.dict.dz``, else ``.dict``); Ding's text is its own data."""
        if self.kind == "ding":
            return self.path
        packed = self.path.with_suffix(".dict.dz")
        return packed if packed.exists() else self.path.with_suffix(".dict")


@dataclass(frozen=True)
class Entry:
    """A headword and its translations, each with its labels (``comp.``, ``Br.``…).
    ``lemma``: the singular a plural headword belongs to (Ding's ``{pl}`` column)."""

    headword: str
    noun: bool
    translations: tuple[tuple[str, tuple[str, ...]], ...]
    lemma: str = ""


def discover(folder: Path | str | None = None) -> list[Source]:
    """The dictionaries in ``folder`` (else ``$PIPELINE_DICTIONARIES``, else Debian's folders)
    that the glossary can use: German to anything, English to anything but German (pivot)."""
    chosen = folder if folder is not None else os.environ.get(ENV) or None
    if chosen is not None and not Path(chosen).is_dir():
        raise GlossaryError("no such dictionary folder", path=chosen)
    roots = [Path(chosen)] if chosen is not None else list(DEBIAN_FOLDERS)
    found = []
    for root in (r for r in roots if r.is_dir()):
        for path in sorted(root.iterdir()):
            if (m := _DICTD_RE.match(path.name)) and (path.with_suffix(".dict.dz").exists()
                                                      or path.with_suffix(".dict").exists()):
                src, tgt = (_ISO3.get(code, code) for code in m.groups())
                found.append(Source(path, "dictd", path.name.removesuffix(".index"), src, tgt))
            elif (m := _DING_RE.match(path.name)) and path.is_file():
                found.append(Source(path, "ding", f"ding-{m[1]}-{m[2]}", m[1], m[2]))
    return [s for s in found if s.src == "de" or (s.src == "en" and s.tgt != "de")]


def read_entries(source: Source) -> tuple[str, Iterator[Entry]]:
    """The dictionary's family and every entry; a file that cannot be read is a
    GlossaryError. Dictionaries of one family count once when they agree: FreeDict's
    deu-eng is Ding converted (its info entry says so)."""
    if source.kind == "ding":
        text = _read(source.path).decode("utf-8", errors="replace")
        return "ding", (entry for line in text.splitlines()
                        if line.strip() and not line.startswith("#") for entry in ding_line(line))
    index = _read(source.path).decode("utf-8", errors="replace")
    data = _unpack(source.data)
    info = dictd_info(index, data)
    return ("ding" if "Ding" in info else source.name), dictd_entries(index, data)


def _read(path: Path) -> bytes:
    try:
        return read_input(path, "a dictionary file", LIMIT)
    except InputError as exc:
        raise GlossaryError(exc.message, path=exc.path) from None


def _unpack(path: Path) -> bytes:
    """The dictd data, unpacked (dictzip is gzip with a seek table), at most UNPACKED_LIMIT."""
    raw = _read(path)
    if not path.name.endswith(".dz"):
        return raw
    try:
        data = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(raw, UNPACKED_LIMIT + 1)
    except (zlib.error, gzip.BadGzipFile, EOFError) as exc:
        raise GlossaryError(f"not a dictzip file ({exc})", path=path) from None
    if len(data) > UNPACKED_LIMIT:
        raise GlossaryError(f"unpacks to more than {UNPACKED_LIMIT // MB} MB", path=path)
    return data


# --- pieces of an entry ----------------------------------------------------------------------

_LABEL_RE = re.compile(r"\[([^\[\]]+)\]")
_DROP_RE = re.compile(r"\{[^{}]*\}|\([^()]*\)|<[^<>]*>|\s/[^/\s][^/]*/(?=\s|$)|^/[^/\s][^/]*/")
_ABBR_RE = re.compile(r"(?:^|\s)/([^/\s][^/]*)/(?=\s|$)")
_NOUN_RE = re.compile(r"\{(?:m|f|n|pl|m,f|f,m|m,n|n,m)\}")


_OPEN, _CLOSE = frozenset("([{<"), frozenset(")]}>")
_BRACKET = re.compile(r"[(\[{<]")
_SPECIAL = {sep: re.compile(r"[\[\](){}<>" + re.escape(sep) + "]") for sep in "|;,"}


def split_outside(text: str, sep: str) -> list[str]:
    """``text`` split at ``sep`` (``|``, ``;`` or ``,``) where no bracket of any kind is open."""
    if not _BRACKET.search(text):
        return text.split(sep)
    parts, depth, start = [], 0, 0
    for m in _SPECIAL[sep].finditer(text):
        ch = m.group()
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(depth - 1, 0)
        elif depth == 0:
            parts.append(text[start:m.start()])
            start = m.end()
    return [*parts, text[start:]]


def clean(text: str) -> tuple[str, tuple[str, ...]]:
    """A term without grammar, comments, spelling hints and abbreviations, and its labels."""
    labels = tuple(label.strip() for label in _LABEL_RE.findall(text))
    bare = _LABEL_RE.sub(" ", text)
    while (shorter := _DROP_RE.sub(" ", bare)) != bare:
        bare = shorter
    return " ".join(bare.split()).strip(" ,;"), labels


def ding_line(line: str) -> list[Entry]:
    """The entries of one Ding line: each German synonym of each column, with the English
    synonyms of the same column; an abbreviation (``/KI/``) is its own headword."""
    german, sep, english = line.partition(" :: ")
    if not sep:
        return []
    left, right = split_outside(german, "|"), split_outside(english, "|")
    previous: list[str] = []  # the column before, whose plurals the next one may hold
    entries = []
    for de_part, en_part in zip(left, right, strict=False):
        _, shared = clean(re.sub(r"\([^()]*\)|\{[^{}]*\}", " ", de_part))
        targets = []
        en_synonyms = split_outside(en_part, ";")
        for synonym in en_synonyms:
            text, labels = clean(synonym)
            if text:
                targets.append((text, tuple(dict.fromkeys(shared + labels))))
        abbreviations = [a for s in en_synonyms if "/" in s for a in _ABBR_RE.findall(s)]
        plural = "{pl}" in de_part
        synonyms = split_outside(de_part, ";")
        heads = [clean(synonym)[0] for synonym in synonyms]
        for index, (synonym, head) in enumerate(zip(synonyms, heads, strict=True)):
            if not head or len(head.split()) > _MAX_WORDS or head[-1] in ".!?" or not targets:
                continue
            single = previous[index] if plural and index < len(previous) else ""
            lemma = single if single[:3].lower() == head[:3].lower() else ""
            entries.append(Entry(head, bool(_NOUN_RE.search(synonym)), tuple(targets), lemma))
            for abbr in _ABBR_RE.findall(synonym) if "/" in synonym else ():
                own = tuple((a, shared) for a in abbreviations) + tuple(targets)
                entries.append(Entry(abbr.strip(), True, own))
        previous = [] if plural else heads
    return entries


def dictd_entries(index: str, data: bytes) -> Iterator[Entry]:
    """Every entry a dictd ``.index`` points at (each offset once; ``00-database-*`` skipped)."""
    seen: set[tuple[int, int]] = set()
    for line in index.splitlines():
        fields = line.split("\t")
        if len(fields) != 3 or fields[0].startswith(("00-database", "00database")):
            continue
        span = (_b64(fields[1]), _b64(fields[2]))
        if span in seen:
            continue
        seen.add(span)
        entry = dictd_entry(data[span[0]:span[0] + span[1]].decode("utf-8", errors="replace"))
        if entry is not None:
            yield entry


def dictd_info(index: str, data: bytes) -> str:
    """The ``00-database-info`` text (who made the data), or empty."""
    for line in index.splitlines():
        fields = line.split("\t")
        if len(fields) == 3 and fields[0] in ("00-database-info", "00databaseinfo"):
            start = _b64(fields[1])
            return data[start:start + _b64(fields[2])].decode("utf-8", errors="replace")
    return ""


def dictd_entry(text: str) -> Entry | None:
    """One FreeDict entry: ``headword /ipa/ <pos>`` then translations, in one of three shapes:
    numbered senses (``1. battre, frapper``), or a first line of translations followed by
    examples, notes and cross references (Ding via FreeDict), or by a German gloss (WikDict)."""
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) < 2:
        return None
    head_line = lines[0]
    headword = re.split(r" /| <| \(| \[", head_line, maxsplit=1)[0].strip()
    tags = " ".join(re.findall(r"<([^<>]*)>", head_line))
    noun = bool(re.search(r"\bn\b", tags))
    numbered = [re.sub(r"^\s*\d+\.\s*", "", line) for line in lines[1:]
                if re.match(r"\s*\d+\.\s", line)]
    body = numbered or [lines[1]]
    translations: list[tuple[str, tuple[str, ...]]] = []
    for line in body:
        line = re.sub(r"\s+\d+\.\s*$", "", line).strip()
        if not line or line.startswith(('"', "see:", "Synonym", "Note:")):
            continue
        leading: tuple[str, ...] = ()
        while (m := re.match(r"\[([^\[\]]+)\]\s*", line)):
            leading, line = (*leading, m[1].strip()), line[m.end():]
        for piece in split_outside(re.sub(r"<[^<>]*>", ",", line), ","):
            text, labels = clean(piece)
            if text:
                translations.append((text, tuple(dict.fromkeys(leading + labels))))
            elif labels and translations:
                last, old = translations[-1]
                translations[-1] = (last, tuple(dict.fromkeys(old + labels)))
    if not headword or not translations:
        return None
    return Entry(headword, noun, tuple(dict.fromkeys(translations)))


_B64 = {ch: i for i, ch in enumerate(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}


def _b64(text: str) -> int:
    """dictd's base-64 numbers (most significant digit first)."""
    value = 0
    for ch in text.strip():
        value = value * 64 + _B64.get(ch, 0)
    return value
