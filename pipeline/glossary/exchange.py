"""Term base exchange: TBX-Basic (TBX v3, DCA style, and TBX v2 of 2008) for CAT tools, CSV
for spreadsheets, and TSV with extra columns (``glossary suggest``'s file, after a person
edited it).

All carry every field of the TSV term base, so TSV → TBX/CSV → TSV loses nothing.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
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


# --- TBX-Basic: TBX v3 (ISO 30042:2019, DCA style) and TBX v2 (ISO 30042:2008) --------------

TBX_NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: TBX-Basic's partOfSpeech picklist has no phrase (``other``), and only v2 has proper nouns;
#: the exact pos, case and dnt columns travel in one note: ``glossary: pos=… case=… dnt=…``.
_POS_TO_TBX = {"noun": "noun", "verb": "verb", "adj": "adjective", "name": "noun",
               "phrase": "other"}
_POS_FROM_TBX = {"noun": "noun", "verb": "verb", "adjective": "adj", "adverb": "phrase",
                 "other": "phrase", "properNoun": "name"}
_FLAGS_RE = re.compile(r"glossary:((?: \w+=\w+)+)")
#: A listed target form (``fr_variants``) in its termSec: ``glossary: form=f.pl``.
_FORM_RE = re.compile(r"glossary: form=([\w.]+)")
_GENDER_TO_TBX = {Gender.M: "masculine", Gender.F: "feminine", Gender.N: "neuter"}
_STATUS = "{}Term-admn-sts"


@dataclass(frozen=True)
class Dialect:
    """The element names of one TBX version; everything else (data categories, picklists,
    our note) is the same in both."""

    version: str
    ns: str | None
    root: str
    header: str
    entry: str
    lang: str
    term_group: str
    proper_noun: str

    def q(self, tag: str) -> str:
        return f"{{{self.ns}}}{tag}" if self.ns else tag


V3 = Dialect("3", TBX_NS, "tbx", "tbxHeader", "conceptEntry", "langSec", "termSec", "noun")
#: TBX-Basic 2008 (v2): ``martif`` without a namespace, termEntry/langSet/tig, a DOCTYPE that
#: names the TBX-Basic DTD (never loaded) and the XCS in the header.
V2 = Dialect("2", None, "martif", "martifHeader", "termEntry", "langSet", "tig", "properNoun")
V2_DOCTYPE = '<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">'


def _sub(parent: etree._Element, dialect: Dialect, tag: str, text: str | None = None,
         **attrs: str) -> etree._Element:
    from lxml import etree

    element = etree.SubElement(parent, dialect.q(tag), {XML_LANG if k == "lang" else k: v
                                                         for k, v in attrs.items()})
    element.text = text
    return element


def export_tbx(concepts: Iterable[Concept], title: str = "news-l10n-pipeline term base",
               version: str = "3") -> bytes:
    """TBX-Basic, v3 (DCA style) or v2 (2008), pretty-printed and deterministic (sorted by
    id, no dates).

    Per concept: subjectField = domain; a ``glossary: pos= case= dnt=`` note; the free note;
    a German language section (headword preferred, variants admitted) and one per target
    language (target preferred, ``avoid`` renderings deprecated). Ids that are not XML names
    (``3d-modellierung``) get a leading ``_``.
    """
    from lxml import etree

    dialect = V3 if version == "3" else V2
    nsmap = {None: TBX_NS} if dialect.ns else None
    root = etree.Element(dialect.q(dialect.root), {"type": "TBX-Basic", XML_LANG: "de",
                                                   **({"style": "dca"} if dialect.ns else {})},
                         nsmap=nsmap)
    header = _sub(root, dialect, dialect.header)
    file_desc = _sub(header, dialect, "fileDesc")
    _sub(_sub(file_desc, dialect, "titleStmt"), dialect, "title", title)
    _sub(_sub(file_desc, dialect, "sourceDesc"), dialect, "p", "Exported from the TSV term "
         "base (see glossary/README.md). The note 'glossary: pos= case= dnt=' carries its pos, "
         "case and do-not-translate columns.")
    if dialect is V2:
        _sub(_sub(header, dialect, "encodingDesc"), dialect, "p", "TBXBasicXCSV02.xcs",
             type="XCSURI")
    body = _sub(_sub(root, dialect, "text"), dialect, "body")
    for c in sorted(concepts, key=lambda c: c.id):
        entry = _sub(body, dialect, dialect.entry, id=f"_{c.id}" if c.id[0].isdigit() else c.id)
        _sub(entry, dialect, "descrip", c.domain, type="subjectField")
        _sub(entry, dialect, "note",
             f"glossary: pos={c.pos} case={c.case} dnt={'yes' if c.dnt else 'no'}")
        if c.note:
            _sub(entry, dialect, "note", c.note)
        _lang_sec(entry, dialect, "de",
                  [(c.de, "preferred")] + [(v, "admitted") for v in c.variants], c.pos)
        for lang in dict.fromkeys([*c.targets, *c.target_variants, *c.avoid]):
            terms = [(c.targets[lang], "preferred")] if lang in c.targets else []
            _lang_sec(entry, dialect, lang,
                      terms + [(a, "deprecated") for a in c.avoid.get(lang, ())], c.pos,
                      c.target_variants.get(lang, ()))
    etree.indent(root, space="  ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True,
                          doctype=V2_DOCTYPE if dialect is V2 else None)


def _lang_sec(entry: etree._Element, dialect: Dialect, lang: str, terms: list[tuple[str, str]],
              pos: str, forms: Sequence[TargetForm] = ()) -> None:
    """The terms of one language; listed forms (``fr_variants``) go after the preferred term
    as admitted terms with their gender and a ``glossary: form=f.pl`` note."""
    sec = _sub(entry, dialect, dialect.lang, lang=lang)
    cut = 1 if terms[:1] and terms[0][1] == "preferred" else 0
    listed = [(f.text, "admitted", f) for f in forms]
    for term, status, form in [*((t, s, None) for t, s in terms[:cut]), *listed,
                               *((t, s, None) for t, s in terms[cut:])]:
        group = _sub(sec, dialect, dialect.term_group)
        _sub(group, dialect, "term", term)
        _sub(group, dialect, "termNote",
             dialect.proper_noun if pos == "name" else _POS_TO_TBX[pos], type="partOfSpeech")
        _sub(group, dialect, "termNote", _STATUS.format(status), type="administrativeStatus")
        if pos == "phrase":
            _sub(group, dialect, "termNote", "phrase", type="termType")
        if form is not None and form.gender is not None:
            _sub(group, dialect, "termNote", _GENDER_TO_TBX[form.gender],
                 type="grammaticalGender")
        if form is not None:
            _sub(group, dialect, "note", f"glossary: form={form.tags}")


def parse_xml(data: bytes, path: object) -> etree._Element:
    """The project's one hardened parse (pipeline.infra.xmlsafe), failing as a GlossaryError.

    TBX v3 needs no DOCTYPE, so there any DOCTYPE is refused; TBX v2 names its DTD in one,
    which is read as a name only (xmlsafe refuses entities, file paths, and loads nothing).
    """
    from pipeline.infra.xmlsafe import parse_bytes

    try:
        tree = parse_bytes(data, path=path)
    except InputError as exc:
        raise GlossaryError(exc.message, path=path, line=exc.line) from None
    if tree.docinfo.doctype and tree.getroot().tag != V2.root:
        raise GlossaryError("refused: a DOCTYPE in a term base file", path=path, line=1)
    return tree.getroot()


def import_tbx(path: Path, domain: str | None = None) -> list[Concept]:
    """Concepts from a TBX v3 or v2 file; ``domain`` overrides each entry's subjectField."""
    try:
        data = read_input(Path(path), "a TBX file", LIMITS["termbase"])
    except InputError as exc:
        raise GlossaryError(exc.message, path=exc.path, line=exc.line) from None
    root = parse_xml(data, path)
    dialect = next((d for d in (V3, V2) if root.tag == d.q(d.root)), None)
    if dialect is None:
        raise GlossaryError(f"not TBX v3 or v2: root is {root.tag!r}, not tbx in {TBX_NS} "
                            "or martif", path=path, line=root.sourceline)
    concepts = [_from_entry(e, dialect, Path(path), domain)
                for e in root.iter(dialect.q(dialect.entry))]
    if not concepts:
        raise GlossaryError(f"no {dialect.entry}", path=path)
    return concepts


