"""The term base on disk: data model, TSV reader and writer, lint, TBX-Basic and CSV exchange.

The TSV files (format in glossary/README.md) are the source of truth. TBX v3 (TBX-Basic, DCA
style) is for CAT tools and CSV for spreadsheets; both carry every field, so a round trip
TSV → TBX/CSV → TSV loses nothing.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import GlossaryError
from pipeline.writers.atomic import write_text

if TYPE_CHECKING:  # lxml is imported where TBX is read or written: the CLI's --help stays light
    from lxml import etree

FIXED_COLUMNS = ("id", "de", "variants", "pos", "case", "dnt")
TAIL_COLUMNS = ("avoid", "note")
REQUIRED_LANGS = ("en", "fr", "es")
POS_VALUES = ("noun", "verb", "adj", "name", "phrase")
CASE_VALUES = ("exact", "any")
SLUG_RE = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
DOMAIN_RE = re.compile(r"[a-z0-9][a-z0-9_-]*\Z")
_LANG_RE = re.compile(r"[a-z]{2,3}\Z")


@dataclass(frozen=True)
class Concept:
    """One row of the term base. ``path``/``line`` say where it came from; equality ignores them,
    so a concept that went through TBX or CSV compares equal to the one that was loaded."""

    id: str
    domain: str
    de: str
    variants: tuple[str, ...]
    pos: str
    case: str
    dnt: bool
    targets: dict[str, str]
    avoid: dict[str, tuple[str, ...]]
    note: str = ""
    path: Path | None = field(default=None, compare=False)
    line: int = field(default=0, compare=False)

    def __hash__(self) -> int:  # the dict fields are unhashable; equal concepts share an id
        return hash(self.id)

    @property
    def forms(self) -> tuple[str, ...]:
        """Every German spelling the matcher looks for: the headword, then the variants."""
        return (self.de, *self.variants)


@dataclass(frozen=True)
class LintIssue:
    """A problem found by :func:`lint`; ``str()`` is the ``path:line: severity: message`` line."""

    path: Path
    line: int
    severity: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"


# --- reading TSV -----------------------------------------------------------------------------

def parse_header(cells: Sequence[str], path: object, extra: tuple[str, ...] = ()
                 ) -> tuple[str, ...]:
    """Check the header and return its language columns (between ``dnt`` and ``avoid``)."""
    n, tail = len(FIXED_COLUMNS), TAIL_COLUMNS + extra
    if (tuple(cells[:n]) != FIXED_COLUMNS or tuple(cells[-len(tail):]) != tail
            or len(cells) <= n + len(tail)):
        raise GlossaryError(f"header must be: {' '.join(FIXED_COLUMNS)} <languages…> "
                            f"{' '.join(tail)}", path=path, line=1)
    langs = tuple(cells[n:-len(tail)])
    for code in langs:
        if not _LANG_RE.match(code) or langs.count(code) > 1:
            raise GlossaryError(f"header column {code!r} is not a (unique) language code",
                                path=path, line=1)
    return langs


def parse_avoid(cell: str, path: object = None, line: int | None = None
                ) -> dict[str, tuple[str, ...]]:
    """``en=a|fr=b|en=c`` → ``{"en": ("a", "c"), "fr": ("b",)}``."""
    avoid: dict[str, tuple[str, ...]] = {}
    for item in filter(None, cell.split("|")):
        code, sep, term = (part.strip() for part in item.partition("="))
        if not sep or not term or not _LANG_RE.match(code):
            raise GlossaryError(f"avoid item {item!r} is not lang=text", path=path, line=line)
        avoid[code] = (*avoid.get(code, ()), term)
    return avoid


def parse_row(cells: Sequence[str], langs: tuple[str, ...], domain: str, path: object,
              line: int) -> Concept:
    """One data row → Concept; anything malformed is a GlossaryError naming path and line."""
    width = len(FIXED_COLUMNS) + len(langs) + len(TAIL_COLUMNS)
    if len(cells) != width:
        raise GlossaryError(f"expected {width} columns, found {len(cells)}", path=path, line=line)
    cells = [cell.strip() for cell in cells]
    cid, de, variants, pos, case, dnt = cells[:len(FIXED_COLUMNS)]

    def bad(message: str) -> GlossaryError:
        return GlossaryError(message, path=path, line=line)

    if not SLUG_RE.match(cid):
        raise bad(f"id {cid!r} is not a lowercase ASCII slug")
    if not de:
        raise bad(f"{cid}: empty German headword")
    if pos not in POS_VALUES:
        raise bad(f"{cid}: pos {pos!r} is not one of {', '.join(POS_VALUES)}")
    if case not in CASE_VALUES:
        raise bad(f"{cid}: case {case!r} is not exact or any")
    if dnt not in ("yes", "no"):
        raise bad(f"{cid}: dnt {dnt!r} is not yes or no")
    texts = cells[len(FIXED_COLUMNS):len(FIXED_COLUMNS) + len(langs)]
    targets = {lang: term for lang, term in zip(langs, texts, strict=True) if term}
    return Concept(cid, domain, de, tuple(v.strip() for v in variants.split("|") if v.strip()),
                   pos, case, dnt == "yes", targets, parse_avoid(cells[-2], path, line),
                   cells[-1], Path(path) if path is not None else None, line)


def read_table(path: Path) -> tuple[tuple[str, ...], list[tuple[int, list[str]]]]:
    """The header's languages and the raw (line number, cells) rows; blank lines are skipped."""
    try:
        text = Path(path).read_text(encoding="utf-8").removeprefix("\ufeff")
    except (OSError, UnicodeDecodeError) as exc:
        raise GlossaryError(f"cannot read: {exc}", path=path) from None
    lines = text.split("\n")
    langs = parse_header([c.strip() for c in lines[0].split("\t")], path)
    return langs, [(no, ln.split("\t")) for no, ln in enumerate(lines[1:], 2) if ln.strip()]


