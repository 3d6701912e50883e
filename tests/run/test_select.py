"""Choosing among the engine's hypotheses by the glossary: the best-scoring one that renders
the most terms, per chunk, through English too; recorded, shown, and part of the signature."""

from __future__ import annotations

import json

import polib
import pytest
from lxml import etree

from pipeline.glossary import find_terms, load_glossary
from pipeline.model.annotations import Choice, TermAction
from pipeline.mt.argos import ArgosEngine, DecodeOptions, per_token
from pipeline.mt.engine import Hypothesis
from pipeline.run import select
from pipeline.run.runner import RunOptions, run, stream
from pipeline.store.previous import NoPrevious
from pipeline.testing.fake_engine import FakeEngine

from ..conftest import MAX_LENGTH, ROOT, SAMPLE

GLOSSARY = ROOT / "glossary"
GERMAN = "Die Regisseure wollen KI."
#: the model's best misses both terms, the second renders both, the third one
ENGLISH = [("The regisseurs want KI.", -0.2), ("The directors want AI.", -0.5),
           ("The directors want KI.", -0.6)]


@pytest.fixture(scope="module")
def glossary():
    return load_glossary(GLOSSARY)


def _article(tmp_path, text=GERMAN):
    path = tmp_path / "a.txt"
    path.write_text(text + "\n", encoding="utf-8")
    return path


def _entry(po_path):
    [entry] = [e for e in polib.pofile(str(po_path)) if not e.obsolete]
    return entry


# --- the rule --------------------------------------------------------------------------------

def test_the_best_scoring_hypothesis_with_the_most_terms_wins(glossary):
    hits = find_terms(glossary, GERMAN)
    found = select.Candidates(tuple(Hypothesis(t, s, s) for t, s in ENGLISH))
    text, choice = select.choose(found, hits, "en")
    assert text == "The directors want AI."
    assert choice == Choice(2, 3, 2, 0, 2, -0.5, -0.2)
    assert choice.cost == pytest.approx(0.3) and choice.departs


def test_ties_go_to_the_model_and_nothing_to_choose_records_nothing(glossary):
    hits = find_terms(glossary, GERMAN)
    tied = select.Candidates((Hypothesis("The directors want AI.", -0.4, -0.4),
                              Hypothesis("Directors want AI.", -0.1, -0.1)))
    assert select.choose(tied, hits, "en") == (
        "The directors want AI.", Choice(1, 2, 2, 2, 2, -0.4, -0.4))
    one = select.Candidates((Hypothesis("The regisseurs want KI."),))
    assert select.choose(one, hits, "en") == ("The regisseurs want KI.", None)
    assert select.choose(tied, (), "en") == ("The directors want AI.", None)


def test_counts_matter_two_ki_need_two_ai(glossary):
    hits = find_terms(glossary, "KI hier, KI dort.")
    found = select.Candidates((Hypothesis("AI here, there."), Hypothesis("AI here, AI there.")))
    assert select.choose(found, hits, "en")[0] == "AI here, AI there."


def test_a_long_segment_is_chosen_for_chunk_by_chunk(glossary):
    first = "Die Regisseure wollen KI, " + "und zwar sehr viel davon, " * 40
    second = "doch die Schauspieler wollen keine KI."
    text = first + second
    hits = find_terms(glossary, text)
    parts = select.parts(text, hits)
    assert len(parts) == 2 and parts[0].text + " " + parts[1].text == text.strip()
    assert [[h.surface for h in p.hits] for p in parts] == [["Regisseure", "KI"],
                                                            ["Schauspieler", "KI"]]
    table = {parts[0].text: select.Candidates((Hypothesis("A.", -0.1, -0.1),
                                               Hypothesis("The directors want AI.", -0.3, -0.3))),
             parts[1].text: select.Candidates((Hypothesis("The actors want no AI.", -0.2, -0.2),
                                               Hypothesis("No.", -0.1, -0.1)))}
    out, choices = select.output(text, hits, table, "en")
    assert out == "The directors want AI. The actors want no AI."
    assert [(cid, c.rank, c.part, c.parts) for cid, c in choices] == [
        ("regisseur", 2, 1, 2), ("ki", 2, 1, 2), ("schauspieler", 1, 2, 2), ("ki", 1, 2, 2)]


