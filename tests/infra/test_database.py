"""Rules every SQLite file of the pipeline keeps (translation memory, review store)."""

from __future__ import annotations

import sqlite3

import pytest

from pipeline.memory.store import TranslationMemory
from pipeline.model.errors import InputError, OutputError
from pipeline.model.text import source_key
from pipeline.store.db import ReviewStore

KINDS = pytest.mark.parametrize("kind", [TranslationMemory, ReviewStore],
                                ids=["memory", "review-store"])


@KINDS
def test_a_foreign_file_is_refused(tmp_path, kind):
    foreign = tmp_path / "other.sqlite"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE t (x)")
    conn.close()
    with pytest.raises(InputError, match=f"not a {kind.SCHEMA.what}"):
        kind.open(foreign)


@KINDS
def test_a_newer_schema_is_refused_with_the_path(tmp_path, kind):
    path = tmp_path / "db.sqlite"
    kind.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {kind.SCHEMA.version + 1}")
    conn.close()
    with pytest.raises(InputError, match="newer") as info:
        kind.open(path)
    assert str(path) in str(info.value)


@KINDS
def test_a_folder_is_not_a_database(tmp_path, kind):
    with pytest.raises(InputError, match="not a regular file"):
        kind.open(tmp_path)


@KINDS
def test_backup_is_whole_and_never_overwrites(tmp_path, kind):
    path, copy = tmp_path / "db.sqlite", tmp_path / "copy.sqlite"
    with kind.open(path) as database:
        database.backup(copy)
        with pytest.raises(OutputError, match="never overwrites"):
            database.backup(copy)
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA application_id").fetchone() == (kind.SCHEMA.application_id,)
    conn.close()


def test_a_version_1_memory_is_upgraded_in_place(tmp_path):
    path = tmp_path / "tm.sqlite"
    conn = sqlite3.connect(path)
    for statement in TranslationMemory.SCHEMA.create:
        conn.execute(statement)
    conn.execute("INSERT INTO unit (source_lang, target_lang, source, source_key, key_len, "
                 "target, origin, created, updated) VALUES ('de', 'en', 'Satz.', ?, 5, "
                 "'Sentence.', 'human', '2024-01-01T00:00:00.000000Z', "
                 "'2030-01-01T00:00:00.000000Z')", (source_key("Satz."),))
    conn.execute(f"PRAGMA application_id = {TranslationMemory.SCHEMA.application_id}")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    from pipeline.memory.store import TmUnit

    with TranslationMemory.open(path) as memory:
        assert memory.exact("Satz.", "de", "en").target == "Sentence."
        memory.add([TmUnit("de", "en", "Satz.", "A newer fix.", "human")])  # dated 2030 or not
        assert memory.exact("Satz.", "de", "en").target == "A newer fix."


@KINDS
def test_processes_opening_a_new_file_at_once_all_succeed(tmp_path, kind):
    """Creation and upgrade happen once, whoever comes first; the others see them done."""
    import subprocess
    import sys

    path = tmp_path / "shared.sqlite"
    code = (f"from {kind.__module__} import {kind.__name__} as K\n"
            f"K.open(__import__('pathlib').Path({str(path)!r})).close()\n")
    for _ in range(5):
        path.unlink(missing_ok=True)
        children = [subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE,
                                     text=True) for _ in range(4)]
        for child in children:
            _, err = child.communicate(timeout=60)
            assert child.returncode == 0, err
