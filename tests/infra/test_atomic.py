"""Atomic writes: the modes a plain ``open()`` would give, nothing left behind on failure."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from pipeline.infra import atomic
from pipeline.infra.atomic import write_bytes, write_text
from pipeline.model.errors import OutputError


@contextmanager
def umask(mask: int) -> Iterator[None]:
    """Set the process umask for one test, restoring it even when the test fails."""
    previous = os.umask(mask)
    try:
        yield
    finally:
        os.umask(previous)


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)],
                         ids=["022", "077", "002"])
def test_new_file_follows_umask(tmp_path, mask, expected):
    target = tmp_path / "new.po"
    with umask(mask):
        write_text(target, "neu\n")
    assert _mode(target) == expected
    assert target.read_text(encoding="utf-8") == "neu\n"


def test_new_file_mode_without_proc(tmp_path, monkeypatch):
    """Where /proc is missing the umask is read by setting it, and it is put back."""
    monkeypatch.setattr(atomic, "_proc_umask", lambda: None)
    target = tmp_path / "new.po"
    with umask(0o022):
        write_text(target, "neu\n")
        assert os.umask(0o022) == 0o022
    assert _mode(target) == 0o644


@pytest.mark.parametrize("mode", [0o640, 0o444, 0o600], ids=oct)
def test_replacing_keeps_existing_mode(tmp_path, mode):
    target = tmp_path / "old.po"
    target.write_text("alt\n", encoding="utf-8")
    target.chmod(mode)
    with umask(0o022):
        write_text(target, "neu\n")
    assert _mode(target) == mode
    assert target.read_text(encoding="utf-8") == "neu\n"


def test_full_disk_keeps_old_file_and_leaves_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "old.po"
    target.write_bytes(b"alt\n")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", full)
    with pytest.raises(OutputError) as info:
        write_bytes(target, b"neu\n" * 1000)
    assert str(info.value) == f"{target}: cannot write: disk full"
    assert target.read_bytes() == b"alt\n"
    assert [p.name for p in tmp_path.iterdir()] == ["old.po"]


def test_write_all_syncs_every_file_before_renaming_in_order(tmp_path, monkeypatch):
    files = [(tmp_path / f"f{n}.po", f"{n}\n".encode()) for n in range(5)]
    (tmp_path / "gone.md").write_text("old\n", encoding="utf-8")
    files.insert(2, (tmp_path / "gone.md", None))
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(atomic.os, "fsync", lambda fd: (events.append("sync"), real_fsync(fd)))
    monkeypatch.setattr(atomic.os, "replace",
                        lambda a, b: (events.append(f"rename {os.path.basename(b)}"),
                                      real_replace(a, b)))
    atomic.write_all(files)
    assert events[:5] == ["sync"] * 5
    assert events[5:] == [f"rename f{n}.po" for n in range(5)]
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"f{n}.po" for n in range(5)]
    assert (tmp_path / "f3.po").read_bytes() == b"3\n"


def test_write_all_changes_nothing_when_one_file_fails(tmp_path, monkeypatch):
    (tmp_path / "a.po").write_bytes(b"alt\n")
    real_fsync = os.fsync

    def failing(fd: int) -> None:
        if os.fstat(fd).st_size == 4:  # the second file's data
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(atomic.os, "fsync", failing)
    with pytest.raises(OutputError, match="b.md: cannot write: disk full"):
        atomic.write_all([(tmp_path / "a.po", b"neu\n\n"), (tmp_path / "b.md", b"neu\n")])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.po"]
    assert (tmp_path / "a.po").read_bytes() == b"alt\n"
