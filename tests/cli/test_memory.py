"""``import`` and ``tm``: dated TMX imports, one-line errors for bad files, a safe memory."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.memory.store import TmUnit, TranslationMemory

SOURCE = "Die Regierung hat am Montag ein neues Gesetz beschlossen."
UTC = dt.UTC

XLIFF = """\
<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="de"{trg}>
  <file id="f1">
    <unit id="u1">
      <segment id="s1" state="reviewed">
        <source>{source}</source>
        <target>The government passed a law.</target>
      </segment>
    </unit>
  </file>
</xliff>
"""

PO = """\
msgid ""
msgstr ""
"Language: en\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

msgctxt "s7"
msgid " "
msgstr "Something."
"""


def _invoke(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def _fix(memory: Path, target: str, updated: dt.datetime) -> None:
    """A reviewer's fix of SOURCE into English, made at ``updated``."""
    with TranslationMemory.open(memory) as tm:
        tm.add([TmUnit("de", "en", SOURCE, target, "human", updated=updated)])


def _human(memory: Path) -> TmUnit:
    with TranslationMemory.open(memory) as tm:
        [unit] = tm.units(origin="human")
    return unit


def test_old_tmx_backup_does_not_undo_a_newer_fix(tmp_path: Path) -> None:
    memory, backup = tmp_path / "memory.sqlite", tmp_path / "team.tmx"
    _fix(memory, "fix v1", dt.datetime(2024, 1, 1, 9, 30, tzinfo=UTC))
    assert _invoke("tm", "export", "--memory", memory, "-o", backup).exit_code == 0
    _fix(memory, "fix v3", dt.datetime(2025, 1, 1, tzinfo=UTC))  # later, but before "now"
    result = _invoke("import", backup, "--memory", memory)
    assert result.exit_code == 0, result.output
    assert _human(memory).target == "fix v3"


def test_tmx_import_keeps_the_units_date(tmp_path: Path) -> None:
    memory, exported, fresh = tmp_path / "a.sqlite", tmp_path / "a.tmx", tmp_path / "b.sqlite"
    _fix(memory, "fix v1", dt.datetime(2024, 1, 1, 9, 30, 15, 123, tzinfo=UTC))
    assert _invoke("tm", "export", "--memory", memory, "-o", exported).exit_code == 0
    assert _invoke("import", exported, "--memory", fresh).exit_code == 0
    unit = _human(fresh)
    assert unit.created == unit.updated == dt.datetime(2024, 1, 1, 9, 30, 15, tzinfo=UTC)


def test_tmx_with_a_bad_date_is_an_input_error(tmp_path: Path) -> None:
    memory, exported = tmp_path / "memory.sqlite", tmp_path / "team.tmx"
    _fix(memory, "fix v1", dt.datetime(2024, 1, 1, tzinfo=UTC))
    assert _invoke("tm", "export", "--memory", memory, "-o", exported).exit_code == 0
    text = exported.read_text(encoding="utf-8")
    assert 'changedate="20240101T000000Z"' in text  # the last update is the changedate
    exported.write_text(text.replace('changedate="20240101T000000Z"', 'changedate="yday"'),
                        encoding="utf-8")
    result = _invoke("import", exported, "--memory", tmp_path / "new.sqlite")
    assert result.exit_code == 1
    assert f"{exported}: <tu>" in result.output
    assert "changedate 'yday' is not YYYYMMDDThhmmssZ" in result.output


def test_xliff_without_target_language_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "article.xlf"
    path.write_text(XLIFF.format(trg="", source=SOURCE), encoding="utf-8")
    result = _invoke("import", path, "--memory", tmp_path / "m.sqlite")
    assert result.exit_code == 1, result.output
    assert f"error: {path}:2: no trgLang" in result.output
    assert "internal error" not in result.output


