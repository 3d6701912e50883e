"""The term base: concepts in TSV files, matching in German text, steering and enforcement
around MT, lint, TBX/CSV exchange; keeping it up to date with offline dictionaries
(dictsources, dictindex, dictionaries), suggestions from new articles (candidates, suggest)
and reviewers' drift.

The names a caller needs are importable from here; submodules load on first use, so
``--help`` stays light.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "Concept": "termbase", "LintIssue": "termbase", "load_folder": "termbase",
    "Glossary": "match", "TermHit": "match", "find_terms": "match", "load_glossary": "match",
    "check_target": "enforcement", "enforce": "enforcement",
    "render_term_report": "enforcement", "steer_terms": "enforcement",
    "term_report": "enforcement", "lint_folder": "lint", "raise_errors": "lint",
}
__all__ = ["Concept", "Glossary", "LintIssue", "TermHit", "check_target",
           "enforce", "find_terms", "lint_folder", "load_folder", "load_glossary", "raise_errors",
           "render_term_report", "steer_terms", "term_report"]

if TYPE_CHECKING:
    from pipeline.glossary.enforcement import (
        check_target,
        enforce,
        render_term_report,
        steer_terms,
        term_report,
    )
    from pipeline.glossary.lint import lint_folder, raise_errors
    from pipeline.glossary.match import Glossary, TermHit, find_terms, load_glossary
    from pipeline.glossary.termbase import Concept, LintIssue, load_folder


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'pipeline.glossary' has no attribute {name!r}")
    module = importlib.import_module(f"pipeline.glossary.{_EXPORTS[name]}")
    return getattr(module, name)
