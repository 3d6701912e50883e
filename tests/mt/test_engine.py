"""The Argos engine through real CTranslate2 models, and the engine registry."""

from __future__ import annotations

import pytest

from pipeline.model.errors import ModelError
from pipeline.mt.engine import ArgosEngine, DecodeOptions, load_engine

from ..conftest import MAX_LENGTH

TEXTS = ["OpenAI wagt sich nach Hollywood.", "Die Regisseure wollen KI.", "Ein Satz."]


def _engine(models_dir, **options):
    return ArgosEngine(models_dir, DecodeOptions(max_decoding_length=MAX_LENGTH, **options),
                       quiet=True)


def test_direct_and_pivot_decode_german_once(models_dir):
    engine = _engine(models_dir)
    out = engine.translate(TEXTS, "de", ["en", "fr", "es"])
    assert set(out) == {"en", "fr", "es"}
    assert all(len(v) == len(TEXTS) and all(v) for v in out.values())
    assert engine.decoded_pairs == ["de-en", "en-fr", "en-es"]
    assert len(engine._loaded) == 3


def test_deterministic_and_order_preserving(models_dir):
    first = _engine(models_dir).translate(TEXTS, "de", ["en"])["en"]
    again = _engine(models_dir).translate(list(reversed(TEXTS)), "de", ["en"])["en"]
    assert first == list(reversed(again))
    assert len(set(first)) == len(TEXTS)


def test_greedy_and_beam_both_work(models_dir):
    greedy = _engine(models_dir, beam_size=1).translate(TEXTS, "de", ["en"])["en"]
    assert all(greedy)


def test_missing_pair_names_the_package(models_dir):
    with pytest.raises(ModelError, match="models install de-it") as info:
        _engine(models_dir).check("de", ["it"])
    assert "de-en and en-it" in str(info.value)


def test_missing_models_dir(tmp_path):
    with pytest.raises(ModelError, match="models install de-en"):
        _engine(tmp_path / "none").check("de", ["en"])


def test_registry():
    assert load_engine("pseudo").translate(["Hallo [0]."], "de", ["en"])["en"][0].count("[0]") == 1
    with pytest.raises(ModelError, match="unknown engine"):
        load_engine("google")
