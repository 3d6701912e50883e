"""File formats, one module per format that both writes and reads it.

po (gettext catalogs), xliff (XLIFF 2.1), tmx (TMX 1.4b), jsonl (the run's aligned record),
markdown (the translated article), review (the side-by-side review page). A format knows
documents and translations, never a run.
"""
