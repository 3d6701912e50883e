"""Shared fixtures: an isolated home for Argos, real tiny Argos packages, the sample article.

argostranslate reads its folders from the environment when first imported, so they are
pointed at a temporary directory here, before any test module can import it. Tests never
write to the real home directory.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

_SANDBOX = Path(tempfile.mkdtemp(prefix="pipeline-tests-"))
for _var, _sub in {
    "HOME": "home",
    "XDG_DATA_HOME": "home/.local/share",
    "XDG_CONFIG_HOME": "home/.config",
    "XDG_CACHE_HOME": "home/.cache",
    "ARGOS_PACKAGES_DIR": "argos-packages",
}.items():
    os.environ[_var] = str(_SANDBOX / _sub)
    (_SANDBOX / _sub).mkdir(parents=True, exist_ok=True)
os.environ.pop("PIPELINE_MODELS_DIR", None)
os.environ["SOURCE_DATE_EPOCH"] = "1767225600"  # 2026-01-01: reproducible PO headers

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "articles" / "de" / "sora-hollywood.txt"
#: Random weights never emit </s>: every test decode is capped.
MAX_LENGTH = 24


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_SANDBOX, ignore_errors=True)


@pytest.fixture(scope="session")
def sample_path() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def package_files(tmp_path_factory) -> dict[str, Path]:
    """Real .argosmodel files (SentencePiece + CTranslate2, seeded random weights)."""
    from pipeline.testing.synthetic import build_argos_package

    corpus = SAMPLE.read_text(encoding="utf-8").splitlines()
    folder = tmp_path_factory.mktemp("argosmodels")
    return {
        f"{a}-{b}": build_argos_package(folder, from_code=a, to_code=b, corpus=corpus, seed=7)
        for a, b in [("de", "en"), ("en", "fr"), ("en", "es")]
    }


@pytest.fixture(scope="session")
def models_dir(package_files, tmp_path_factory) -> Path:
    """de-en, en-fr and en-es installed through the real install path."""
    from pipeline.mt.packages import install_file

    folder = tmp_path_factory.mktemp("models")
    for file in package_files.values():
        install_file(file, folder)
    return folder
