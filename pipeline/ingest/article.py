"""Read an article (plain text, Markdown or HTML) into a Document of typed blocks.

Every format ends in the same list of raw units (text, kind, source line), so tweet
detection and offsets work the same whatever the input was.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from pipeline.infra.files import read_input
from pipeline.ingest.plain import blank_separated, classify, text_units
from pipeline.ingest.raw import RawBlock, pending_attribution
from pipeline.ingest.tweets import TWEET_LINK_RE, parse_attribution
from pipeline.model.document import Block, BlockKind, Document
from pipeline.model.errors import InputError

FORMATS = ("text", "markdown", "html")
SUFFIXES = {
    ".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html",
}
#: A tweet is at most 280 characters (a link counts 23); German translations of English
#: tweets run about 1.5 times longer, so body lines beyond this budget belong to the article.
TWEET_BUDGET = 420
#: A long feature is ~100 KB; far beyond that the input is not an article (a dump, a log).
MAX_ARTICLE_BYTES = 2 * 1024 * 1024


def read_article(
    path: Path, fmt: str | None = None, max_bytes: int = MAX_ARTICLE_BYTES,
    language: str = "de",
) -> Document:
    """Read and parse one article file; every failure is an InputError naming the file."""
    return read_source(path, fmt, max_bytes, language)[0]


def read_source(
    path: Path, fmt: str | None = None, max_bytes: int = MAX_ARTICLE_BYTES,
    language: str = "de",
) -> tuple[Document, bytes]:
    """As read_article, with the bytes the article was read from (a pipe is read once)."""
    raw = read_raw(Path(path), max_bytes)
    return parse_raw(raw, Path(path), fmt, language), raw


def read_raw(path: Path, max_bytes: int = MAX_ARTICLE_BYTES) -> bytes:
    """An article's bytes, at most ``max_bytes`` (an InputError naming the file beyond)."""
    size = path.stat().st_size if path.is_file() else 0
    if size > max_bytes:
        raise InputError(
            f"{size / 1024**2:.1f} MB is too large for an article (limit "
            f"{max_bytes / 1024**2:.1f} MB; split it or raise --max-size)", path=path)
    return read_input(path, "an article (split it or raise --max-size)", max_bytes)


def parse_raw(raw: bytes, path: Path, fmt: str | None = None, language: str = "de") -> Document:
    """An article from its bytes (read here or shipped from another machine); ``path``
    names it and, with its suffix, tells the format unless ``fmt`` does."""
    text, encoding = decode(raw, path)
    fmt = fmt or detect_format(path, text)
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r} (use one of {', '.join(FORMATS)})", path=path)
    return parse_article(text, path=path, fmt=fmt, encoding=encoding, language=language)


def parse_article(
    text: str, *, path: Path, fmt: str = "text", encoding: str = "utf-8", language: str = "de"
) -> Document:
    """Parse decoded text; split out so tests and other callers need no file."""
    original = text  # HTML output splices into the source exactly as it was
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if fmt == "html":
        from pipeline.ingest.html import html_units

        units = html_units(original, path)
    elif fmt == "markdown":
        units = _markdown_units(text)
    else:
        units = text_units(text)
    units = _attach_tweets(units, path, allow_budget=fmt == "text" and not blank_separated(text))
    if not units:
        raise InputError("no text to translate (the article is empty)", path=path)
    return Document(
        path=path, slug=slugify(path.stem), format=fmt, text=_join(units),
        blocks=_blocks(units), encoding=encoding, language=language,
        original=original if fmt == "html" else None,
    )


def decode(raw: bytes, path: Path) -> tuple[str, str]:
    """UTF-8 (with or without BOM), else cp1252, which German Windows files use; else an error."""
    if not raw:
        raise InputError("file is empty", path=path)
    if not raw.strip():
        raise InputError("file is empty (only whitespace)", path=path)
    if b"\x00" in raw[:8192]:
        raise InputError("binary file, not a text article", path=path)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw, encoding = raw[3:], "utf-8-sig"
    else:
        encoding = "utf-8"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        try:
            text, encoding = raw.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            line = raw[: exc.start].count(b"\n") + 1
            raise InputError(
                f"not UTF-8 (byte 0x{raw[exc.start]:02x}) and not cp1252 either",
                path=path, line=line,
            ) from None
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    if controls > max(8, len(text) // 100):
        raise InputError("binary file, not a text article", path=path)
    if not text.strip():
        raise InputError("file is empty (only whitespace)", path=path)
    return text, encoding


def detect_format(path: Path, text: str) -> str:
    """By suffix; an unknown suffix is sniffed (markup → HTML, else plain text)."""
    fmt = SUFFIXES.get(path.suffix.lower())
    if fmt:
        return fmt
    head = text.lstrip()[:512].lower()
    if head.startswith(("<!doctype html", "<html")) or re.search(r"<(p|h[1-6]|body)\b", head):
        return "html"
    return "text"


def slugify(stem: str) -> str:
    """A file-system and URL safe name for an article's outputs."""
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_stem.lower()).strip("-")
    return slug or "article"


