"""One hardened way to read XML (XLIFF, TMX, TBX…) that reviewers and other tools hand back.

Those files come from outside, so a reader must never fetch a URL, open a local file named in
a DTD, or expand entities (XXE, billion laughs). libxml2 is told not to (no entity
substitution, no DTD loading, no network, default size limits), and on top of that a document
is refused when its DOCTYPE declares entities, points at a DTD by URL or absolute path, or
still holds an entity reference. Every failure is one InputError naming the file and, where
known, the line.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from pipeline.infra.files import LIMITS, read_input
from pipeline.model.errors import InputError

#: A DTD named by a local file URI or absolute path is refused: no legitimate exchange file
#: points into the reader's file system. Plain names (``tmx14.dtd``) and the http(s) URLs
#: older TMX/XLIFF tools write are accepted; no DTD is ever loaded either way.
_REMOTE_SYSTEM_ID = re.compile(r"^(?!https?://)(?:[A-Za-z][A-Za-z0-9+.-]*:|[/\\])")


def make_parser() -> etree.XMLParser:
    """A fresh parser (lxml parsers are not thread-safe) that never resolves or loads anything.

    ``huge_tree=False`` keeps libxml2's limits on depth and node size and its guard against
    entity amplification; ``resolve_entities=False`` leaves any entity as a reference node
    instead of substituting it (lxml 5's default substitutes internal entities).
    """
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        attribute_defaults=False,
        remove_pis=False,
        strip_cdata=True,
    )


def parse_file(path: Path, limit: int = LIMITS["bilingual"], what: str = "an XML file"
               ) -> etree._ElementTree:
    """Read (at most ``limit`` bytes) and parse ``path``; unreadable, too large, malformed or
    unsafe XML is an InputError."""
    return parse_bytes(read_input(Path(path), what, limit), path=path)


def parse_bytes(data: bytes, *, path: object) -> etree._ElementTree:
    """Parse XML given as bytes (so the XML declaration decides the encoding) and check it.

    ``path`` only names the source in error messages; nothing is read from it.
    """
    parser = make_parser()
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc, parser.error_log, data, path) from None
    except ValueError as exc:  # e.g. a str with an encoding declaration
        raise InputError(f"not well-formed XML: {exc}", path=path) from None
    tree = root.getroottree()
    _check_doctype(tree, data, path)
    _check_no_entity_refs(root, path)
    return tree


def _syntax_error(
    exc: etree.XMLSyntaxError, log: etree._ListErrorLog, data: bytes, path: object
) -> InputError:
    """The first error libxml2 reported (the cause, not the follow-ups), with its line.

    The parser's own log, not the exception's: lxml's exception log also holds the errors of
    earlier parses in the same thread.
    """
    errors = [entry for entry in log if entry.level >= etree.ErrorLevels.ERROR]
    entry = errors[0] if errors else None
    message = " ".join((entry.message if entry is not None else exc.msg or "").split())
    line = entry.line if entry is not None else exc.lineno
    lowered = message.lower()
    if "amplification" in lowered or ("entity" in lowered and "loop" in lowered):
        # libxml2 reports these at line 1; the DOCTYPE that declared the entities is the cause
        return InputError(f"refused: entity expansion ({message})", path=path,
                          line=_doctype_line(data) or line or None)
    return InputError(f"not well-formed XML: {message}", path=path, line=line or None)


def _check_doctype(tree: etree._ElementTree, data: bytes, path: object) -> None:
    """No entity declarations and no DTD by URL; a bare DTD name (never loaded) is fine."""
    info = tree.docinfo
    dtd = info.internalDTD
    if dtd is not None:
        names = sorted(entity.name or "" for entity in dtd.iterentities())
        if names:
            raise InputError(
                f"refused: the DOCTYPE declares entities ({', '.join(names[:3])})",
                path=path, line=_doctype_line(data),
            )
    system_url = info.system_url
    if system_url and _REMOTE_SYSTEM_ID.match(system_url):
        raise InputError(
            "refused: the DOCTYPE points into the file system "
            f"({' '.join(system_url.split())[:80]})",
            path=path, line=_doctype_line(data),
        )


def _check_no_entity_refs(root: etree._Element, path: object) -> None:
    """An entity left unresolved (declared in an unloaded DTD) would silently lose text."""
    for node in root.iter(etree.Entity):
        raise InputError(f"refused: undefined entity {node.text}", path=path,
                         line=node.sourceline)


def _doctype_line(data: bytes) -> int | None:
    """Line of ``<!DOCTYPE`` in ASCII-compatible encodings; None when it cannot be found."""
    index = data.find(b"<!DOCTYPE")
    return data.count(b"\n", 0, index) + 1 if index >= 0 else None
