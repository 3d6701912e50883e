"""PO ``Plural-Forms`` headers from the GNU gettext manual's table, kept in the project.

The header is part of every PO file users get, so it must not move when a dependency's data
moves (Babel 2.19 gave French three CLDR categories, a formula Poedit and msgfmt users do not
expect). The formulas are those of the manual's "Plural forms" node; each is written as
``plural=(EXPR);``, the way Poedit and Weblate write them.

A language the table lacks falls back to CLDR's rule through Babel (pinned by the lock, so it
changes only when the lock is refreshed), and to ``nplurals=2; plural=(n != 1);`` for a
language CLDR does not know either.
"""

from __future__ import annotations

from pipeline.model import languages

ONE = "nplurals=1; plural=0;"
TWO_NOT_ONE = "nplurals=2; plural=(n != 1);"
TWO_ZERO_ONE = "nplurals=2; plural=(n > 1);"
LATVIAN = "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2);"
IRISH = "nplurals=3; plural=(n==1 ? 0 : n==2 ? 1 : 2);"
ROMANIAN = "nplurals=3; plural=(n==1 ? 0 : (n==0 || (n%100 > 0 && n%100 < 20)) ? 1 : 2);"
LITHUANIAN = ("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : "
              "n%10>=2 && (n%100<10 || n%100>=20) ? 1 : 2);")
EAST_SLAVIC = ("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : "
               "n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);")
CZECH = "nplurals=3; plural=((n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2);"
POLISH = "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
SLOVENIAN = "nplurals=4; plural=(n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3);"
ARABIC = ("nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : "
          "n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);")

#: The manual's table: language (gettext form, lower case) → header.
GNU_TABLE: dict[str, str] = {
    **dict.fromkeys(["ja", "vi", "ko", "th"], ONE),
    **dict.fromkeys(["en", "de", "nl", "sv", "da", "no", "nb", "nn", "fo", "es", "pt", "it",
                     "el", "bg", "fi", "et", "he", "id", "eo", "hu", "tr"], TWO_NOT_ONE),
    **dict.fromkeys(["fr", "pt_br"], TWO_ZERO_ONE),
    "lv": LATVIAN,
    "ga": IRISH,
    "ro": ROMANIAN,
    "lt": LITHUANIAN,
    **dict.fromkeys(["ru", "uk", "be", "sr", "hr"], EAST_SLAVIC),
    **dict.fromkeys(["cs", "sk"], CZECH),
    "pl": POLISH,
    "sl": SLOVENIAN,
    "ar": ARABIC,
}


def plural_forms(lang: str) -> str:
    """The header for ``lang`` (``fr``, ``pt_BR``, ``pt-BR``): the GNU table, else CLDR."""
    key = languages.key(lang).replace("-", "_")
    if key in GNU_TABLE:
        return GNU_TABLE[key]
    if languages.base(lang) in GNU_TABLE:
        return GNU_TABLE[languages.base(lang)]
    return _cldr_fallback(lang)


def _cldr_fallback(lang: str) -> str:
    """CLDR's rule via Babel for a language the GNU table lacks; two forms if it is unknown."""
    from babel.messages.plurals import get_plural

    locale = languages.locale(lang)
    return get_plural(locale).plural_forms if locale is not None else TWO_NOT_ONE
