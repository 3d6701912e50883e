"""Installing Argos packages from files: the real path, hostile archives, offline index."""

from __future__ import annotations

import json
import socket
import threading
import time
import zipfile

import pytest

from pipeline.model.errors import ModelError, OfflineError
from pipeline.mt.packages import fetch_index, find_package, install_file, installed_packages


def test_install_and_find(package_files, tmp_path):
    pkg = install_file(package_files["de-en"], tmp_path)
    assert pkg.pair == "de-en" and (pkg.path / "model" / "model.bin").is_file()
    assert find_package(tmp_path, "de", "en").path == pkg.path
    assert find_package(tmp_path, "de", "fr") is None
    assert [p.pair for p in installed_packages(tmp_path)] == ["de-en"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".install-")]


def test_reinstall_replaces(package_files, tmp_path):
    install_file(package_files["de-en"], tmp_path)
    install_file(package_files["de-en"], tmp_path)
    assert len(installed_packages(tmp_path)) == 1


def _zip(path, entries: dict[str, bytes], symlink: str | None = None):
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = (0o120777 << 16)
            archive.writestr(info, "/etc/passwd")
    return path


META = json.dumps({"from_code": "de", "to_code": "en", "type": "translate"}).encode()


@pytest.mark.parametrize(("build", "message"), [
    (lambda p: (p.write_bytes(b"not a zip at all"), p)[1], "not a zip archive"),
    (lambda p: _zip(p, {"pkg/model/model.bin": b"x", "pkg/sentencepiece.model": b"x"}),
     "no metadata.json"),
    (lambda p: _zip(p, {"pkg/metadata.json": META, "../evil.txt": b"x"}), "unsafe path"),
    (lambda p: _zip(p, {"pkg/metadata.json": META, "/abs/evil.txt": b"x"}), "unsafe path"),
    (lambda p: _zip(p, {"pkg/metadata.json": META}, symlink="pkg/link"), "symbolic link"),
    (lambda p: _zip(p, {"a/metadata.json": META, "b/x": b"x"}), "exactly one top-level"),
    (lambda p: _zip(p, {"pkg/metadata.json": b"{not json"}), "unreadable metadata.json"),
    (lambda p: _zip(p, {"pkg/metadata.json": b"{}"}), "lacks from_code/to_code"),
    (lambda p: _zip(p, {"pkg/metadata.json": META}), "no CTranslate2 model"),
    (lambda p: _zip(p, {"pkg/metadata.json": META, "pkg/model/model.bin": b"x"}),
     "no tokenizer"),
])
def test_bad_package_files(tmp_path, build, message):
    file = build(tmp_path / "bad.argosmodel")
    models = tmp_path / "models"
    with pytest.raises(ModelError, match=message) as info:
        install_file(file, models)
    assert "bad.argosmodel" in str(info.value)
    assert not (tmp_path / "evil.txt").exists()
    assert not models.exists() or not any(p for p in models.iterdir() if p.is_dir()
                                          and not p.name.startswith("."))


def test_truncated_package(package_files, tmp_path):
    data = package_files["de-en"].read_bytes()
    file = tmp_path / "cut.argosmodel"
    file.write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelError, match="cut.argosmodel"):
        install_file(file, tmp_path / "models")
    assert installed_packages(tmp_path / "models") == []


def test_missing_package_file(tmp_path):
    with pytest.raises(ModelError, match="no such package file"):
        install_file(tmp_path / "nope.argosmodel", tmp_path)


def test_directory_is_not_a_package_file(tmp_path):
    """A folder (say, an unpacked package) gets its own message, not 'no such file'."""
    folder = tmp_path / "translate-de_en"
    folder.mkdir()
    with pytest.raises(ModelError, match="is a directory, not a package file") as info:
        install_file(folder, tmp_path / "models")
    assert str(info.value).startswith(f"{folder}: ")
    assert not (tmp_path / "models").exists()


def test_broken_installed_folder_is_skipped(package_files, tmp_path):
    install_file(package_files["de-en"], tmp_path)
    (tmp_path / "junk").mkdir()
    assert [p.pair for p in installed_packages(tmp_path)] == ["de-en"]


def test_offline_index_fails_fast():
    """A port nobody listens on: the answer must come at once, with the file hint."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    start = time.monotonic()
    with pytest.raises(OfflineError, match="models install FILE.argosmodel"):
        fetch_index(f"http://127.0.0.1:{port}/index.json")
    assert time.monotonic() - start < 10


def test_silent_index_times_out():
    """A server that accepts and never answers: the timeout bounds the wait."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    stop = threading.Event()
    threading.Thread(target=lambda: (server.accept(), stop.wait(5)), daemon=True).start()
    start = time.monotonic()
    try:
        with pytest.raises(OfflineError):
            fetch_index(f"http://127.0.0.1:{port}/index.json", timeout=1.0)
    finally:
        stop.set()
        server.close()
    assert time.monotonic() - start < 10