def test_argos_scores_become_log_probabilities_per_token():
    # CTranslate2 divides the summed log-probability by length ** length_penalty; the end
    # token counts, except for a hypothesis cut at the decoding limit
    assert per_token(-10.0, 9, 24, 0.0) == pytest.approx(-1.0)
    assert per_token(-10.0 / 10 ** 0.2, 9, 24, 0.2) == pytest.approx(-1.0)
    assert per_token(-24.0 / 24, 24, 24, 1.0) == pytest.approx(-1.0)


# --- in a run --------------------------------------------------------------------------------

def test_a_run_takes_the_compliant_second_best_and_records_it(tmp_path):
    engine = FakeEngine(lists={("en", GERMAN): ENGLISH})
    [result] = run([_article(tmp_path)], RunOptions(targets=("en",), out_dir=tmp_path / "o",
                                                    quiet=True, glossary=GLOSSARY), engine)
    assert [r.n for r in engine.requests] == [4]
    entry = _entry(result.paths.po)
    assert entry.msgstr == "The directors want AI."
    note = ("glossary: hypothesis 2 of 3 chosen: renders 2 of 2 terms, the model's best 0; "
            "log-prob per token -0.50 against -0.20")
    assert note in entry.comment.splitlines()
    assert "glossary: KI → AI (present)" in entry.comment
    xliff = etree.parse(str(result.paths.xliff))
    assert note in [n.text for n in xliff.iter("{*}note")]
    report = result.paths.terms.read_text(encoding="utf-8")
    assert "| ki | 1 | 1 | 0 | 1 |  |" in report
    assert ("n-best: a lower-ranked hypothesis rendered more terms in 1 of 1 text (0.30 "
            "log-prob per token given up on average).") in report
    assert result.terms == {"found": 2, "enforced": 2, "flagged": 0, "chosen": 2}
    jsonl = json.loads(result.paths.jsonl.read_text(encoding="utf-8").splitlines()[0])
    assert note in jsonl["notes"]


def test_the_typed_choice_is_in_the_decisions(tmp_path):
    engine = FakeEngine(lists={("en", GERMAN): ENGLISH})
    options = RunOptions(targets=("en",), out_dir=tmp_path, quiet=True, glossary=GLOSSARY)
    [article] = stream([_article(tmp_path)], options, engine, NoPrevious(), None)
    [translation] = article.languages[0].translations
    assert [(d.concept_id, d.action, d.choice) for d in translation.terms] == [
        ("regisseur", TermAction.PRESENT, Choice(2, 3, 2, 0, 2, -0.5, -0.2)),
        ("ki", TermAction.PRESENT, Choice(2, 3, 2, 0, 2, -0.5, -0.2))]


def test_other_strategies_take_the_models_best(tmp_path):
    engine = FakeEngine(lists={("en", GERMAN): ENGLISH})
    [result] = run([_article(tmp_path)], RunOptions(
        targets=("en",), out_dir=tmp_path / "o", quiet=True, glossary=GLOSSARY,
        term_strategy="dnt-only"), engine)
    assert [r.n for r in engine.requests] == [1]
    entry = _entry(result.paths.po)
    assert entry.msgstr == "The directors want AI."  # the best, repaired: regisseurs, KI
    assert "hypothesis" not in entry.comment and "(replaced" in entry.comment


