"""Argos Translate packages: where they live, which are installed, installing them safely.

``argostranslate.package`` reads its folders from the environment when it is first imported,
so :func:`argos_package_module` sets them first. Installing is done here rather than with
``argostranslate.package.install_from_path``: that one extracts any zip unchecked and then
imports ``argostranslate.translate`` (stanza, torch), which a lean install does not have.
Downloads use a short timeout, so an offline machine gets an answer within seconds.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pipeline.model.errors import ModelError, OfflineError

INDEX_URL = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
NETWORK_TIMEOUT = 8.0
#: The metadata.json key the test recipe sets (pipeline.testing.synthetic).
TEST_MARKER = "x-pipeline-test-package"
#: Real packages are 50–400 MB; anything far beyond that is a zip bomb, not a model.
MAX_UNPACKED_BYTES = 4 * 1024**3


def default_models_dir() -> Path:
    """PIPELINE_MODELS_DIR, else ARGOS_PACKAGES_DIR, else Argos's own default folder."""
    for var in ("PIPELINE_MODELS_DIR", "ARGOS_PACKAGES_DIR"):
        if os.environ.get(var):
            return Path(os.environ[var])
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "argos-translate" / "packages"


def argos_package_module(models_dir: Path):
    """Import ``argostranslate.package`` with its folders pointed at ``models_dir``."""
    os.environ.setdefault("ARGOS_PACKAGES_DIR", str(models_dir))
    try:
        import argostranslate.package as argos_package
    except ImportError as exc:
        raise ModelError(
            f"argostranslate is not installed ({exc.name}); "
            "run: pip install --no-deps argostranslate==1.11.0"
        ) from None
    return argos_package


@dataclass(frozen=True)
class InstalledPackage:
    """An installed translation package: its pair, folder and the Argos object for its tokenizer."""

    from_code: str
    to_code: str
    version: str
    path: Path
    argos: object
    #: built by the test recipe (random weights): its output is gibberish by construction
    test: bool = False

    @property
    def pair(self) -> str:
        return f"{self.from_code}-{self.to_code}"


def installed_packages(models_dir: Path) -> list[InstalledPackage]:
    """Every valid translate package in ``models_dir``; broken folders are skipped, not fatal."""
    if not models_dir.is_dir():
        return []
    _recover(models_dir)
    argos_package = argos_package_module(models_dir)
    found = []
    for folder in sorted(models_dir.iterdir()):
        if not folder.is_dir() or folder.name.startswith("."):
            continue
        try:
            pkg = argos_package.Package(folder)
        except Exception:  # noqa: BLE001, S112 - Argos raises bare Exceptions; skip broken ones
            continue
        if pkg.type != "translate" or not (folder / "model").is_dir():
            continue
        found.append(InstalledPackage(pkg.from_code, pkg.to_code, pkg.package_version, folder,
                                      pkg, _is_test(folder)))
    return found


def _is_test(folder: Path) -> bool:
    try:
        metadata = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return False
    return isinstance(metadata, dict) and bool(metadata.get(TEST_MARKER))


def find_package(models_dir: Path, from_code: str, to_code: str) -> InstalledPackage | None:
    """The newest installed package for a pair, or None when it is not installed."""
    from packaging.version import InvalidVersion, Version

    def version(pkg: InstalledPackage) -> Version:
        try:
            return Version(pkg.version or "0")
        except InvalidVersion:
            return Version("0")

    matches = [p for p in installed_packages(models_dir)
               if (p.from_code, p.to_code) == (from_code, to_code)]
    return max(matches, key=version) if matches else None


def install_file(path: Path, models_dir: Path) -> InstalledPackage:
    """Install a ``.argosmodel`` file after checking it: staged, loaded, then swapped in.

    An installed package of the same pair is replaced only once the new one has loaded, in one
    atomic exchange of the two folders (two renames where the system lacks it, recovered on
    the next use), so a kill at any point leaves one whole package. Staging folders of an
    earlier failed install are cleaned up first.
    """
    path = Path(path)
    if path.is_dir():
        raise ModelError("is a directory, not a package file (.argosmodel)", path=path)
    if not path.exists():
        raise ModelError("no such package file", path=path)
    if not path.is_file():
        raise ModelError("not a regular file; a package is a .argosmodel file", path=path)
    if not zipfile.is_zipfile(path):
        raise ModelError("not an Argos package (not a zip archive)", path=path)
    models_dir.mkdir(parents=True, exist_ok=True)
    _recover(models_dir)
    try:
        with zipfile.ZipFile(path) as archive:
            top = _check_archive(archive, path)
            staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=models_dir))
            try:
                archive.extractall(staging)
                new = staging / top
                metadata = _check_folder(new, path)
                _check_name(top, metadata, path)
                destination = models_dir / top
                _check_replaces_same_pair(destination, metadata, path)
                _check_loads(new, path)
                _swap_in(new, destination)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    except (zipfile.BadZipFile, EOFError) as exc:
        raise ModelError(f"damaged package archive ({exc})", path=path) from None
    except OSError as exc:
        raise ModelError(f"cannot install into {models_dir}: {exc.strerror}", path=path) from None
    installed = [p for p in installed_packages(models_dir) if p.path == destination]
    if not installed:
        raise ModelError("package did not load after installing", path=path)
    return installed[0]