def load_file(path: Path) -> list[Concept]:
    """Concepts of one TSV; its domain is the file stem."""
    langs, rows = read_table(path)
    return [parse_row(cells, langs, Path(path).stem, path, no) for no, cells in rows]




def load_folder(folder: Path) -> list[Concept]:
    """Every concept of every ``*.tsv`` in ``folder``, file by file (no cross checks)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise GlossaryError("no such term base folder", path=folder)
    return [c for path in sorted(folder.glob("*.tsv")) for c in load_file(path)]


# --- writing TSV -----------------------------------------------------------------------------

def _cells(c: Concept, langs: Sequence[str]) -> list[str]:
    order = [*langs, *(lang for lang in c.avoid if lang not in langs)]
    avoid = "|".join(f"{lang}={term}" for lang in order for term in c.avoid.get(lang, ()))
    return [c.id, c.de, "|".join(c.variants), c.pos, c.case, "yes" if c.dnt else "no",
            *(c.targets.get(lang, "") for lang in langs), avoid, c.note]


def render_tsv(concepts: Iterable[Concept], langs: Sequence[str]) -> str:
    """A whole domain file: header, then one row per concept sorted by id, LF endings."""
    lines = ["\t".join([*FIXED_COLUMNS, *langs, *TAIL_COLUMNS])]
    lines += ["\t".join(_cells(c, langs)) for c in sorted(concepts, key=lambda c: c.id)]
    return "\n".join(lines) + "\n"


def _languages(concepts: Iterable[Concept], start: Sequence[str] = REQUIRED_LANGS
               ) -> tuple[str, ...]:
    langs = dict.fromkeys(start)
    for concept in concepts:
        langs.update(dict.fromkeys(concept.targets))
    return tuple(langs)


def save_domains(folder: Path, concepts: Sequence[Concept], domains: Iterable[str]) -> list[Path]:
    """Rewrite the files of ``domains`` (atomically) from ``concepts``; untouched files stay
    byte for byte, and a file keeps its language columns (new languages are appended)."""
    written = []
    for domain in sorted(set(domains)):
        if not DOMAIN_RE.match(domain):
            raise GlossaryError(f"domain {domain!r} is not a lowercase file name")
        path = Path(folder) / f"{domain}.tsv"
        rows = [c for c in concepts if c.domain == domain]
        langs = _languages(rows, read_table(path)[0] if path.exists() else REQUIRED_LANGS)
        text = render_tsv(rows, langs)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            write_text(path, text)
            written.append(path)
    return written


def storable(concept: Concept) -> Concept:
    """The concept if a TSV row can hold it unchanged (no tabs, newlines or stray ``|``)."""
    langs = _languages([concept])
    try:
        back = parse_row(_cells(concept, langs), langs, concept.domain, None, concept.line)
    except GlossaryError as exc:
        raise GlossaryError(exc.message, path=concept.path, line=concept.line) from None
    if back != concept or any(ch in cell for cell in _cells(concept, langs) for ch in "\t\r\n"):
        raise GlossaryError(f"{concept.id}: a field holds a tab, line break or stray '|'",
                            path=concept.path, line=concept.line)
    if not DOMAIN_RE.match(concept.domain):
        raise GlossaryError(f"{concept.id}: domain {concept.domain!r} is not a lowercase file "
                            "name (pass --domain)", path=concept.path, line=concept.line)
    return concept


# --- lint ------------------------------------------------------------------------------------

@lru_cache(maxsize=512)
def valid_language(code: str) -> bool:
    """Known to CLDR (babel), so a typo like ``eng`` or ``sp`` is caught."""
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(code)
    except (ValueError, TypeError, UnknownLocaleError):
        return False
    return True


def lint_folder(folder: Path) -> list[LintIssue]:
    """Every problem in a term base folder, sorted by file and line."""
    folder = Path(folder)
    files = sorted(folder.glob("*.tsv"))
    if not files:
        return [LintIssue(folder, 0, "error", "no *.tsv term base files")]
    issues: list[LintIssue] = []
    concepts: list[Concept] = []
    columns: dict[Path | None, tuple[str, ...]] = {}
    for path in files:
        try:
            langs, rows = read_table(path)
        except GlossaryError as exc:
            issues.append(LintIssue(path, exc.line or 0, "error", exc.message))
            continue
        columns[path] = langs
        issues += [LintIssue(path, 1, "error", f"header: {lang!r} is not a language code")
                   for lang in langs if not valid_language(lang)]
        issues += [LintIssue(path, 1, "error", f"header: no {lang} column")
                   for lang in REQUIRED_LANGS if lang not in langs]
        issues += _lint_rows(path, langs, rows, concepts)
    issues += check_concepts(concepts, columns)
    return sorted(issues, key=lambda i: (str(i.path), i.line))


def _lint_rows(path: Path, langs: tuple[str, ...], rows: list[tuple[int, list[str]]],
               concepts: list[Concept]) -> list[LintIssue]:
    issues, previous = [], ""
    names = [*FIXED_COLUMNS, *langs, *TAIL_COLUMNS]
    for line, cells in rows:
        for name, cell in zip(names, cells, strict=False):
            parts = cell.split("|") if name in ("variants", "avoid") else [cell]
            if any(part != part.strip() for part in parts):
                issues.append(LintIssue(path, line, "error",
                                        f"{name}: leading or trailing whitespace"))
        try:
            concept = parse_row(cells, langs, path.stem, path, line)
        except GlossaryError as exc:
            issues.append(LintIssue(path, line, "error", exc.message))
            continue
        if concept.id < previous:
            issues.append(LintIssue(path, line, "warning",
                                    f"{concept.id}: rows not sorted by id (after {previous!r})"))
        previous = max(previous, concept.id)
        concepts.append(concept)
    return issues


def check_concepts(concepts: Iterable[Concept],
                   columns: Mapping[Path | None, tuple[str, ...]] | None = None
                   ) -> list[LintIssue]:
    """Checks across concepts: ids, German terms, targets, avoid codes, dnt."""
    issues: list[LintIssue] = []
    ids: dict[str, Concept] = {}
    terms: dict[str, Concept] = {}
    twins: dict[tuple, Concept] = {}
    for c in concepts:
        def issue(message: str, severity: str = "error", c: Concept = c) -> None:
            issues.append(LintIssue(c.path, c.line, severity, f"{c.id}: {message}"))

        if (first := ids.setdefault(c.id, c)) is not c:
            issue(f"duplicate id (first at {first.path}:{first.line})")
        _check_terms(c, terms, issue)
        langs = (columns or {}).get(c.path) or _languages([c])
        for lang in REQUIRED_LANGS:
            if lang in langs and not c.targets.get(lang):
                issue(f"missing {lang} target")
        for lang, avoided in c.avoid.items():
            if not valid_language(lang):
                issue(f"avoid: {lang!r} is not a language code")
            elif lang not in langs:
                issue(f"avoid: {lang!r} has no target column")
            if c.targets.get(lang, "").lower() in {a.lower() for a in avoided}:
                issue(f"{lang} target {c.targets[lang]!r} is also in avoid")
        if c.dnt and c.pos != "name":
            issue(f"dnt=yes but pos={c.pos}: only names are kept untranslated")
        for lang, target in c.targets.items() if c.dnt else ():
            if target != c.de:
                issue(f"dnt name: {lang} target {target!r} is not {c.de!r}")
        key = tuple(sorted(c.targets.items()))
        if key and (twin := twins.setdefault(key, c)) is not c:
            issue(f"same targets as {twin.id!r}: make one a variant of the other", "warning")
    return issues


def _check_terms(c: Concept, terms: dict[str, Concept], issue: Callable[..., None]) -> None:
    """A German term (case-insensitive) belongs to one concept; the same form twice warns."""
    seen: set[str] = set()
    for form in c.forms:
        own = form if c.case == "exact" else form.lower()
        if own in seen:
            issue(f"German term {form!r} is listed twice", "warning")
        seen.add(own)
        other = terms.setdefault(form.lower(), c)
        if other is not c and other.id != c.id:
            issue(f"German term {form!r} is also in {other.id!r} ({other.path}:{other.line})")


def raise_errors(concepts: Iterable[Concept]) -> None:
    """Refuse to write a term base that lint would reject (used by add and import)."""
    errors = [i for i in check_concepts(concepts) if i.severity == "error"]
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise GlossaryError(errors[0].message + more, path=errors[0].path,
                            line=errors[0].line or None)


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
        for lang in dict.fromkeys([*c.targets, *c.avoid]):
            terms = [(c.targets[lang], "preferred")] if lang in c.targets else []
            _lang_sec(entry, lang, terms + [(a, "deprecated") for a in c.avoid.get(lang, ())],
                      c.pos)
    etree.indent(root, space="  ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _lang_sec(entry: etree._Element, lang: str, terms: list[tuple[str, str]], pos: str) -> None:
    sec = _sub(entry, "langSec", lang=lang)
    for term, status in terms:
        term_sec = _sub(sec, "termSec")
        _sub(term_sec, "term", term)
        _sub(term_sec, "termNote", _POS_TO_TBX[pos], type="partOfSpeech")
        _sub(term_sec, "termNote", _STATUS.format(status), type="administrativeStatus")
        if pos == "phrase":
            _sub(term_sec, "termNote", "phrase", type="termType")


def parse_xml(data: bytes, path: object) -> etree._Element:
    """The project's one hardened parse (pipeline.xmlsafe), failing as a GlossaryError.

    TBX-Basic files need no DOCTYPE, so unlike other exchange files any DOCTYPE is refused.
    """
    from pipeline.errors import InputError
    from pipeline.xmlsafe import parse_bytes

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
        data = Path(path).read_bytes()
    except OSError as exc:
        raise GlossaryError(f"cannot read: {exc.strerror or exc}", path=path) from None
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
            flags.update(item.split("=") for item in match.group(1).split())
        elif _text(note):
            notes.append(_text(note))
    langs: dict[str, list[tuple[str, str, str]]] = {}
    for sec in entry.findall(_q("langSec")):
        lang = re.split(r"[-_]", sec.get(XML_LANG, ""))[0].lower()
        if lang in langs or not _LANG_RE.match(lang):
            raise bad(f"langSec xml:lang {sec.get(XML_LANG)!r} is repeated or not a language")
        langs[lang] = [_term_sec(ts) for ts in sec.findall(_q("termSec"))]
    german = langs.pop("de", [])
    usable = [t for t in german if t[1] not in ("deprecated", "superseded")]
    if not usable:
        raise bad("no German (de) term")
    targets, avoid = {}, {}
    for lang, terms in langs.items():
        kept = [t for t, status, _ in terms if status not in ("deprecated", "superseded")]
        if kept:
            targets[lang] = kept[0]
        notes += [f"{lang} also: {t}" for t in kept[1:]]
        if dropped := tuple(t for t, s, _ in terms if s in ("deprecated", "superseded")):
            avoid[lang] = dropped
    notes += [f"de deprecated: {t[0]}" for t in german if t not in usable]
    head = next((t for t in usable if t[1] == "preferred"), usable[0])
    pos = flags.get("pos") or _POS_FROM_TBX.get(head[2], "noun")
    concept = Concept(cid, domain or subject, head[0],
                      tuple(t[0] for t in usable if t is not head), pos,
                      flags.get("case", "any"), flags.get("dnt", "no") == "yes", targets, avoid,
                      " ".join(notes), path, line)
    if not SLUG_RE.match(cid) or flags.get("dnt", "no") not in ("yes", "no"):
        raise bad("id is not a lowercase slug, or dnt is not yes/no")
    return storable(concept)


def _term_sec(term_sec: etree._Element) -> tuple[str, str, str]:
    """(term, status without -admn-sts, partOfSpeech) of one termSec."""
    notes = {n.get("type"): _text(n) for n in term_sec.findall(_q("termNote"))}
    status = notes.get("administrativeStatus", "").removesuffix("Term-admn-sts")
    pos = "other" if notes.get("termType") == "phrase" else notes.get("partOfSpeech", "")
    return _text(term_sec.find(_q("term"))), status, pos


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
    langs = _languages(concepts)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*FIXED_COLUMNS, *langs, *TAIL_COLUMNS, "domain"])
    writer.writerows([*_cells(c, langs), c.domain] for c in concepts)
    return out.getvalue()


def import_csv(path: Path, domain: str | None = None) -> list[Concept]:
    """Concepts from a CSV with the TSV columns (and optionally ``domain`` last)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise GlossaryError(f"cannot read: {exc}", path=path) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [cell.strip() for cell in next(reader, [])]
    has_domain = header[-1:] == ["domain"]
    langs = parse_header(header, path, ("domain",) if has_domain else ())
    concepts = []
    for cells in reader:
        if any(cell.strip() for cell in cells):
            row_domain = (cells.pop() if has_domain and cells else "").strip()
            concept = parse_row(cells, langs, domain or row_domain, Path(path), reader.line_num)
            concepts.append(storable(concept))
    return concepts


