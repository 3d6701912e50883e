"""What earlier runs and reviewers left behind, behind one interface, so a review store can
replace the files later: ``PreviousState.load(document, lang)`` gives a run its past.

Today the past lives in the output files (layout); files.py reads PO, XLIFF and JSONL.
"""
