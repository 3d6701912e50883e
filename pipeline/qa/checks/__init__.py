"""Per-segment QA checks, after Translate Toolkit's pofilter and Okapi CheckMate.

A check looks at one source/target pair and returns None (pass) or a one-line message; each
is registered with a name and a severity. The checks grew past one module, so this became a
package that kept its import path: ``from pipeline.qa.checks import run_checks``.
"""

from __future__ import annotations

# registration order is the order findings come in: things that must come back, then form
# isort: off
from pipeline.qa.checks import items  # noqa: F401 - importing registers the checks
from pipeline.qa.checks import form  # noqa: F401
# isort: on
from pipeline.qa.checks.registry import (
    CHECKS,
    VERBATIM_SKIP,
    Check,
    CheckContext,
    CheckFunc,
    register,
    run_checks,
)

__all__ = ["CHECKS", "VERBATIM_SKIP", "Check", "CheckContext", "CheckFunc", "register",
           "run_checks"]
