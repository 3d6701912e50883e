"""Plural-Forms: the GNU gettext manual's formulas, checked by two independent readers.

Python's ``gettext.c2py`` evaluates each formula as gettext's C parser would, so the forms it
picks for sample counts are asserted, not just the strings; ``msgfmt -c`` must accept a PO
file using each header with a plural message.
"""

from __future__ import annotations

import gettext

import pytest

from pipeline.formats.plurals import GNU_TABLE, TWO_NOT_ONE, plural_forms

from ..helpers import msgfmt_check

#: language → (header, {count: form index}) from the manual's table and its descriptions.
TABLE = {
    "de": ("nplurals=2; plural=(n != 1);", {0: 1, 1: 0, 2: 1, 101: 1}),
    "en": ("nplurals=2; plural=(n != 1);", {0: 1, 1: 0, 2: 1, 21: 1}),
    "fr": ("nplurals=2; plural=(n > 1);", {0: 0, 1: 0, 2: 1, 1_000_000: 1}),
    "es": ("nplurals=2; plural=(n != 1);", {0: 1, 1: 0, 2: 1, 1_000_000: 1}),
    "it": ("nplurals=2; plural=(n != 1);", {0: 1, 1: 0, 2: 1, 1_000_000: 1}),
    "pt": ("nplurals=2; plural=(n != 1);", {0: 1, 1: 0, 2: 1}),
    "pt_BR": ("nplurals=2; plural=(n > 1);", {0: 0, 1: 0, 2: 1}),
    "pl": ("nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) "
           "? 1 : 2);", {1: 0, 2: 1, 4: 1, 5: 2, 12: 2, 21: 2, 22: 1, 112: 2, 122: 1}),
    "ru": ("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
           "(n%100<10 || n%100>=20) ? 1 : 2);",
           {1: 0, 2: 1, 5: 2, 11: 2, 12: 2, 21: 0, 22: 1, 25: 2, 101: 0, 111: 2}),
    "ar": ("nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 "
           ": n%100>=11 ? 4 : 5);", {0: 0, 1: 1, 2: 2, 3: 3, 10: 3, 11: 4, 99: 4, 100: 5,
                                      102: 5, 103: 3}),
    "ja": ("nplurals=1; plural=0;", {0: 0, 1: 0, 2: 0, 100: 0}),
}


@pytest.mark.parametrize("lang", TABLE)
def test_table(lang):
    header, forms = TABLE[lang]
    assert plural_forms(lang) == header
    plural = gettext.c2py(header.split("plural=", 1)[1].rstrip(";"))
    assert {n: plural(n) for n in forms} == forms


@pytest.mark.parametrize(("tag", "same_as"), [
    ("en_US", "en"), ("en-GB", "en"), ("de_AT", "de"), ("fr_CA", "fr"), ("pt-BR", "pt_BR"),
    ("PT_br", "pt_BR"), ("pt_PT", "pt"), ("sr_Latn", "ru"),
])
def test_regions_and_scripts_follow_their_language(tag, same_as):
    assert plural_forms(tag) == TABLE[same_as][0]


def test_fallback_for_languages_the_table_lacks():
    # CLDR's rule through (locked) Babel: Icelandic has two forms, singular for 1, 21, 31 …
    icelandic = plural_forms("is")
    assert icelandic.startswith("nplurals=2;")
    plural = gettext.c2py(icelandic.split("plural=", 1)[1].rstrip(";"))
    assert [plural(n) for n in (1, 2, 11, 21)] == [0, 1, 1, 0]
    # a code CLDR does not know either gets the two-form default, never an exception
    for unknown in ("xx", "", "123", "en@bad", "q" * 300):
        assert plural_forms(unknown) == TWO_NOT_ONE


@pytest.mark.parametrize("lang", sorted(GNU_TABLE))
def test_msgfmt_accepts_every_header(tmp_path, lang):
    header = plural_forms(lang)
    nplurals = int(header.split(";")[0].split("=")[1])
    forms = "".join(f'msgstr[{i}] "Datei {i}"\n' for i in range(nplurals))
    path = tmp_path / f"{lang}.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        f'"Language: {lang}\\n"\n"Plural-Forms: {header}\\n"\n\n'
        f'msgid "one file"\nmsgid_plural "files"\n{forms}', encoding="utf-8")
    result = msgfmt_check(path)
    assert result.returncode == 0, result.stderr
