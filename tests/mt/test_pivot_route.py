"""Which pairs an engine translates through English (``via``), how a translation made from a
reviewed English is signed, and how Argos shares its English → target pass with it."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.ingest.article import parse_article
from pipeline.ingest.segment import segment_document
from pipeline.model.status import Status
from pipeline.mt.argos import ArgosEngine, DecodeOptions
from pipeline.mt.engine import PIVOT, Request, made_by_test_models, pivot_signature
from pipeline.mt.pseudo import PseudoEngine
from pipeline.run.reuse import reusable
from pipeline.store.previous import Kept, Previous
from pipeline.testing.fake_engine import FakeEngine

from ..conftest import MAX_LENGTH


def _argos(models_dir):
    return ArgosEngine(models_dir, DecodeOptions(max_decoding_length=MAX_LENGTH), quiet=True)


def test_argos_goes_through_english_only_without_a_direct_package(models_dir):
    engine = _argos(models_dir)
    assert engine.via("de", "fr") == engine.via("de", "es") == PIVOT
    assert engine.via("de", "en") is None and engine.via("en", "fr") is None  # direct
    assert engine.via("de", "ja") is None  # no route at all: check() names what is missing


@pytest.mark.parametrize(("source", "target", "expected"), [
    ("de", "fr", "en"), ("de", "pt_BR", "en"), ("de", "en", None), ("en", "fr", None),
    ("en_GB", "fr", None), ("fr", "de", "en"),
])
def test_pseudo_goes_through_english_unless_one_side_is_english(source, target, expected):
    assert PseudoEngine().via(source, target) == expected


def test_the_fake_engine_pivots_only_when_asked():
    assert FakeEngine().via("de", "fr") is None
    engine = FakeEngine(pivot="en")
    assert engine.via("de", "fr") == "en"
    assert engine.via("de", "en") is None and engine.via("en", "fr") is None


def test_a_pivot_signature_names_the_english_it_came_from():
    plain = "argos:translate-en_fr-1_0@1.0:123!test-weights"
    one, two = pivot_signature(plain, "The strike is over."), pivot_signature(plain, "Over.")
    assert one is not None and one.startswith(plain + "|en:") and len(one) == len(plain) + 16
    assert one == pivot_signature(plain, "The strike is over.")  # stable across runs
    assert len({plain, one, two}) == 3
    assert made_by_test_models(one)
    assert pivot_signature(None, "The strike is over.") is None  # no route: nothing reused


def test_machine_output_is_reused_only_under_its_own_signature():
    document = parse_article("Der Streik ist vorbei.\n", path=Path("a.txt"))
    [segment] = segment_document(document)
    plain = "fake:1"
    derived = pivot_signature(plain, "The strike is over.")
    rederived = pivot_signature(plain, "The strike has ended.")

    def reused(made_with: str | None, now: str | None) -> bool:
        previous = Previous({segment.id: Kept(segment.text, "fr:x", Status.MACHINE,
                                              engine=made_with)})
        return reusable(segment, document, "fr", previous, None, tweets="translate",
                        retranslate=False, engine=now) is not None

    assert reused(plain, plain) and reused(derived, derived)
    assert not reused(plain, derived)  # first run after the English review: derive it
    assert not reused(derived, rederived)  # the English was reviewed again
    assert not reused(derived, plain)  # the review was withdrawn: from the German again


def test_a_direct_english_request_joins_the_pivot_pass(models_dir):
    engine = _argos(models_dir)
    english = "The strike is over."
    results = engine.translate([Request("de", "fr", ("Die Regisseure wollen KI.",)),
                                Request("en", "fr", (english,)),
                                Request("en", "es", (english,))])
    # one pass per pair: en-fr once, for the pivot's second hop and the English request
    assert sorted(engine.decoded_pairs) == ["de-en", "en-es", "en-fr"]
    [alone] = _argos(models_dir).translate([Request("en", "fr", (english,))])
    assert results[1].best == alone.best
    assert [len(r.best) for r in results] == [1, 1, 1]
