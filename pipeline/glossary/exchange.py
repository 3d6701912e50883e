"""Term base exchange: TBX-Basic (TBX v3, DCA style) for CAT tools, CSV for spreadsheets.

Both carry every field of the TSV term base, so TSV → TBX/CSV → TSV loses nothing.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.glossary.inflect import Gender, TargetForm, parse_forms
from pipeline.glossary.termbase import (
    FIXED_COLUMNS,
    LANG_RE,
    SLUG_RE,
    TAIL_COLUMNS,
    Concept,
    concept_cells,
    languages_of,
    parse_header,
    parse_row,
    storable,
)
from pipeline.infra.files import LIMITS, read_input, read_text
from pipeline.model import languages
from pipeline.model.errors import GlossaryError, InputError

if TYPE_CHECKING:  # lxml is imported where TBX is read or written: the CLI's --help stays light
    from lxml import etree


# --- TBX-Basic (TBX v3, DCA style) -----------------------------------------------------------

TBX_NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: TBX-Basic's partOfSpeech picklist has no proper noun and no phrase: names are nouns, phrases
#: ``other``. The exact pos, case and dnt columns travel in one note: ``glossary: pos=… …``.
_POS_TO_TBX = {"noun": "noun", "verb": "verb", "adj": "adjective", "name": "noun",
               "phrase": "other"}
_POS_FROM_TBX = {"noun": "noun", "verb": "verb", "adjective": "adj", "adverb": "phrase",
                 "other": "phrase"}
_FLAGS_RE = re.compile(r"glossary:((?: \w+=\w+)+)")
#: A listed target form (``fr_variants``) in its termSec: ``glossary: form=f.pl``.
_FORM_RE = re.compile(r"glossary: form=([\w.]+)")
_GENDER_TO_TBX = {Gender.M: "masculine", Gender.F: "feminine", Gender.N: "neuter"}
_STATUS = "{}Term-admn-sts"


def _q(tag: str) -> str:
    return f"{{{TBX_NS}}}{tag}"


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str
         ) -> etree._Element:
    from lxml import etree

    element = etree.SubElement(parent, _q(tag), {XML_LANG if k == "lang" else k: v
                                                  for k, v in attrs.items()})
    element.text = text
    return element


def export_tbx(concepts: Iterable[Concept], title: str = "news-l10n-pipeline term base"
               ) -> bytes:
    """TBX-Basic, pretty-printed and deterministic (sorted by id, no dates).

    Per concept: subjectField = domain; a ``glossary: pos= case= dnt=`` note; the free note;
    a German langSec (headword preferred, variants admitted) and one langSec per target
    language (target preferred, ``avoid`` renderings deprecated). Ids that are not XML names
    (``3d-modellierung``) get a leading ``_``.
    """
    from lxml import etree

    root = etree.Element(_q("tbx"), {"type": "TBX-Basic", "style": "dca", XML_LANG: "de"},
                         nsmap={None: TBX_NS})
    file_desc = _sub(_sub(root, "tbxHeader"), "fileDesc")
    _sub(_sub(file_desc, "titleStmt"), "title", title)
    _sub(_sub(file_desc, "sourceDesc"), "p", "Exported from the TSV term base (see "
         "glossary/README.md). The note 'glossary: pos= case= dnt=' carries its pos, case "
         "and do-not-translate columns.")
    body = _sub(_sub(root, "text"), "body")
    for c in sorted(concepts, key=lambda c: c.id):
        entry = _sub(body, "conceptEntry", id=f"_{c.id}" if c.id[0].isdigit() else c.id)
        _sub(entry, "descrip", c.domain, type="subjectField")
        _sub(entry, "note", f"glossary: pos={c.pos} case={c.case} dnt={'yes' if c.dnt else 'no'}")
        if c.note:
            _sub(entry, "note", c.note)
        _lang_sec(entry, "de", [(c.de, "preferred")] + [(v, "admitted") for v in c.variants],
                  c.pos)
        for lang in dict.fromkeys([*c.targets, *c.target_variants, *c.avoid]):
            terms = [(c.targets[lang], "preferred")] if lang in c.targets else []
            _lang_sec(entry, lang, terms + [(a, "deprecated") for a in c.avoid.get(lang, ())],
                      c.pos, c.target_variants.get(lang, ()))
    etree.indent(root, space="  ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _lang_sec(entry: etree._Element, lang: str, terms: list[tuple[str, str]], pos: str,
              forms: Sequence[TargetForm] = ()) -> None:
    """The terms of one language; listed forms (``fr_variants``) go after the preferred term
    as admitted terms with their gender and a ``glossary: form=f.pl`` note."""
    sec = _sub(entry, "langSec", lang=lang)
    cut = 1 if terms[:1] and terms[0][1] == "preferred" else 0
    listed = [(f.text, "admitted", f) for f in forms]
    for term, status, form in [*((t, s, None) for t, s in terms[:cut]), *listed,
                               *((t, s, None) for t, s in terms[cut:])]:
        term_sec = _sub(sec, "termSec")
        _sub(term_sec, "term", term)
        _sub(term_sec, "termNote", _POS_TO_TBX[pos], type="partOfSpeech")
        _sub(term_sec, "termNote", _STATUS.format(status), type="administrativeStatus")
        if pos == "phrase":
            _sub(term_sec, "termNote", "phrase", type="termType")
        if form is not None and form.gender is not None:
            _sub(term_sec, "termNote", _GENDER_TO_TBX[form.gender], type="grammaticalGender")
        if form is not None:
            _sub(term_sec, "note", f"glossary: form={form.tags}")


def parse_xml(data: bytes, path: object) -> etree._Element:
    """The project's one hardened parse (pipeline.infra.xmlsafe), failing as a GlossaryError.

    TBX-Basic files need no DOCTYPE, so unlike other exchange files any DOCTYPE is refused.
    """
    from pipeline.infra.xmlsafe import parse_bytes

    try:
        tree = parse_bytes(data, path=path)
    except InputError as exc:
        raise GlossaryError(exc.message, path=path, line=exc.line) from None
    if tree.docinfo.doctype:
        raise GlossaryError("refused: a DOCTYPE in a term base file", path=path, line=1)
    return tree.getroot()


def import_tbx(path: Path, domain: str | None = None) -> list[Concept]:
    """Concepts from a TBX file; ``domain`` overrides each entry's subjectField."""
    try:
        data = read_input(Path(path), "a TBX file", LIMITS["termbase"])
    except InputError as exc:
        raise GlossaryError(exc.message, path=exc.path, line=exc.line) from None
    root = parse_xml(data, path)
    if root.tag != _q("tbx"):
        raise GlossaryError(f"not TBX v3: root is {root.tag!r}, not tbx in {TBX_NS}",
                            path=path, line=root.sourceline)
    concepts = [_from_entry(e, Path(path), domain) for e in root.iter(_q("conceptEntry"))]
    if not concepts:
        raise GlossaryError("no conceptEntry", path=path)
    return concepts