@pytest.mark.parametrize(("name", "text", "where"), [
    ("article.xlf", XLIFF.format(trg=' trgLang="en"', source="  "), ": segment 's1': "),
    ("article.po", PO, ":6: msgctxt 's7': "),
])
def test_blank_source_names_file_and_segment(tmp_path: Path, name: str, text: str,
                                             where: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = _invoke("import", path, "--memory", tmp_path / "m.sqlite")
    assert result.exit_code == 1, result.output
    assert f"error: {path}{where}a unit needs a non-blank source" in result.output


@pytest.mark.parametrize("command", [["stats"], ["export", "-o", "out.tmx"]])
def test_reading_a_missing_memory_creates_nothing(tmp_path: Path, command: list[str]) -> None:
    typo = tmp_path / "typo.sqlite"
    result = CliRunner().invoke(cli, ["tm", *command, "--memory", str(typo)])
    assert result.exit_code == 1
    assert f"error: {typo}: no such translation memory" in result.output
    assert not typo.exists()


@pytest.mark.parametrize("spelling", ["same", "dotted", "link"])
def test_export_refuses_to_overwrite_the_memory(tmp_path: Path, spelling: str) -> None:
    memory = tmp_path / "memory.sqlite"
    _fix(memory, "fix v1", dt.datetime(2024, 1, 1, tzinfo=UTC))
    before = memory.read_bytes()
    output = {"same": memory, "dotted": tmp_path / "sub" / ".." / "memory.sqlite",
              "link": tmp_path / "link.tmx"}[spelling]
    (tmp_path / "sub").mkdir()
    if spelling == "link":
        output.symlink_to(memory)
    result = _invoke("tm", "export", "-o", output, "--memory", memory)
    assert result.exit_code == 1
    assert f"error: {output}: is the translation memory itself" in result.output
    assert memory.read_bytes() == before


def _reviewed_po(tmp_path: Path) -> Path:
    """A real run's PO with its first two entries signed off, the rest left fuzzy."""
    import polib

    article = tmp_path / "a.txt"
    article.write_text("Die Regisseure wollen KI.\n\nDer Streik dauert an.\n\nEin dritter Satz.\n",
                       encoding="utf-8")
    out = tmp_path / "o"
    assert _invoke("run", article, "--to", "en", "--out", out, "--engine", "pseudo",
                   "--no-glossary", "--quiet").exit_code == 0
    po = out / "en" / "LC_MESSAGES" / "a.po"
    catalog = polib.pofile(str(po), wrapwidth=0)
    for n, entry in enumerate([e for e in catalog if not e.obsolete][:2]):
        entry.msgstr, entry.flags = f"Reviewed {n}.", []
    catalog.save(str(po))
    return po


def test_import_says_what_it_skipped_and_why(tmp_path: Path) -> None:
    po = _reviewed_po(tmp_path)
    result = _invoke("import", po, "--memory", tmp_path / "m.sqlite")
    assert result.exit_code == 0
    assert result.output.strip() == (f"{po}: 2 translations imported; 1 skipped: "
                                     "not reviewed (fuzzy or empty)")


def test_a_translate_toolkit_round_trip_keeps_the_review_importable(tmp_path: Path) -> None:
    """po2xliff → xliff2po drops msgctxt; the reviewed entries still reach the memory."""
    import shutil
    import subprocess

    from ..helpers import toolkit

    po = _reviewed_po(tmp_path)
    xliff, back = tmp_path / "a.xlf", tmp_path / "back.po"
    subprocess.run([toolkit("po2xliff"), str(po), str(xliff)], check=True, capture_output=True)
    subprocess.run([toolkit("xliff2po"), str(xliff), str(back)], check=True, capture_output=True)
    text = back.read_text(encoding="utf-8")
    assert "msgctxt" not in text  # what the tools do
    shutil.copy(back, tmp_path / "with-language.po")
    patched = tmp_path / "with-language.po"
    patched.write_text(text.replace('"Content-Type:', '"Language: en\\n"\n"Content-Type:', 1),
                       encoding="utf-8")
    result = _invoke("import", patched, "--memory", tmp_path / "m.sqlite")
    assert result.exit_code == 0, result.output
    assert "2 translations imported" in result.output


def test_export_by_origin_and_remove(tmp_path: Path) -> None:
    memory = tmp_path / "m.sqlite"
    with TranslationMemory.open(memory) as tm:
        tm.add([TmUnit("de", "en", SOURCE, "A person's fix.", "human"),
                TmUnit("de", "en", SOURCE, "Machine text.", "mt"),
                TmUnit("de", "fr", SOURCE, "Une correction.", "human")])
    exported = tmp_path / "human.tmx"
    assert _invoke("tm", "export", "--memory", memory, "-o", exported,
                   "--origin", "human").exit_code == 0
    text = exported.read_text(encoding="utf-8")
    assert "A person's fix." in text and "Machine text." not in text
    removed = _invoke("tm", "remove", "  " + SOURCE.replace(" ", "  "), "--to", "en",
                      "--origin", "human", "--memory", memory)
    assert removed.exit_code == 0 and removed.output.strip() == "1 units removed"
    with TranslationMemory.open(memory) as tm:
        assert sorted(u.target for u in tm.units()) == ["Machine text.", "Une correction."]
