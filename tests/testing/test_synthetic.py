"""Synthetic Argos packages must be reproducible and load through Argos and CTranslate2."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

from pipeline.testing.synthetic import build_argos_package, package_name

from ..conftest import ROOT

CORPUS = [
    "Der Bundestag hat am Donnerstag über den neuen Haushalt abgestimmt.",
    "Die Regierung plant, die Ausgaben für Bildung deutlich zu erhöhen.",
    "In Berlin regnete es den ganzen Tag, aber am Abend klarte der Himmel auf.",
    "Viele Menschen fahren im Sommer an die Ostsee oder in die Alpen.",
    "Das Unternehmen meldete einen Umsatz von 3,5 Milliarden Euro.",
    "Die Polizei sucht weiterhin nach Zeugen des Unfalls auf der A9.",
    "Nach Angaben des Ministeriums sind 12 Prozent der Stellen unbesetzt.",
    "Künstliche Intelligenz verändert die Arbeitswelt schneller als erwartet.",
    "Die Schülerinnen und Schüler schreiben nächste Woche ihre Abschlussprüfungen.",
    "Der Trainer zeigte sich nach dem 2:1-Sieg zufrieden mit seiner Mannschaft.",
    "Im Museum ist eine Ausstellung über mittelalterliche Handschriften zu sehen.",
    "Die Preise für Lebensmittel sind im vergangenen Jahr stark gestiegen.",
    "Forscher der Universität Heidelberg haben ein neues Verfahren entwickelt.",
    "Am Wochenende findet in München das traditionelle Stadtfest statt.",
    "Die Bahn kündigte an, mehrere Strecken im Herbst zu sanieren.",
    "Ärztinnen und Ärzte warnen vor einer starken Grippewelle im Winter.",
    "Der Bürgermeister eröffnete gestern die neue Brücke über den Fluss.",
    "Wegen des Streiks fielen zahlreiche Flüge in Frankfurt aus.",
    "Die Ausstellung „Licht und Schatten“ läuft noch bis Ende März.",
    "Experten rechnen mit einem leichten Wachstum der Wirtschaft.",
    "Das Orchester spielte Werke von Bach, Beethoven und Brahms.",
    "Die Feuerwehr konnte den Brand nach zwei Stunden löschen.",
    "Immer mehr Städte bauen Radwege aus und verbannen Autos aus der Innenstadt.",
    "Sie fragte: „Wann kommt der nächste Zug nach Hamburg?“",
    "Der Verein feiert in diesem Jahr sein 125-jähriges Bestehen.",
    "Laut Wetterdienst wird es morgen sonnig bei Temperaturen um 25 Grad.",
    "Die Verhandlungen zwischen Gewerkschaft und Arbeitgebern dauern an.",
    "Ein Großteil der Befragten wünscht sich mehr Grünflächen in der Stadt.",
    "Der Roman wurde in über dreißig Sprachen übersetzt.",
    "Die Mieten in Großstädten steigen seit Jahren kontinuierlich.",
]
PROBE = CORPUS[:4]
NAME = package_name("de", "en", "1.0")


def _build(dest: Path, **overrides: object) -> Path:
    options: dict[str, object] = {"from_code": "de", "to_code": "en", "corpus": CORPUS, "seed": 7}
    options.update(overrides)
    return build_argos_package(dest, **options)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("package"))


@pytest.fixture(scope="module")
def extracted(package: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("extracted")
    with zipfile.ZipFile(package) as archive:
        archive.extractall(dest)
    return dest / NAME


@pytest.fixture
def argos_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    # argostranslate.settings creates these directories at import time; keep them off $HOME.
    for var in ("ARGOS_PACKAGES_DIR", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    return importlib.import_module("argostranslate.package")


def test_package_name() -> None:
    assert package_name("de", "en", "1.0") == "translate-de_en-1_0"
    assert package_name("de", "fr", "1.2.3") == "translate-de_fr-1_2_3"


def test_builds_are_byte_identical_and_atomic(package: Path, tmp_path: Path) -> None:
    again = _build(tmp_path)
    assert package.name == again.name == f"{NAME}.argosmodel"
    assert again.read_bytes() == package.read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == [again.name]  # no temp files left behind


def test_seed_and_language_pair_change_weights(package: Path, tmp_path: Path) -> None:
    def weights(path: Path) -> bytes:
        with zipfile.ZipFile(path) as archive:
            return archive.read(f"{path.name.removesuffix('.argosmodel')}/model/model.bin")

    other_seed = _build(tmp_path / "seed", seed=8)
    other_pair = _build(tmp_path / "pair", to_code="fr")
    assert other_pair.name == "translate-de_fr-1_0.argosmodel"
    assert len({weights(package), weights(other_seed), weights(other_pair)}) == 3


def test_archive_layout_and_metadata(package: Path) -> None:
    with zipfile.ZipFile(package) as archive:
        names = archive.namelist()
        metadata = json.loads(archive.read(f"{NAME}/metadata.json"))
    assert {name.split("/")[0] for name in names} == {NAME}
    for member in ("metadata.json", "README.md", "model/model.bin", "sentencepiece.model"):
        assert f"{NAME}/{member}" in names
    assert metadata == {
        "package_version": "1.0",
        "argos_version": "1.9.0",
        "from_code": "de",
        "from_name": "German",
        "to_code": "en",
        "to_name": "English",
        "type": "translate",
        "x-pipeline-test-package": "random weights: the output is gibberish by construction",
    }


def test_argos_loads_package(extracted: Path, argos_package: ModuleType) -> None:
    loaded = argos_package.Package(extracted)
    assert (loaded.from_code, loaded.to_code) == ("de", "en")
    assert (loaded.from_name, loaded.to_name) == ("German", "English")
    assert loaded.package_version == "1.0"
    tokens = loaded.tokenizer.encode(PROBE[0])
    assert tokens and loaded.tokenizer.decode(tokens).strip() == PROBE[0]


def test_ctranslate2_translates_deterministically(
    extracted: Path, argos_package: ModuleType
) -> None:
    import ctranslate2

    tokenizer = argos_package.Package(extracted).tokenizer
    batch = [tokenizer.encode(sentence) for sentence in PROBE]
    translator = ctranslate2.Translator(str(extracted / "model"), device="cpu", compute_type="int8")

    def translate() -> list[list[str]]:
        results = translator.translate_batch(batch, max_decoding_length=20, beam_size=1)
        return [result.hypotheses[0] for result in results]

    first = translate()
    assert all(first) and translate() == first
    assert len({tuple(hypothesis) for hypothesis in first}) > 1  # output depends on input
    assert all(tokenizer.decode(hypothesis).strip() for hypothesis in first)


def test_pad_vocab_fills_vocabulary_without_changing_segmentation(tmp_path: Path) -> None:
    import sentencepiece as spm

    def load(path: Path, dest: Path) -> tuple[spm.SentencePieceProcessor, list[str]]:
        with zipfile.ZipFile(path) as archive:
            archive.extractall(dest)
        root = dest / NAME
        vocabulary = json.loads((root / "model" / "shared_vocabulary.json").read_text("utf-8"))
        return spm.SentencePieceProcessor(model_file=str(root / "sentencepiece.model")), vocabulary

    plain, plain_vocab = load(_build(tmp_path / "plain", vocab_size=2000), tmp_path / "p")
    padded, padded_vocab = load(
        _build(tmp_path / "padded", vocab_size=2000, pad_vocab=True), tmp_path / "q"
    )
    assert len(plain_vocab) < 2000 == len(padded_vocab) == padded.get_piece_size()
    assert padded_vocab[:3] == ["<unk>", "<s>", "</s>"]
    assert padded_vocab[: len(plain_vocab)] == plain_vocab
    for sentence in CORPUS:
        assert padded.encode(sentence) == plain.encode(sentence)
        assert padded.decode(padded.encode(sentence)) == sentence
    synthetic = padded_vocab[-3:]
    assert padded.decode_pieces(synthetic).split() == [piece.lstrip("▁") for piece in synthetic]


def test_import_is_cheap() -> None:
    code = "import sys, pipeline.testing.synthetic; sys.exit('ctranslate2' in sys.modules)"
    root = ROOT
    assert subprocess.run([sys.executable, "-c", code], cwd=root, check=False).returncode == 0