def test_every_text_asks_for_n_in_one_request_per_pair(tmp_path):
    engine = FakeEngine()
    [result] = run([_article(tmp_path, GERMAN + "\n\nEin Satz ohne Begriffe.")], RunOptions(
        targets=("en",), out_dir=tmp_path / "o", quiet=True, glossary=GLOSSARY), engine)
    assert [(r.n, r.texts) for r in engine.requests] == [
        (4, ("Die Regisseure wollen KI.", "Ein Satz ohne Begriffe."))]
    po = polib.pofile(str(result.paths.po))
    assert po[1].msgstr == "en:Ein Satz ohne Begriffe."  # no terms: the model's best
    engine = FakeEngine()
    run([_article(tmp_path, GERMAN)], RunOptions(targets=("en",), out_dir=tmp_path / "p",
                                                 quiet=True), engine)
    assert [r.n for r in engine.requests] == [1]  # no term base: nothing to choose by


def test_strategy_and_n_are_part_of_what_output_is_reused_under(tmp_path):
    article, out = _article(tmp_path), tmp_path / "o"

    def again(**options):
        engine = FakeEngine(lists={("en", GERMAN): ENGLISH})
        run([article], RunOptions(targets=("en",), out_dir=out, quiet=True, glossary=GLOSSARY,
                                  **options), engine)
        return engine.decoded

    assert again() == [("de", "en", GERMAN)]
    assert again() == []  # the same engine, strategy and n: reused
    assert again(n_best=2) == [("de", "en", GERMAN)]
    assert again(n_best=2) == []
    assert again(term_strategy="dnt-only") == [("de", "en", GERMAN)]


def test_through_english_each_side_is_chosen_by_its_own_terms(tmp_path):
    chosen_english = "The directors want AI."
    engine = FakeEngine(pivot="en", lists={
        ("en", GERMAN): ENGLISH,
        ("fr", chosen_english): [("Les régisseurs veulent KI.", -0.2),
                                 ("Les réalisateurs veulent l'IA.", -0.4)]})
    [result] = run([_article(tmp_path)], RunOptions(targets=("fr",), out_dir=tmp_path / "o",
                                                    quiet=True, glossary=GLOSSARY), engine)
    first, second = engine.requests
    assert (first.source, first.target, first.n) == ("de", "en", 4)
    assert (second.source, second.target, second.pivot, second.n) == (
        "de", "fr", (chosen_english,), 4)
    entry = _entry(result.paths.po)
    assert entry.msgstr == "Les réalisateurs veulent l'IA."
    assert ("glossary: hypothesis 2 of 2 chosen: renders 2 of 2 terms, the model's best 0; "
            "log-prob per token -0.40 against -0.20; through English hypothesis 2 of 3 "
            "(renders 2 of 2 terms, the model's best 0; log-prob per token -0.50 against "
            "-0.20)") in entry.comment.splitlines()


def test_english_and_a_target_through_it_share_the_english_choice(tmp_path):
    engine = FakeEngine(pivot="en", lists={("en", GERMAN): ENGLISH})
    en, fr = run([_article(tmp_path)], RunOptions(targets=("en", "fr"), out_dir=tmp_path / "o",
                                                  quiet=True, glossary=GLOSSARY), engine)
    assert [(r.target, r.n) for r in engine.requests] == [("en", 4), ("fr", 4)]
    assert _entry(en.paths.po).msgstr == "The directors want AI."
    assert engine.requests[1].pivot == ("The directors want AI.",)
    assert _entry(fr.paths.po).msgstr.startswith("fr:The directors want")


# --- the real CTranslate2 path ---------------------------------------------------------------

class RecordingArgos(ArgosEngine):
    """The real engine, keeping every request and result."""

    def __init__(self, models_dir):
        super().__init__(models_dir, DecodeOptions(max_decoding_length=MAX_LENGTH), quiet=True)
        self.calls: list = []

    def translate(self, requests):
        results = super().translate(requests)
        self.calls.append(results)
        return results