def read_exchange(path: Path, domain: str | None = None) -> list[Concept]:
    """TBX (``.tbx``, ``.xml``) or CSV (``.csv``), by file extension."""
    suffix = Path(path).suffix.lower()
    if suffix in (".tbx", ".xml"):
        return import_tbx(path, domain)
    if suffix == ".csv":
        return import_csv(path, domain)
    raise GlossaryError("unknown term base format (expected .tbx, .xml or .csv)", path=path)


def merge(existing: Sequence[Concept], incoming: Sequence[Concept], replace: bool = False
          ) -> tuple[list[Concept], dict[str, int]]:
    """Add or update concepts by id; a differing existing entry is an error unless ``replace``."""
    result = {c.id: c for c in existing}
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    seen: set[str] = set()
    for c in incoming:
        if c.id in seen:
            raise GlossaryError(f"{c.id}: twice in the imported file", path=c.path, line=c.line)
        seen.add(c.id)
        old = result.get(c.id)
        if old is not None and old != c and not replace:
            raise GlossaryError(f"{c.id}: differs from the entry at {old.path}:{old.line} "
                                "(use --replace to overwrite it)", path=c.path, line=c.line)
        counts["added" if old is None else "unchanged" if old == c else "updated"] += 1
        result[c.id] = c
    return list(result.values()), counts
