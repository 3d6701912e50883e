

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