def test_real_models_are_asked_for_n_hypotheses_and_the_choice_is_recorded(models_dir,
                                                                          tmp_path):
    outputs = []
    for k in range(2):
        engine = RecordingArgos(models_dir)
        options = RunOptions(targets=("en", "fr"), out_dir=tmp_path / f"o{k}", quiet=True,
                             glossary=GLOSSARY)
        [article] = stream([SAMPLE], options, engine, NoPrevious(), None)
        outputs.append([(t.target, t.terms) for lang in article.languages
                        for t in lang.translations])
        # English first (chosen for fr too), then the rest, fr from the chosen English
        english, rest = engine.calls
        assert {(r.request.source, r.request.target, r.request.n) for r in english} == {
            ("de", "en", 4)}
        assert all(len(found) == 4 and all(isinstance(h.logprob, float) for h in found)
                   for r in english for found in r.hypotheses)
        [routed] = [r for r in rest if r.request.target == "fr"]
        assert routed.request.n == 4 and routed.request.pivot is not None
        assert engine.decoded_pairs == ["de-en", "en-fr"]  # German decoded once
        choices = [d.choice for lang in article.languages for t in lang.translations
                   for d in t.terms if d.choice is not None]
        assert choices and all(c.considered == 4 and 1 <= c.rank <= 4 for c in choices)
        assert any(c.via is not None for c in choices)
    assert outputs[0] == outputs[1]  # deterministic


def test_the_choice_is_kept_in_the_store_and_dropped_for_a_persons_text(tmp_path):
    from dataclasses import replace

    from pipeline.glossary.enforcement import recheck
    from pipeline.model.status import Status
    from pipeline.store import codec
    from pipeline.store.previous import Kept

    engine = FakeEngine(lists={("en", GERMAN): ENGLISH})
    options = RunOptions(targets=("en",), out_dir=tmp_path, quiet=True, glossary=GLOSSARY)
    [article] = stream([_article(tmp_path)], options, engine, NoPrevious(), None)
    [made] = article.languages[0].translations
    made = replace(made, terms=tuple(replace(d, choice=replace(d.choice, via=Choice(
        3, 4, 1, 0, 2, -0.7, -0.3))) for d in made.terms))
    kept = Kept(GERMAN, made.target, Status.MACHINE)
    back = codec.translation_from(made.segment, "en", kept, codec.detail_json(made))
    assert back.terms == made.terms
    old = codec.detail_json(replace(made, terms=tuple(replace(d, choice=None)
                                                      for d in made.terms)))
    assert codec.translation_from(made.segment, "en", kept, old).terms[0].choice is None
    assert all(d.choice is None for d in recheck(made.terms, "The directors want AI.", "en"))


def test_a_target_from_the_reviewed_english_is_chosen_by_its_own_terms(tmp_path):
    from pipeline.store.layout import paths

    from ..helpers import edit_po

    article, out = _article(tmp_path), tmp_path / "o"
    options = RunOptions(targets=("en", "fr"), out_dir=out, quiet=True, glossary=GLOSSARY)
    run([article], options, FakeEngine(pivot="en"))
    english = "The directors want AI."
    edit_po(paths(out, "en", "a").po, GERMAN, english)  # signed off
    engine = FakeEngine(pivot="en", lists={("fr", english): [
        ("Les régisseurs veulent KI.", -0.1), ("Les réalisateurs veulent l'IA.", -0.3)]})
    run([article], replace_targets(options, ("fr",)), engine)
    assert [(r.source, r.target, r.texts, r.n) for r in engine.requests] == [
        ("en", "fr", (english,), 4)]
    entry = _entry(paths(out, "fr", "a").po)
    assert entry.msgstr == "Les réalisateurs veulent l'IA."
    assert any(line.startswith("glossary: hypothesis 2 of 2 chosen")
               for line in entry.comment.splitlines())


def replace_targets(options: RunOptions, targets: tuple[str, ...]) -> RunOptions:
    from dataclasses import replace

    return replace(options, targets=targets)
