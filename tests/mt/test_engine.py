"""The Argos engine through real CTranslate2 models, and the engine registry."""

from __future__ import annotations

import pickle

import pytest

from pipeline.model.errors import ModelError
from pipeline.mt.argos import ArgosEngine, DecodeOptions
from pipeline.mt.engine import Request, load_engine

from ..conftest import MAX_LENGTH

TEXTS = ["OpenAI wagt sich nach Hollywood.", "Die Regisseure wollen KI.", "Ein Satz."]


def _engine(models_dir, **options):
    return ArgosEngine(models_dir, DecodeOptions(max_decoding_length=MAX_LENGTH, **options),
                       quiet=True)


def _best(engine, texts, *targets, source="de"):
    results = engine.translate([Request(source, t, tuple(texts)) for t in targets])
    return {r.request.target: r.best for r in results}


def test_direct_and_pivot_decode_german_once(models_dir):
    engine = _engine(models_dir)
    out = _best(engine, TEXTS, "en", "fr", "es")
    assert set(out) == {"en", "fr", "es"}
    assert all(len(v) == len(TEXTS) and all(v) for v in out.values())
    assert engine.decoded_pairs == ["de-en", "en-fr", "en-es"]
    assert len(engine._loaded) == 3


def test_each_target_gets_only_its_texts_and_the_pivot_pass_stays_shared(models_dir):
    engine = _engine(models_dir)
    results = engine.translate([Request("de", "en", (TEXTS[0],)),
                                Request("de", "fr", (TEXTS[1],))])
    assert [len(r.best) for r in results] == [1, 1]
    assert engine.decoded_pairs == ["de-en", "en-fr"]  # one de-en pass for both requests
    alone = _best(_engine(models_dir), [TEXTS[1]], "fr")["fr"]
    assert results[1].best == alone


def test_a_given_pivot_text_is_translated_instead_of_the_source(models_dir):
    engine = _engine(models_dir)
    english = "The directors want AI."
    [result] = engine.translate([Request("de", "fr", (TEXTS[1],), pivot=(english,))])
    assert engine.decoded_pairs == ["en-fr"]  # no de-en decode at all
    assert result.best == _best(_engine(models_dir), [english], "fr", source="en")["fr"]


def test_n_scored_hypotheses_best_first(models_dir):
    [result] = _engine(models_dir).translate([Request("de", "en", tuple(TEXTS), n=3)])
    for found in result.hypotheses:
        assert len(found) == 3
        scores = [h.score for h in found]
        assert all(isinstance(s, float) for s in scores) and scores == sorted(scores, reverse=True)
    assert result.best == _best(_engine(models_dir), TEXTS, "en")["en"]


def test_requests_and_results_are_plain_picklable_data(models_dir):
    [result] = _engine(models_dir).translate([Request("de", "en", (TEXTS[0],), n=2)])
    assert pickle.loads(pickle.dumps(result)) == result
    with pytest.raises(ValueError, match="pivot"):
        Request("de", "fr", ("a", "b"), pivot=("x",))
    with pytest.raises(ValueError, match="n must be"):
        Request("de", "fr", ("a",), n=0)


def test_deterministic_and_order_preserving(models_dir):
    first = _best(_engine(models_dir), TEXTS, "en")["en"]
    again = _best(_engine(models_dir), list(reversed(TEXTS)), "en")["en"]
    assert first == list(reversed(again))
    assert len(set(first)) == len(TEXTS)


def test_greedy_and_beam_both_work(models_dir):
    greedy = _best(_engine(models_dir, beam_size=1), TEXTS, "en")["en"]
    assert all(greedy)


def test_missing_pair_names_the_package(models_dir):
    with pytest.raises(ModelError, match="models install de-it") as info:
        _engine(models_dir).check("de", ["it"])
    assert "de-en and en-it" in str(info.value)


def test_missing_models_dir(tmp_path):
    with pytest.raises(ModelError, match="models install de-en"):
        _engine(tmp_path / "none").check("de", ["en"])


def test_registry():
    [result] = load_engine("pseudo").translate([Request("de", "en", ("Hallo [0].",), n=2)])
    first, second = result.hypotheses[0]
    assert first.text.count("[0]") == 1 and first.score > second.score
    with pytest.raises(ModelError, match="unknown engine"):
        load_engine("google")
