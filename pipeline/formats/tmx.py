"""TMX 1.4b translation memories: what the pipeline translated, for CAT tools and later runs.

One ``<tu>`` per segment and target language, with a ``<tuv>`` for the source and one for the
target. Machine output is marked ``<prop type="x-origin">mt</prop>`` so a TM user can keep it
apart from a person's work (``human``); ``x-article`` and ``x-segment`` lead back to the
article. Tweets kept verbatim are left out: their "source" is not German.

TMX has no escape for characters XML 1.0 cannot hold (most C0 controls, U+FFFE/U+FFFF), so
the writer drops them; a sentence never needs them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from pipeline import __version__
from pipeline.infra.atomic import write_bytes
from pipeline.infra.files import LIMITS
from pipeline.infra.xmlsafe import parse_file
from pipeline.model import languages
from pipeline.model.annotations import MemoryOrigin
from pipeline.model.document import Document, Translation
from pipeline.model.errors import InputError
from pipeline.mt.engine import MACHINE_TRANSLATOR

TMX_VERSION = "1.4"
DOCTYPE = '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'
#: A memory unit's origins (see MemoryOrigin), the one table
ORIGINS = tuple(origin.value for origin in MemoryOrigin if origin.in_memory)
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
#: Inline elements holding native codes (``<b>``, ``{1}``…), not text: dropped on reading.
_CODES = frozenset({"bpt", "ept", "ph", "it", "ut", "sub"})


@dataclass(frozen=True)
class TmxRecord:
    """One source/target pair to write; ``created`` naive means UTC."""

    source: str
    target: str
    target_lang: str
    origin: str
    created: dt.datetime
    segment_id: str
    article: str
    #: the last change (TMX changedate); the creation date when there was none
    changed: dt.datetime | None = None


@dataclass(frozen=True)
class TmxVariant:
    """One ``<tuv>``: its language as written (``de``, ``de-DE``…) and its plain text."""

    lang: str
    text: str


@dataclass(frozen=True)
class TmxUnit:
    """One ``<tu>`` as read: any number of variants, its props, and the source language."""

    tuid: str | None
    srclang: str | None
    variants: tuple[TmxVariant, ...]
    props: tuple[tuple[str, str], ...] = ()
    creationdate: str | None = None
    changedate: str | None = None

    def prop(self, prop_type: str) -> str | None:
        """The first ``<prop>`` of that type, None if there is none."""
        return next((value for key, value in self.props if key == prop_type), None)

    def text(self, lang: str) -> str | None:
        """The text in ``lang``: the exact tag if present, else the same primary language
        (``de`` finds ``de-DE``), case and ``_``/``-`` ignored; None if there is none."""
        want = languages.key(lang)
        for variant in self.variants:
            if languages.key(variant.lang) == want:
                return variant.text
        for variant in self.variants:
            if languages.base(variant.lang) == languages.base(lang):
                return variant.text
        return None

    @property
    def source(self) -> str | None:
        """The source text; None when the source language is ``*all*`` or missing."""
        if not self.srclang or self.srclang == "*all*":
            return None
        return self.text(self.srclang)

    @property
    def origin(self) -> str | None:
        """``mt`` or ``human`` for the pipeline's own files."""
        return self.prop("x-origin")