def _text(element: etree._Element | None) -> str:
    text = "".join(element.itertext()) if element is not None else ""
    return re.sub(r"\s*[\t\r\n]\s*", " ", text).strip()


def _from_entry(entry: etree._Element, dialect: Dialect, path: Path, domain: str | None
                ) -> Concept:
    line = entry.sourceline or 0

    def bad(message: str) -> GlossaryError:
        return GlossaryError(f"{dialect.entry} {entry.get('id')!r}: {message}", path=path,
                             line=line)

    q = dialect.q
    cid = entry.get("id", "").removeprefix("_")
    subject = next((_text(d) for d in entry.findall(q("descrip"))
                    if d.get("type") == "subjectField"), "")
    flags: dict[str, str] = {}
    notes = []
    for note in entry.findall(q("note")):
        if match := _FLAGS_RE.fullmatch(_text(note)):
            for item in match.group(1).split():
                key, _, value = item.partition("=")
                flags[key] = value
        elif _text(note):
            notes.append(_text(note))
    langs: dict[str, list[tuple[str, str, str, str | None]]] = {}
    for sec in entry.findall(q(dialect.lang)):
        lang = languages.base(sec.get(XML_LANG, ""))
        if lang in langs or not LANG_RE.match(lang):
            raise bad(f"{dialect.lang} xml:lang {sec.get(XML_LANG)!r} is repeated or not a "
                      "language")
        langs[lang] = [_term_sec(ts, dialect) for ts in sec.findall(q(dialect.term_group))]
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