def _text(element: etree._Element | None) -> str:
    text = "".join(element.itertext()) if element is not None else ""
    return re.sub(r"\s*[\t\r\n]\s*", " ", text).strip()


def _from_entry(entry: etree._Element, path: Path, domain: str | None) -> Concept:
    line = entry.sourceline or 0

    def bad(message: str) -> GlossaryError:
        return GlossaryError(f"conceptEntry {entry.get('id')!r}: {message}", path=path, line=line)

    cid = entry.get("id", "").removeprefix("_")
    subject = next((_text(d) for d in entry.findall(_q("descrip"))
                    if d.get("type") == "subjectField"), "")
    flags: dict[str, str] = {}
    notes = []
    for note in entry.findall(_q("note")):
        if match := _FLAGS_RE.fullmatch(_text(note)):
            for item in match.group(1).split():
                key, _, value = item.partition("=")
                flags[key] = value
        elif _text(note):
            notes.append(_text(note))
    langs: dict[str, list[tuple[str, str, str, str | None]]] = {}
    for sec in entry.findall(_q("langSec")):
        lang = languages.base(sec.get(XML_LANG, ""))
        if lang in langs or not LANG_RE.match(lang):
            raise bad(f"langSec xml:lang {sec.get(XML_LANG)!r} is repeated or not a language")
        langs[lang] = [_term_sec(ts) for ts in sec.findall(_q("termSec"))]
    german = langs.pop("de", [])
    usable = [t for t in german if t[1] not in ("deprecated", "superseded")]
    if not usable:
        raise bad("no German (de) term")
    targets, avoid, forms = {}, {}, {}
    for lang, terms in langs.items():
        kept = [t for t, status, _, tags in terms
                if status not in ("deprecated", "superseded") and tags is None]
        if kept:
            targets[lang] = kept[0]
        notes += [f"{lang} also: {t}" for t in kept[1:]]
        if dropped := tuple(t for t, s, _, _ in terms if s in ("deprecated", "superseded")):
            avoid[lang] = dropped
        if listed := "|".join(f"{tags}={t}" for t, _, _, tags in terms if tags is not None):
            forms[lang] = parse_forms(listed, path, line)
    notes += [f"de deprecated: {t[0]}" for t in german if t not in usable]
    head = next((t for t in usable if t[1] == "preferred"), usable[0])
    pos = flags.get("pos") or _POS_FROM_TBX.get(head[2], "noun")
    concept = Concept(cid, domain or subject, head[0],
                      tuple(t[0] for t in usable if t is not head), pos,
                      flags.get("case", "any"), flags.get("dnt", "no") == "yes", targets, avoid,
                      " ".join(notes), path, line, forms)
    if not SLUG_RE.match(cid) or flags.get("dnt", "no") not in ("yes", "no"):
        raise bad("id is not a lowercase slug, or dnt is not yes/no")
    return storable(concept)


