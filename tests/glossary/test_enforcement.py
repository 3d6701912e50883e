

def test_recheck_judges_a_persons_text_by_the_terms_it_needs():
    from pipeline.glossary.enforcement import recheck
    from pipeline.model.annotations import TermAction, TermDecision

    decisions = (TermDecision("ki", "KI", TermAction.FLAGGED, "", "AI"),
                 TermDecision("ki", "KI", TermAction.REPLACED, "", "AI"),
                 TermDecision("sora", "Sora", TermAction.DNT, "", "Sora"),
                 TermDecision("x", "X", TermAction.FLAGGED, "no fr target", ""))
    again = recheck(decisions, "AI, and Sora, but only one AIs", "en")
    assert [d.action for d in again] == [TermAction.PRESENT, TermAction.PRESENT,
                                         TermAction.DNT, TermAction.FLAGGED]
    fewer = recheck(decisions, "Only one AI; no name.", "en")
    assert [d.action for d in fewer] == [TermAction.PRESENT, TermAction.FLAGGED,
                                         TermAction.FLAGGED, TermAction.FLAGGED]
    assert fewer[1].detail == "'AI' found 1 of 2 times"


def test_hits_are_found_again_in_the_reviewed_english_and_steered_there():
    from pipeline.glossary import find_terms, load_glossary
    from pipeline.glossary.enforcement import pivot_hits
    from pipeline.run.terms import steer_pivot

    from ..conftest import ROOT

    glossary = load_glossary(ROOT / "glossary")
    german = "OpenAI und Sora: KI von OpenAI für die Regisseure."
    hits = find_terms(glossary, german)
    english = "Sora and OpenAI: AI for the directors; AI models by OpenAI."
    placed = pivot_hits(hits, english)
    assert [(h.concept.id, english[h.start:h.end]) for h in placed] == [
        ("sora", "Sora"), ("openai", "OpenAI"), ("ki", "AI"), ("regisseur", "directors"),
        ("openai", "OpenAI")]
    assert all(h.surface == english[h.start:h.end] for h in placed)
    assert pivot_hits(hits, "Nothing of it here.") == []
    # by default only names are masked, at their English places, restored as the fr term
    assert steer_pivot(hits, "fr", "dnt-only", english) == [
        (0, 4, "Sora"), (9, 15, "OpenAI"), (52, 58, "OpenAI")]
    spans = steer_pivot(hits, "fr", "placeholder", english)
    assert (17, 19, "IA") in spans and (28, 37, "réalisateur") in spans
    assert steer_pivot(hits, "fr", "none", english) == []