def _term_sec(term_sec: etree._Element, dialect: Dialect) -> tuple[str, str, str, str | None]:
    """(term, status without -admn-sts, partOfSpeech, the tags of a listed target form or
    None) of one termSec (v3) or tig (v2)."""
    notes = {n.get("type"): _text(n) for n in term_sec.findall(dialect.q("termNote"))}
    status = notes.get("administrativeStatus", "").removesuffix("Term-admn-sts")
    pos = "other" if notes.get("termType") == "phrase" else notes.get("partOfSpeech", "")
    tags = next((m.group(1) for n in term_sec.findall(dialect.q("note"))
                 if (m := _FORM_RE.fullmatch(_text(n)))), None)
    return _text(term_sec.find(dialect.q("term"))), status, pos, tags


def validate_tbx(data: bytes, schema: Path) -> list[str]:
    """RELAX NG errors of ``data`` against ``schema`` (empty when valid); for tests and CI."""
    from lxml import etree

    relaxng = etree.RelaxNG(etree.parse(str(schema)))
    document = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    return [] if relaxng.validate(document) else [str(e) for e in relaxng.error_log]


# --- CSV -------------------------------------------------------------------------------------

#: What makes a spreadsheet read a cell as a formula (CSV injection); such a cell is written
#: with a leading apostrophe, the spreadsheets' own "this is text" mark, which import removes.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def guard_cell(cell: str) -> str:
    """``=1+1`` → ``'=1+1``; a cell that starts with an apostrophe before one of those (or
    before another apostrophe) gets one more, so :func:`unguard_cell` is its exact inverse."""
    guarded = cell.startswith(FORMULA_START) or (cell[:1] == "'" and
                                                 cell[1:].startswith((*FORMULA_START, "'")))
    return "'" + cell if guarded else cell


def unguard_cell(cell: str) -> str:
    """Undo :func:`guard_cell` (an apostrophe before anything else is the text's own)."""
    return cell[1:] if cell[:1] == "'" and cell[1:].startswith((*FORMULA_START, "'")) else cell


