"""The one language module: every spelling of a code, XML and gettext forms, region variants."""

from __future__ import annotations

import pytest

from pipeline.model import languages
from pipeline.model.errors import LanguageError


@pytest.mark.parametrize(("code", "canonical"), [
    ("de", "de"), ("en", "en"), ("EN", "en"), (" fr ", "fr"), ("pt_BR", "pt_BR"),
    ("pt-br", "pt_BR"), ("en-US", "en_US"),
])
def test_parse_gives_the_canonical_spelling(code, canonical):
    assert languages.parse(code) == canonical
    assert languages.is_known(code)


@pytest.mark.parametrize("code", ["xx", "", "english", "de--", "123"])
def test_parse_refuses_unknown_codes(code):
    with pytest.raises(LanguageError, match="unknown language code"):
        languages.parse(code)
    assert not languages.is_known(code)


@pytest.mark.parametrize(("code", "bcp47", "gettext", "base"), [
    ("pt_BR", "pt-BR", "pt_BR", "pt"), ("pt-BR", "pt-BR", "pt_BR", "pt"),
    ("en", "en", "en", "en"), ("DE-de", "DE-de", "de_DE", "de"),
])
def test_forms(code, bcp47, gettext, base):
    assert languages.bcp47(code) == bcp47
    assert languages.gettext(code) == gettext
    assert languages.base(code) == base


@pytest.mark.parametrize(("found", "wanted", "belongs"), [
    ("en", "en", True), ("en_US", "en", True), ("en-GB", "en", True), ("EN", "en", True),
    ("de-DE", "de", True), ("pt_BR", "pt_BR", True), ("pt-br", "pt_BR", True),
    ("pt_PT", "pt_BR", False), ("pt", "pt_BR", False), ("fr", "en", False),
    ("fr_CA", "en", False), ("zh_Hant", "zh", False), ("zh_TW", "zh", False),
    ("zh_CN", "zh", True), ("sr_Latn", "sr", False), ("sr_RS", "sr", True),
    ("zh_TW", "zh_Hant", False),
])
def test_region_variants_belong_to_the_plain_language(found, wanted, belongs):
    assert languages.belongs_to(found, wanted) is belongs