def _term_sec(term_sec: etree._Element) -> tuple[str, str, str, str | None]:
    """(term, status without -admn-sts, partOfSpeech, the tags of a listed target form or
    None) of one termSec."""
    notes = {n.get("type"): _text(n) for n in term_sec.findall(_q("termNote"))}
    status = notes.get("administrativeStatus", "").removesuffix("Term-admn-sts")
    pos = "other" if notes.get("termType") == "phrase" else notes.get("partOfSpeech", "")
    tags = next((m.group(1) for n in term_sec.findall(_q("note"))
                 if (m := _FORM_RE.fullmatch(_text(n)))), None)
    return _text(term_sec.find(_q("term"))), status, pos, tags


def validate_tbx(data: bytes, schema: Path) -> list[str]:
    """RELAX NG errors of ``data`` against ``schema`` (empty when valid); for tests and CI."""
    from lxml import etree

    relaxng = etree.RelaxNG(etree.parse(str(schema)))
    document = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    return [] if relaxng.validate(document) else [str(e) for e in relaxng.error_log]


# --- CSV -------------------------------------------------------------------------------------

def export_csv(concepts: Iterable[Concept]) -> str:
    """The TSV columns plus a last ``domain`` column, so one CSV holds every domain."""
    concepts = sorted(concepts, key=lambda c: c.id)
    langs = languages_of(concepts)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*FIXED_COLUMNS, *langs, *TAIL_COLUMNS, "domain"])
    writer.writerows([*concept_cells(c, langs), c.domain] for c in concepts)
    return out.getvalue()


def import_csv(path: Path, domain: str | None = None) -> list[Concept]:
    """Concepts from a CSV with the TSV columns (and optionally ``domain`` last)."""
    try:
        text = read_text(Path(path), "a CSV file", LIMITS["termbase"], "utf-8-sig")
    except InputError as exc:
        raise GlossaryError(exc.message, path=exc.path, line=exc.line) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [cell.strip() for cell in next(reader, [])]
        has_domain = header[-1:] == ["domain"]
        langs = parse_header(header, path, ("domain",) if has_domain else ())
        concepts = []
        for cells in reader:
            if any(cell.strip() for cell in cells):
                row_domain = (cells.pop() if has_domain and cells else "").strip()
                concept = parse_row(cells, langs, domain or row_domain, Path(path),
                                    reader.line_num)
                concepts.append(storable(concept))
    except csv.Error as exc:  # a field over csv's limit, a NUL byte, a broken quote
        raise GlossaryError(f"not a usable CSV ({exc})", path=path,
                            line=reader.line_num or None) from None
    return concepts


def read_exchange(path: Path, domain: str | None = None) -> list[Concept]:
    """TBX (``.tbx``, ``.xml``) or CSV (``.csv``), by file extension."""
    suffix = Path(path).suffix.lower()
    if suffix in (".tbx", ".xml"):
        return import_tbx(path, domain)
    if suffix == ".csv":
        return import_csv(path, domain)
    raise GlossaryError("unknown term base format (expected .tbx, .xml or .csv)", path=path)