STAGING_PREFIX = ".install-"
_OLD_SUFFIX = ".replaced"
_TOP_NAME = re.compile(r"[A-Za-z0-9][\w.-]*")


def _check_name(top: str, metadata: dict, path: Path) -> None:
    """The folder says which pair it is (Argos names them ``translate-de_en-1_0``); a folder
    that names another pair than its metadata would shadow or replace the wrong package."""
    pair = f"{metadata['from_code']}_{metadata['to_code']}"
    if pair not in top:
        raise ModelError(f"folder {top!r} does not name the pair its metadata.json says "
                         f"({metadata['from_code']}-{metadata['to_code']})", path=path)


def _check_replaces_same_pair(destination: Path, metadata: dict, path: Path) -> None:
    if not destination.exists():
        return
    try:
        old = json.loads((destination / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return  # a broken folder of the same name: replacing it is the repair
    pair = (metadata.get("from_code"), metadata.get("to_code"))
    if isinstance(old, dict) and (old.get("from_code"), old.get("to_code")) != pair:
        raise ModelError(f"would replace {destination.name}, a package for "
                         f"{old.get('from_code')}-{old.get('to_code')}, with one for "
                         f"{pair[0]}-{pair[1]}", path=path)


def _check_loads(folder: Path, path: Path) -> None:
    """The tokenizer loads and Argos reads the metadata; else the old package stays."""
    spm = folder / "sentencepiece.model"
    if spm.is_file():
        import sentencepiece

        try:
            sentencepiece.SentencePieceProcessor(model_file=str(spm))
        except (RuntimeError, OSError, ValueError) as exc:
            raise ModelError(f"the tokenizer does not load ({exc})", path=path) from None
    try:
        argos_package_module(folder.parent).Package(folder)
    except Exception as exc:  # noqa: BLE001 - Argos raises bare Exceptions
        raise ModelError(f"Argos cannot read the package ({exc})", path=path) from None


def _swap_in(new: Path, destination: Path) -> None:
    """Put ``new`` at ``destination``; an old folder there ends up at ``new``'s place."""
    if not destination.exists():
        os.replace(new, destination)
        return
    if _exchange(new, destination):
        return
    aside = destination.with_name("." + destination.name + _OLD_SUFFIX)
    os.replace(destination, aside)  # killed now: _recover puts it back
    os.replace(new, destination)
    os.replace(aside, new)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False if unsupported."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    done = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    if done == 0:
        return True
    errno = ctypes.get_errno()
    if errno in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: the file system cannot
        return False
    raise OSError(errno, os.strerror(errno), str(b))


def _recover(models_dir: Path) -> None:
    """Finish what a killed install left: an old package set aside comes back if its place
    is empty, and staging folders are removed."""
    try:
        for entry in models_dir.iterdir():
            if entry.name.startswith(".") and entry.name.endswith(_OLD_SUFFIX) \
                    and entry.is_dir():
                home = entry.with_name(entry.name[1: -len(_OLD_SUFFIX)])
                if home.exists():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    os.replace(entry, home)
            elif entry.name.startswith(STAGING_PREFIX) and entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
    except OSError:
        pass  # a read-only models folder: nothing of ours can be pending there


def _check_archive(archive: zipfile.ZipFile, path: Path) -> str:
    """One top-level folder, no path escaping it, no links, a sane size; returns that folder."""
    names = archive.namelist()
    if not names:
        raise ModelError("empty package archive", path=path)
    tops = set()
    total = 0
    for info in archive.infolist():
        name = PurePosixPath(info.filename)
        unsafe = name.is_absolute() or ".." in name.parts or "\\" in info.filename
        if unsafe or ":" in name.parts[0]:
            raise ModelError(f"unsafe path in package archive: {info.filename!r}", path=path)
        if (info.external_attr >> 16) & 0o170000 == 0o120000:
            raise ModelError(f"symbolic link in package archive: {info.filename!r}", path=path)
        tops.add(name.parts[0])
        total += info.file_size
    if len(tops) != 1:
        raise ModelError("package archive must hold exactly one top-level folder", path=path)
    if total > MAX_UNPACKED_BYTES:
        raise ModelError("package archive unpacks to more than 4 GiB", path=path)
    top = tops.pop()
    if not _TOP_NAME.fullmatch(top):
        raise ModelError(f"package folder name {top!r} is not a plain name", path=path)
    if f"{top}/metadata.json" not in names:
        raise ModelError("package has no metadata.json", path=path)
    bad = archive.testzip()
    if bad is not None:
        raise ModelError(f"damaged package archive (bad CRC in {bad})", path=path)
    return top


def _check_folder(folder: Path, path: Path) -> dict:
    try:
        metadata = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as exc:
        raise ModelError(f"unreadable metadata.json ({type(exc).__name__})", path=path) from None
    if not isinstance(metadata, dict) or not metadata.get("from_code") or not metadata.get(
        "to_code"
    ):
        raise ModelError("metadata.json lacks from_code/to_code", path=path)
    if metadata.get("type", "translate") != "translate":
        raise ModelError(f"not a translation package (type {metadata.get('type')!r})", path=path)
    if not (folder / "model" / "model.bin").is_file():
        raise ModelError("package has no CTranslate2 model (model/model.bin)", path=path)
    if not ((folder / "sentencepiece.model").is_file() or (folder / "bpe.model").is_file()):
        raise ModelError("package has no tokenizer (sentencepiece.model or bpe.model)", path=path)
    return metadata


def fetch_index(url: str | None = None, timeout: float = NETWORK_TIMEOUT) -> list[dict]:
    """The Argos package index; fails fast with a hint when the machine is offline."""
    url = url or INDEX_URL
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - https URL
            index = json.loads(response.read().decode("utf-8"))
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        reason = getattr(exc, "reason", exc)
        raise OfflineError(
            f"cannot reach the Argos package index ({reason}); offline, install from a file: "
            "python -m pipeline models install FILE.argosmodel"
        ) from None
    except ValueError as exc:
        raise ModelError(f"the Argos package index is not valid JSON ({exc})") from None
    return [entry for entry in index if isinstance(entry, dict)]


def download(links: list[str], dest: Path, *, quiet: bool = False,
             timeout: float = NETWORK_TIMEOUT) -> Path:
    """Download the first link that works into ``dest`` (atomically), with a progress bar."""
    from tqdm import tqdm

    errors = []
    for link in links:
        partial = dest.with_name(dest.name + ".part")
        try:
            with urllib.request.urlopen(link, timeout=timeout) as response:  # noqa: S310
                size = int(response.headers.get("Content-Length") or 0) or None
                with open(partial, "wb") as out, tqdm(
                    total=size, unit="B", unit_scale=True, desc=dest.name, disable=quiet
                ) as bar:
                    while chunk := response.read(1 << 20):
                        out.write(chunk)
                        bar.update(len(chunk))
            os.replace(partial, dest)
            return dest
        except (urllib.error.URLError, OSError, TimeoutError) as exc:
            partial.unlink(missing_ok=True)
            errors.append(f"{link}: {getattr(exc, 'reason', exc)}")
    raise OfflineError("download failed: " + "; ".join(errors or ["no download link"]))


def install_pair(pair: str, models_dir: Path, *, quiet: bool = False,
                 index_url: str | None = None) -> InstalledPackage:
    """Install ``de-en`` style pairs from the online index."""
    try:
        from_code, to_code = pair.split("-")
    except ValueError:
        raise ModelError(f"{pair!r} is neither a pair like de-en nor a .argosmodel file") from None
    entries = [e for e in fetch_index(index_url)
               if (e.get("from_code"), e.get("to_code")) == (from_code, to_code)]
    if not entries:
        raise ModelError(f"the Argos index has no {pair} package")
    entry = entries[-1]
    with tempfile.TemporaryDirectory(prefix="pipeline-download-") as tmp:
        name = f"translate-{from_code}_{to_code}.argosmodel"
        file = download(list(entry.get("links") or []), Path(tmp) / name, quiet=quiet)
        return install_file(file, models_dir)