def export_csv(concepts: Iterable[Concept]) -> str:
    """The TSV columns plus a last ``domain`` column, so one CSV holds every domain; cells
    a spreadsheet would run as formulas are guarded (:func:`guard_cell`)."""
    concepts = sorted(concepts, key=lambda c: c.id)
    langs = languages_of(concepts)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*FIXED_COLUMNS, *langs, *TAIL_COLUMNS, "domain"])
    writer.writerows([guard_cell(cell) for cell in [*concept_cells(c, langs), c.domain]]
                     for c in concepts)
    return out.getvalue()


def import_csv(path: Path, domain: str | None = None) -> list[Concept]:
    """Concepts from a CSV with the TSV columns (and optionally ``domain`` last); guarded
    cells are read back as they were (:func:`unguard_cell`)."""
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
            cells = [unguard_cell(cell) for cell in cells]
            if any(cell.strip() for cell in cells):
                row_domain = (cells.pop() if has_domain and cells else "").strip()
                concept = parse_row(cells, langs, domain or row_domain, Path(path),
                                    reader.line_num)
                concepts.append(storable(concept))
    except csv.Error as exc:  # a field over csv's limit, a NUL byte, a broken quote
        raise GlossaryError(f"not a usable CSV ({exc})", path=path,
                            line=reader.line_num or None) from None
    return concepts


# --- TSV with extra columns (suggestions) -----------------------------------------------------

def import_tsv(path: Path, domain: str | None = None) -> list[Concept]:
    """Concepts from a TSV with the term base's columns, then optionally more: ``domain``
    (else ``--domain``, else the file stem) and ``take`` (``yes`` imports the row, ``no`` or
    empty skips it); other extra columns and leading ``#`` lines are ignored."""
    try:
        text = read_text(Path(path), "a TSV file", LIMITS["termbase"], "utf-8-sig")
    except InputError as exc:
        raise GlossaryError(exc.message, path=exc.path, line=exc.line) from None
    lines = [(n, line.rstrip("\r")) for n, line in enumerate(text.split("\n"), 1)]
    lines = [(n, line) for n, line in lines if line.strip() and not line.startswith("#")]
    if not lines:
        raise GlossaryError("no header line", path=path)
    header = [cell.strip() for cell in lines[0][1].split("\t")]
    if "note" not in header:
        raise GlossaryError(f"header must be: {' '.join(FIXED_COLUMNS)} <languages…> "
                            f"{' '.join(TAIL_COLUMNS)} [more columns]", path=path,
                            line=lines[0][0])
    width = header.index("note") + 1
    langs = parse_header(header[:width], path)
    extra = {name: width + i for i, name in enumerate(header[width:])}
    concepts = []
    for number, line in lines[1:]:
        cells = line.split("\t")
        if len(cells) < width:
            raise GlossaryError(f"expected at least {width} columns, found {len(cells)}",
                                path=path, line=number)
        take = cells[extra["take"]].strip().lower() if "take" in extra and \
            extra["take"] < len(cells) else "yes"
        if take not in ("yes", "no", ""):
            raise GlossaryError(f"take {take!r} is not yes or no", path=path, line=number)
        if take != "yes":
            continue
        row_domain = cells[extra["domain"]].strip() if "domain" in extra and \
            extra["domain"] < len(cells) else Path(path).stem
        concepts.append(storable(parse_row(cells[:width], langs, domain or row_domain,
                                           Path(path), number)))
    return concepts


def read_exchange(path: Path, domain: str | None = None) -> list[Concept]:
    """TBX (``.tbx``, ``.xml``), CSV (``.csv``) or TSV (``.tsv``), by file extension."""
    suffix = Path(path).suffix.lower()
    if suffix in (".tbx", ".xml"):
        return import_tbx(path, domain)
    if suffix == ".csv":
        return import_csv(path, domain)
    if suffix == ".tsv":
        return import_tsv(path, domain)
    raise GlossaryError("unknown term base format (expected .tbx, .xml, .csv or .tsv)",
                        path=path)
