"""How a block's inline codes are written in a bilingual file: which pairs nest inside their
sentence (XLIFF 2 ``<pc>``, 1.2 ``<bpt>``/``<ept>``), which pair across sentences or cross
other pairs (``<sc>``/``<ec>``), which stand alone (``<ph>``) and which lost their partner
(isolated), and the id each gets, the same in a target as in its source.

Format-neutral: :mod:`pipeline.formats.xliff_inline` writes the layout as XLIFF 2.1,
:mod:`pipeline.formats.xliff12` as 1.2. A target code counts as a code only where the source
has one with the same markup and kind (a tag a person added stays text, as in the HTML page).
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from pipeline.ingest.inline import TAG, codes_in, markup_of
from pipeline.model.document import CodeKind, InlineCode, Translation


class Form(StrEnum):
    """Where a code sits: a pair nested in its text, a pair's ends apart, or one alone."""

    OPEN = "open"  # start of a nested pair (<pc>, <bpt>)
    CLOSE = "close"  # its end
    START = "start"  # start of a pair that crosses sentences or pairs, or of none (<sc>)
    END = "end"  # its end (<ec>)
    ALONE = "alone"  # a code of its own (<ph>)


@dataclass(frozen=True)
class Placed:
    """A code as written: ``ref`` is its element's id, for a pair's END the id of its START;
    ``isolated``: its partner is nowhere in the block (a START or END)."""

    code: InlineCode
    form: Form
    ref: str
    isolated: bool = False


@dataclass(frozen=True)
class Laid:
    """A source or target text and the codes written as codes, in order."""

    text: str
    codes: tuple[Placed, ...]


#: (form, isolated, pair) for each code: ``pair`` names the pair a code belongs to
_Shape = tuple[Form, bool, Hashable]


def lay_out(group: Sequence[Translation], writable: Callable[[str], bool] = lambda _: True
            ) -> list[tuple[Laid, Laid]]:
    """Source and target layout of each translation of one block, in order; codes whose
    markup is not ``writable`` stay text. Ids are unique in the block and never a segment's."""
    sources = [[c for c in t.segment.codes if writable(c.data)] for t in group]
    matched = [_counterparts(t, codes) for t, codes in zip(group, sources, strict=True)]
    ids = _Ids({t.segment.id for t in group})
    source_shapes = _shapes(sources)
    placed = _source_ids(sources, source_shapes, ids)
    targets = [[code for code, _ in found] for found in matched]
    target_placed = _target_ids(targets, _shapes(targets), [
        [placed[k][i] for _, i in found] for k, found in enumerate(matched)], ids)
    return [(Laid(t.segment.text, tuple(src)), Laid(t.target, tuple(trg)))
            for t, src, trg in zip(group, placed, target_placed, strict=True)]


def _counterparts(translation: Translation, sources: list[InlineCode]
                  ) -> list[tuple[InlineCode, int]]:
    """The target's codes that have a source code of the same markup and kind (the n-th such
    target code the n-th source one), each with that source code's index."""
    waiting: dict[tuple[str, CodeKind], deque[int]] = defaultdict(deque)
    for index, code in enumerate(sources):
        waiting[code.data, code.kind].append(index)
    found = []
    for code in codes_in(translation.target, markup_of(translation.segment.codes)):
        queue = waiting.get((code.data, code.kind))
        if queue:
            found.append((code, queue.popleft()))
    return found


