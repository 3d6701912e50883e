"""The XLIFF 2 inline-code checker: it rejects each OASIS test-suite file that breaks an
inline-code rule (for the reason the file is about), accepts every valid suite file, and names
file and line. That every XLIFF the pipeline writes passes is checked wherever one is
validated (``tests/formats/test_xliff.py::assert_valid``)."""

from __future__ import annotations

import pytest
from lxml import etree

from pipeline.formats.xliff_codes import check_inline_codes

from .test_xliff import SUITE, VALID, _parser

INVALID = SUITE / "core" / "invalid"  # see tests/data/SOURCES.md
#: Each vendored invalid file and (part of) the message that must name why.
REASONS = {
    "bad_ConfusedIsolatedOnEc.xlf": "a paired one startRef and no id",
    "bad_CopyOfWithBadReference.xlf": "copyOf='not1' names no code",
    "bad_CopyOfWithNoCopyReference.xlf": "copyOf='1' names a code",
    "bad_CopyOfWithOriginalData.xlf": "a copy (copyOf) has no original data",
    "bad_DataIdNotUnique.xlf": "<data id='d1twice'> is not unique",
    "bad_DataRefWithoutOriginalData.xlf": "dataRef='d1' names no <data>",
    "bad_DifferentCanCopyInScAndEc.xlf": "canCopy='yes' where its <sc> has 'no'",
    "bad_DifferentCanDeleteInScAndEc.xlf": "canDelete='yes' where its <sc> has 'no'",
    "bad_DifferentCanOverlapInScAndEc.xlf": "canOverlap='yes' where its <sc> has 'no'",
    "bad_DifferentCanReorderInScAndEc.xlf": "canReorder='yes' where its <sc> has 'no'",
    "bad_EcBeforeSc.xlf": "<ec startRef='1'> has no <sc id='1'> before it",
    "bad_EmBeforeSm.xlf": "<em startRef='1'> has no <sm id='1'> before it",
    "bad_IgnorableIdNotUnique.xlf": "id 'i1twice' is used twice",
    "bad_InvalidDataRef.xlf": "dataRef='bad' names no <data>",
    "bad_InvalidDataRefEnd.xlf": "dataRefEnd='bad' names no <data>",
    "bad_InvalidDataRefStart.xlf": "dataRefStart='bad' names no <data>",
    "bad_InvalidHexRangeOnCp.xlf": "a character XML can hold",
    "bad_InvalidHexValueOnCp.xlf": "is no code point",
    "bad_InvalidIsolatedOnEc.xlf": "an isolated <ec> has id and no startRef",
    "bad_InvalidIsolatedOnSc.xlf": "isolated=\"yes\"> has an <ec>",
    "bad_InvalidLoneEm.xlf": "<em startRef='m1'> has no <sm id='m1'>",
    "bad_InvalidLoneSm.xlf": "<sm id='m1'> needs exactly one <em",
    "bad_InvalidTypeSubTypeValues.xlf": "subType 'xlf:var' needs type 'ui'",
    "bad_IsolatedEcWithId.xlf": "an isolated <ec> has id and no startRef",
    "bad_MissingIsolatedOnEc.xlf": "a paired one startRef and no id",
    "bad_MissingIsolatedOnSc.xlf": "<sc id='1'> needs exactly one <ec",
    "bad_MissingNonRemovable1.xlf": "canDelete=\"no\" is missing from the targets",
    "bad_MissingNonRemovable2.xlf": "canDelete=\"no\" is missing from the targets",
    "bad_MissingReorderFirstNo.xlf": "outside a sequence",
    "bad_NonIsolatedEcWithoutStartRef.xlf": "a paired one startRef and no id",
    "bad_PartIdNotUnique.xlf": "id '1twice' is used twice",
    "bad_SegmentIdNotUnique.xlf": "id 's1twice' is used twice",
    "bad_SubTypeWithoutType.xlf": "subType without type",
    "bad_UnknownDataRefEndValue.xlf": "dataRefEnd='badId' names no <data>",
    "bad_UnknownDataRefStartValue.xlf": "dataRefStart='badId' names no <data>",
    "bad_UnknownDataRefValue.xlf": "dataRef='badId' names no <data>",
    "bad_WrongReordering1.xlf": "not where its source has it",
    "bad_WrongReordering2.xlf": "not where its source has it",
    "bad_YesCanReorderInEcForFirstNoInSc.xlf": "the <ec> needs 'no'",
    "bad_canReorderContext1.xlf": "needs canCopy and canDelete 'no'",
    "bad_canReorderContext2.xlf": "needs canCopy and canDelete 'no'",
    "bad_canReorderContext3.xlf": "needs canCopy and canDelete 'no'",
}


def _problems(path):
    return check_inline_codes(etree.parse(str(path), _parser()), path.name)


def test_every_vendored_invalid_file_has_its_reason():
    """The copy and the table agree, so no case is silently left out."""
    assert sorted(p.name for p in INVALID.glob("*.xlf")) == sorted(REASONS)


@pytest.mark.parametrize("name", sorted(REASONS))
def test_the_checker_rejects_each_invalid_suite_file_for_its_reason(name):
    messages = [p.message for p in _problems(INVALID / name)]
    assert any(REASONS[name] in m for m in messages), messages


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_the_checker_accepts_every_valid_suite_file(path):
    assert _problems(path) == []


def test_a_problem_names_file_and_line():
    [problem] = _problems(INVALID / "bad_DataRefWithoutOriginalData.xlf")
    assert (problem.file, problem.line) == ("bad_DataRefWithoutOriginalData.xlf", 6)
    assert str(problem).startswith("bad_DataRefWithoutOriginalData.xlf:6: dataRef='d1'")


@pytest.mark.parametrize(("content", "message"), [
    ('<source><sc id="1" isolated="yes"/>a</source><target><sc id="1"/>b</target>',
     "<sc id='1'> needs exactly one <ec startRef='1'> after it in the unit's targets"),
    ('<source><pc id="1">a</pc></source><target><ph id="1"/></target>',
     "target <ph id='1'> repeats an id that is not its own source's <ph>"),
    ('<source>a</source><target><sc id="2"/>b<ec startRef="2" dir="rtl"/></target>',
     "dir is allowed on an isolated <ec> only"),
    ('<source>a</source><target><pc id="1" dataRefStart="d1">b</pc></target>',
     "one of dataRefStart and dataRefEnd without the other"),
])
def test_targets_are_checked_like_sources(content, message):
    unit = etree.fromstring(
        '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="de" '
        'trgLang="en"><file id="f"><unit id="u"><originalData><data id="d1">x</data>'
        f'</originalData><segment id="s">{content}</segment></unit></file></xliff>')
    messages = [p.message for p in check_inline_codes(unit)]
    assert any(message in m for m in messages), messages
