"""Small builders shared by tests: a document with translations, a person's PO edit,
msgfmt."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import polib

from pipeline.ingest.article import parse_article
from pipeline.ingest.segment import segment_document
from pipeline.model.document import Translation

from .tools import require

TEXT = (
    "KI im Kino\n\n"
    "Die Regisseure wollen KI. Sie sagen: \"Das ist gut.\"\n\n"
    "Ein Tweet mit Link. https://t.co/abc\n"
    "- Jane Doe (@jane) 22. März 2024\n"
)


def translated(text: str = TEXT, lang: str = "en", fmt: str = "text", name: str = "a.txt"):
    """A document and a fake translation of each segment (its text upper-cased)."""
    document = parse_article(text, path=Path(name), fmt=fmt)
    translations = [Translation(s, lang, s.text.upper()) for s in segment_document(document)]
    return document, translations


def edit_po(path: Path, msgid: str, text: str, *, fuzzy: bool = False) -> None:
    """Change one entry as a person does in a PO editor: the text, and the fuzzy flag cleared
    (signed off) or kept (a draft)."""
    catalog = polib.pofile(str(path), wrapwidth=0)
    [entry] = [e for e in catalog if e.msgid == msgid and not e.obsolete]
    entry.msgstr, entry.flags = text, (["fuzzy"] if fuzzy else [])
    catalog.save(str(path))


def msgfmt_check(path: Path) -> subprocess.CompletedProcess:
    """GNU msgfmt -c, the independent reader every PO file must satisfy."""
    return subprocess.run([require("msgfmt"), "-c", "-o", "/dev/null", str(path)],
                          capture_output=True, text=True, check=False)


GOLDEN = Path(__file__).resolve().parent / "golden"


def assert_golden(name: str, got: object) -> None:
    """Compare with tests/golden/NAME; UPDATE_GOLDEN=1 rewrites it after an intended change."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert got == json.loads(path.read_text(encoding="utf-8"))


def toolkit(name: str) -> str:
    """A translate-toolkit converter (``po2xliff``, ``xliff2po``): a locked test dependency,
    installed beside this interpreter, so it is never skipped."""
    import sys

    tool = Path(sys.executable).parent / name
    assert tool.exists(), f"translate-toolkit's {name} is missing: install the test extra"
    return str(tool)