def tmx_date(moment: dt.datetime) -> str:
    """TMX's date format, ``YYYYMMDDThhmmssZ``, in UTC."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def tmx_records(
    document: Document, translations: Sequence[Translation], lang: str, *, created: dt.datetime,
) -> list[TmxRecord]:
    """Records for one article and language: machine and human targets, not verbatim ones."""
    return [
        TmxRecord(
            source=t.segment.text, target=t.target, target_lang=lang,
            origin="human" if t.origin in ("human", "tm") else "mt", created=created,
            segment_id=t.segment.id, article=document.slug,
        )
        for t in translations
        if t.origin in ("mt", "human", "tm") and t.target.strip()
    ]


def render_tmx(units: Iterable[TmxRecord], srclang: str = "de") -> bytes:
    """The TMX document as UTF-8 bytes, records in the given order; same input, same bytes.

    The header's creationdate is the newest record's, so it does not change between runs.
    """
    records = list(units)
    root = etree.Element("tmx", version=TMX_VERSION)
    header = etree.SubElement(root, "header")
    for key, value in (
        ("creationtool", "pipeline"), ("creationtoolversion", __version__),
        ("segtype", "sentence"), ("o-tmf", "pipeline"), ("adminlang", "en"),
        ("srclang", languages.bcp47(srclang)), ("datatype", "plaintext"),
    ):
        header.set(key, value)
    if records:
        header.set("creationdate", max(tmx_date(r.created) for r in records))
    body = etree.SubElement(root, "body")
    seen: dict[str, int] = {}
    for record in records:
        _tu(body, record, languages.bcp47(srclang), seen)
    etree.indent(root, space="  ")
    xml = etree.tostring(root, encoding="UTF-8", xml_declaration=False, doctype=DOCTYPE)
    return _DECLARATION + xml + b"\n"


def write_tmx(path: Path, units: Iterable[TmxRecord], srclang: str = "de") -> None:
    """Render and replace ``path`` atomically."""
    write_bytes(path, render_tmx(units, srclang))


def _tu(body: etree._Element, record: TmxRecord, srclang: str, seen: dict[str, int]) -> None:
    """One ``<tu>``; its ``tuid`` is unique in the file (a repeat gets ``#2``, ``#3``…)."""
    if record.origin not in ORIGINS:
        raise ValueError(f"TMX origin {record.origin!r} is not one of {ORIGINS}")
    target_lang = languages.bcp47(record.target_lang)
    tu = etree.SubElement(body, "tu")
    tuid = _clean(f"{record.article}/{record.segment_id}/{target_lang}/{record.origin}")
    seen[tuid] = seen.get(tuid, 0) + 1
    tu.set("tuid", tuid if seen[tuid] == 1 else f"{tuid}#{seen[tuid]}")
    tu.set("creationdate", tmx_date(record.created))
    tu.set("changedate", tmx_date(record.changed or record.created))
    if record.origin == "mt":
        tu.set("creationid", MACHINE_TRANSLATOR)
    for prop_type, value in (("x-origin", record.origin), ("x-article", record.article),
                             ("x-segment", record.segment_id)):
        prop = etree.SubElement(tu, "prop", type=prop_type)
        prop.text = _clean(value)
    for lang, text in ((srclang, record.source), (target_lang, record.target)):
        tuv = etree.SubElement(tu, "tuv")
        tuv.set(XML_LANG, lang)
        etree.SubElement(tuv, "seg").text = _clean(text)


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


# -- reading -------------------------------------------------------------------------------


def read_tmx(path: Path) -> list[TmxUnit]:
    """Every ``<tu>`` of a TMX file (ours or another tool's), with the hardened parser.

    Variants keep their language tag as written (``xml:lang``, or TMX 1.1's ``lang``);
    segment text is the plain text, with inline native codes (bpt, ept, ph, it, ut) left out
    and ``<hi>`` kept.
    """
    root = parse_file(path, LIMITS["tmx"], "a TMX file").getroot()
    if root.tag != "tmx":
        raise InputError(f"not a TMX file (root element {root.tag!r})", path=path,
                         line=root.sourceline)
    header = root.find("header")
    srclang = header.get("srclang") if header is not None else None
    body = root.find("body")
    if body is None:
        raise InputError("TMX file without <body>", path=path, line=root.sourceline)
    return [_unit(path, tu, srclang) for tu in body.iterfind("tu")]


def _unit(path: Path, tu: etree._Element, srclang: str | None) -> TmxUnit:
    props = tuple((prop.get("type", ""), prop.text or "") for prop in tu.iterfind("prop"))
    variants = tuple(_variant(path, tuv) for tuv in tu.iterfind("tuv"))
    return TmxUnit(
        tuid=tu.get("tuid"), srclang=tu.get("srclang") or srclang, variants=variants,
        props=props, creationdate=tu.get("creationdate"), changedate=tu.get("changedate"),
    )


def _variant(path: Path, tuv: etree._Element) -> TmxVariant:
    lang = tuv.get(XML_LANG) or tuv.get("lang")
    if not lang:
        raise InputError("<tuv> without xml:lang", path=path, line=tuv.sourceline)
    seg = tuv.find("seg")
    if seg is None:
        raise InputError("<tuv> without <seg>", path=path, line=tuv.sourceline)
    return TmxVariant(lang=lang, text=_seg_text(seg))


def _seg_text(element: etree._Element) -> str:
    """Text and ``<hi>`` content in order; code elements contribute only their tails."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag not in _CODES:
            parts.append(_seg_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
