"""Offline translation and localization pipeline for German news articles.

The public API (see :mod:`pipeline.api`)::

    from pipeline import translate_articles, write_results

Names load on first use, so ``import pipeline`` (and the CLI's ``--help``) stays light.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "translate_articles": "pipeline.api", "write_results": "pipeline.api",
    "write_each": "pipeline.api", "Unchanged": "pipeline.run.results",
    "ArticleResult": "pipeline.run.results", "LanguageResult": "pipeline.run.results",
    "OutputSet": "pipeline.run.write", "RunOptions": "pipeline.run.options",
    "Document": "pipeline.model.document", "Segment": "pipeline.model.document",
    "Translation": "pipeline.model.document", "Status": "pipeline.model.status",
    "Finding": "pipeline.model.annotations", "Severity": "pipeline.model.annotations",
    "TermDecision": "pipeline.model.annotations", "Repair": "pipeline.model.annotations",
    "Suggestion": "pipeline.model.annotations", "PipelineError": "pipeline.model.errors",
    "Engine": "pipeline.mt.engine", "Request": "pipeline.mt.engine",
    "Result": "pipeline.mt.engine", "Hypothesis": "pipeline.mt.engine",
}
__all__ = ["ArticleResult", "Document", "Engine", "Finding", "Hypothesis", "LanguageResult",
           "OutputSet", "PipelineError", "Repair", "Request", "Result", "RunOptions", "Segment",
           "Severity", "Status", "Suggestion", "TermDecision", "Translation", "Unchanged",
           "translate_articles", "write_each", "write_results"]

if TYPE_CHECKING:
    from pipeline.api import translate_articles, write_each, write_results
    from pipeline.model.annotations import Finding, Repair, Severity, Suggestion, TermDecision
    from pipeline.model.document import Document, Segment, Translation
    from pipeline.model.errors import PipelineError
    from pipeline.model.status import Status
    from pipeline.mt.engine import Engine, Hypothesis, Request, Result
    from pipeline.run.options import RunOptions
    from pipeline.run.results import ArticleResult, LanguageResult, Unchanged
    from pipeline.run.write import OutputSet


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