_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+(.*)$")
_MD_QUOTE = re.compile(r"^\s*>\s?(.*)$")


def _markdown_units(text: str) -> list[RawBlock]:
    units: list[RawBlock] = []
    para: list[str] = []
    quote: list[str] = []
    start = 0

    def flush() -> None:
        if para:
            body = "\n".join(para)
            units.append(RawBlock(body, start, classify(body) or BlockKind.PARAGRAPH))
            para.clear()
        if quote:
            lines = [q for q in quote if q.strip()]
            attribution = parse_attribution(lines[-1]) if lines else None
            if attribution is not None and len(lines) > 1:
                units.append(RawBlock("\n".join(lines[:-1]), start, BlockKind.QUOTE))
                units.append(pending_attribution(lines[-1], start + len(quote) - 1, attribution))
            elif lines:
                units.append(RawBlock("\n".join(lines), start, BlockKind.QUOTE))
            quote.clear()

    for number, line in enumerate(text.split("\n"), start=1):
        heading, item, quoted = _MD_HEADING.match(line), _MD_ITEM.match(line), _MD_QUOTE.match(line)
        if quoted:
            if para:
                flush()
            if not quote:
                start = number
            quote.append(quoted.group(1).strip())
            continue
        if quote:
            flush()
        if not line.strip():
            flush()
        elif heading:
            flush()
            units.append(RawBlock(heading.group(2), number, BlockKind.HEADING,
                                  len(heading.group(1))))
        elif item:
            flush()
            units.append(RawBlock(item.group(1).strip(), number, BlockKind.LIST_ITEM))
        elif (attribution := parse_attribution(line)) is not None:
            flush()
            units.append(pending_attribution(line, number, attribution))
        else:
            if not para:
                start = number
            para.append(line.strip())
    flush()
    return units


def _attach_tweets(units: list[RawBlock], path: Path, *, allow_budget: bool) -> list[RawBlock]:
    """Turn each attribution unit and the body before it into one tweet unit.

    A quote block right before the attribution is the body. In plain text a tweet may span
    several lines: preceding lines join the body while the tweet stays within its budget.
    """
    out: list[RawBlock] = []
    for unit in units:
        if not unit.pending:
            out.append(unit)
            continue
        if not out or out[-1].kind in (BlockKind.HEADING, BlockKind.TWEET):
            raise InputError("tweet attribution without a tweet body", path=path, line=unit.line)
        body = [out.pop()]
        if allow_budget and body[0].kind is BlockKind.PARAGRAPH:
            while (
                out
                and out[-1].kind is BlockKind.PARAGRAPH
                and _tweet_length(out[-1].text) + sum(_tweet_length(b.text) for b in body)
                <= TWEET_BUDGET
            ):
                body.insert(0, out.pop())
        text = "\n".join(b.text for b in body)
        out.append(RawBlock(text, body[0].line, BlockKind.TWEET, attribution=unit.attribution))
    return out


def _tweet_length(text: str) -> int:
    """Length as Twitter counts it: every t.co or pic.twitter.com link costs 23."""
    return len(TWEET_LINK_RE.sub("x" * 23, text))


def _join(units: list[RawBlock]) -> str:
    return "\n\n".join(u.text for u in units)


def _blocks(units: list[RawBlock]) -> tuple[Block, ...]:
    blocks: list[Block] = []
    offset = 0
    for index, unit in enumerate(units):
        end = offset + len(unit.text)
        blocks.append(Block(
            index=index, kind=unit.kind, text=unit.text, start=offset, end=end, line=unit.line,
            level=unit.level, attribution=unit.attribution, origin=unit.origin,
            kept=unit.kept,
        ))
        offset = end + 2
    return tuple(blocks)

