"""The translation memory: one SQLite file of reviewed and machine translations (store), and
what reviewers' PO, XLIFF and TMX files hold for it (importers)."""