def _shapes(texts: Sequence[Sequence[InlineCode]]) -> list[list[_Shape]]:
    """Forms for the codes of a block's texts (all sources, or all targets): a pair inside
    one text nests unless it crosses another; codes without a partner in their text pair
    across texts, an end with the latest open start of the same element before it; the
    rest are isolated."""
    shapes: list[list[_Shape | None]] = [[None] * len(codes) for codes in texts]
    loose: list[tuple[int, int]] = []
    for k, codes in enumerate(texts):
        opens: dict[int, list[int]] = defaultdict(list)
        closes: dict[int, list[int]] = defaultdict(list)
        for i, code in enumerate(codes):
            if code.kind is not CodeKind.STANDALONE:
                (opens if code.kind is CodeKind.OPEN else closes)[code.id].append(i)
        paired = {ident for ident, at in opens.items() if len(at) == 1
                  and len(closes.get(ident, ())) == 1 and at[0] < closes[ident][0]}
        stack: list[int] = []
        crossing: set[int] = set()
        for i, code in enumerate(codes):
            if code.kind is CodeKind.STANDALONE:
                shapes[k][i] = (Form.ALONE, False, None)
            elif code.id not in paired:
                loose.append((k, i))
            elif code.kind is CodeKind.OPEN:
                stack.append(code.id)
            elif stack[-1] == code.id:
                stack.pop()
            else:
                crossing.add(code.id)
                stack.remove(code.id)
        for i, code in enumerate(codes):
            if code.kind is not CodeKind.STANDALONE and code.id in paired:
                opening = code.kind is CodeKind.OPEN
                if code.id in crossing:
                    form = Form.START if opening else Form.END
                else:
                    form = Form.OPEN if opening else Form.CLOSE
                shapes[k][i] = (form, False, (k, code.id))
    started: list[tuple[int, int]] = []
    for k, i in loose:
        code = texts[k][i]
        if code.kind is CodeKind.OPEN:
            started.append((k, i))
            continue
        key = _element(code.data, closing=True)
        partner = next((n for n in range(len(started) - 1, -1, -1)
                        if _element(texts[started[n][0]][started[n][1]].data) == key), None)
        if partner is None:
            shapes[k][i] = (Form.END, True, None)
            continue
        pair = ("block", *started.pop(partner))
        shapes[pair[1]][pair[2]] = (Form.START, False, pair)
        shapes[k][i] = (Form.END, False, pair)
    for k, i in started:
        shapes[k][i] = (Form.START, True, None)
    return [[shape for shape in row if shape is not None] for row in shapes]


def _element(data: str, closing: bool = False) -> str:
    """What pairs a start with an end across sentences: an HTML tag's name; a Markdown
    link's ``[`` with its ``](url)``, any other mark with itself."""
    tag = TAG.fullmatch(data)
    if tag:
        return tag.group(2).lower()
    return "[" if closing and data.startswith("](") else data


class _Ids:
    """Element ids ``1``, ``2``… unique in the block, skipping the ids of its segments."""

    def __init__(self, taken: set[str]) -> None:
        self.taken = set(taken)
        self.number = 0

    def new(self) -> str:
        while True:
            self.number += 1
            if str(self.number) not in self.taken:
                self.taken.add(str(self.number))
                return str(self.number)


def _source_ids(texts: list[list[InlineCode]], shapes: list[list[_Shape]], ids: _Ids
                ) -> list[list[Placed]]:
    """A new id for every element; a pair's end takes its start's."""
    of_pair: dict[Hashable, str] = {}
    placed = []
    for codes, row in zip(texts, shapes, strict=True):
        line = []
        for code, (form, isolated, pair) in zip(codes, row, strict=True):
            if pair is not None and form in (Form.CLOSE, Form.END):
                ref = of_pair[pair]
            else:
                ref = ids.new()
                if pair is not None:
                    of_pair[pair] = ref
            line.append(Placed(code, form, ref, isolated))
        placed.append(line)
    return placed


def _target_ids(texts: list[list[InlineCode]], shapes: list[list[_Shape]],
                counterparts: list[list[Placed]], ids: _Ids) -> list[list[Placed]]:
    """Each target element takes the id of its source counterpart where that is the same
    element (a nested pair whose both ends match one source pair; an ``<sc>``, a ``<ph>``,
    an isolated ``<ec>``), else a new one: XLIFF lets a target repeat only the id of the same
    element in its own source."""
    ends: dict[Hashable, Placed] = {}
    for row, matches in zip(shapes, counterparts, strict=True):
        for (form, _, pair), match in zip(row, matches, strict=True):
            if form is Form.CLOSE:
                ends[pair] = match
    of_pair: dict[Hashable, str] = {}
    placed = []
    for codes, row, matches in zip(texts, shapes, counterparts, strict=True):
        line = []
        for code, (form, isolated, pair), match in zip(codes, row, matches, strict=True):
            if pair is not None and form in (Form.CLOSE, Form.END):
                ref = of_pair[pair]
            elif form is Form.OPEN:
                end = ends[pair]
                same = match.form is Form.OPEN and end.form is Form.CLOSE and end.ref == match.ref
                ref = match.ref if same else ids.new()
            elif form is match.form and (form is not Form.END or match.isolated):
                ref = match.ref
            else:
                ref = ids.new()
            if pair is not None and form in (Form.OPEN, Form.START):
                of_pair[pair] = ref
            line.append(Placed(code, form, ref, isolated))
        placed.append(line)
    return placed
