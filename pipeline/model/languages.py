"""Language codes, defined once: parse, canonical form, BCP 47 for XML, gettext form, and the
rule for region variants.

The canonical form is gettext's (``en``, ``pt_BR``), which names output folders and memory
pairs; XML attributes get BCP 47 (``pt-BR``). A file labelled with a regional variant
(``en_US`` from Poedit, ``de-DE`` from a CAT tool) belongs to the plain language (``en``,
``de``) unless the requested language itself carries a region (``pt_BR``): then it must match.
"""

from __future__ import annotations

from functools import lru_cache

from pipeline.model.errors import LanguageError


@lru_cache(maxsize=512)
def _locale(code: str):  # -> babel.Locale | None
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(code.strip().replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError, AttributeError):
        return None


def parse(code: str) -> str:
    """A CLDR language code in its canonical spelling (EN → en, pt-br → pt_BR).

    Canonical, so ``--to EN`` and ``--to en`` share one output folder and one memory pair.
    An unknown code is a LanguageError.
    """
    locale = _locale(code) if isinstance(code, str) else None
    if locale is None:
        raise LanguageError(f"unknown language code {code!r}")
    return str(locale)


def is_known(code: str) -> bool:
    """Known to CLDR, so a typo like ``eng`` or ``sp`` is caught."""
    return isinstance(code, str) and _locale(code) is not None


def locale(code: str):  # -> babel.Locale | None
    """Babel's locale for a code (number formats, names, script direction); None if unknown."""
    return _locale(code)


def bcp47(code: str) -> str:
    """``pt_BR`` → ``pt-BR``, for xml:lang, srcLang/trgLang and TMX."""
    return code.strip().replace("_", "-")


def gettext(code: str) -> str:
    """``pt-BR`` → ``pt_BR``, for PO headers and folders; known codes get CLDR's spelling."""
    try:
        return parse(code)
    except LanguageError:
        return code.strip().replace("-", "_")


def base(code: str) -> str:
    """The primary language subtag, lowercase: ``pt_BR`` → ``pt``."""
    return code.strip().replace("_", "-").split("-")[0].lower()


def key(code: str) -> str:
    """Case- and separator-blind form for comparing labels: ``EN-us`` → ``en-us``."""
    return code.strip().replace("_", "-").lower()


def belongs_to(found: str, wanted: str) -> bool:
    """Is a file labelled ``found`` in the language ``wanted``? Region variants of a plain
    language belong to it (``en_US`` → ``en``) when they share its script (``zh_TW`` is
    written in Han Traditional, ``zh`` in Simplified; ``sr_Latn`` is not ``sr``); a request
    that carries a region or script needs the same."""
    if key(found) == key(wanted):
        return True
    if key(wanted) != base(wanted) or base(found) != base(wanted):
        return False
    return script(found) == script(wanted)


@lru_cache(maxsize=512)
def script(code: str) -> str | None:
    """The script a code is written in: its own script subtag, else CLDR's likely one."""
    from babel.core import get_global

    found = _locale(code)
    if found is None:
        return None
    if found.script:
        return str(found.script)
    likely = get_global("likely_subtags")
    for name in (f"{found.language}_{found.territory}", found.language):
        if name in likely:
            full = _locale(likely[name])
            return full.script if full is not None else None
    return None
