"""The first run on an output folder made before the review store takes everything into the
store: people's reviews, drafts and sign-offs (seen by the old runs or not), machine output
as machine output, and the version-1 memory."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import polib
from lxml import etree

from .child import run_cli

V1 = Path(__file__).resolve().parents[1] / "data" / "v1-output"
XLIFF = {"x": "urn:oasis:names:tc:xliff:document:2.0"}


def _po(out: Path, lang: str) -> dict[str, polib.POEntry]:
    path = out / lang / "LC_MESSAGES" / "artikel.po"
    return {e.msgid: e for e in polib.pofile(str(path)) if not e.obsolete}


def test_a_folder_made_before_the_store_loses_nothing(tmp_path):
    shutil.copytree(V1, tmp_path, dirs_exist_ok=True)
    out = tmp_path / "locales"
    assert not (out / "review.sqlite").exists()
    for _ in range(2):  # the migration, then an ordinary rerun
        result = run_cli("run", "artikel.txt", "--to", "en,fr", "--engine", "pseudo", "--out",
                         "locales", "--no-glossary", "--quiet", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        en, fr = _po(out, "en"), _po(out, "fr")
        assert (en["Der Streik ist vorbei."].msgstr, en["Der Streik ist vorbei."].fuzzy) == (
            "The strike is over.", False)
        assert (en["Die Studios haben nachgegeben."].msgstr,
                en["Die Studios haben nachgegeben."].fuzzy) == ("The studios gave in.", True)
        assert (en["KI im Kino"].msgstr, en["KI im Kino"].fuzzy) == ("AI at the movies", True)
        assert en["Die Autoren feiern."].msgstr == "The writers celebrate."
        assert (fr["Morgen wird wieder gedreht."].msgstr,
                fr["Morgen wird wieder gedreht."].fuzzy) == ("Demain, on tourne.", False)
        machine = [e for e in [*en.values(), *fr.values()]
                   if "machine translation" in e.comment.splitlines()]
        assert len(machine) == 5 and all(e.fuzzy and e.msgstr.startswith("⟦") for e in machine)
        with sqlite3.connect(out / "review.sqlite") as conn:
            statuses = sorted(conn.execute("SELECT lang, status FROM segment"))
        assert statuses == sorted([("en", "reviewed"), ("en", "draft"), ("en", "draft"),
                                   ("en", "reviewed"), ("en", "machine"), ("fr", "reviewed"),
                                   *[("fr", "machine")] * 4])
        segment = [s for s in etree.parse(str(out / "en" / "artikel.xlf")).iterfind(
            ".//x:segment", XLIFF) if s.find("x:source", XLIFF).text == "Die Autoren feiern."]
        assert segment[0].get("state") == "reviewed"  # what the old run had made of it
    with sqlite3.connect(out / "memory.sqlite") as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (3,)
        human = {t for (t,) in conn.execute("SELECT target FROM unit WHERE origin = 'human'")}
    assert human == {"The strike is over.", "The writers celebrate.", "Demain, on tourne."}
