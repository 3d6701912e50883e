"""Sentence segmentation with SoMaJo, which is built for German web and social-media text.

SoMaJo knows German abbreviations, ordinals and dates, keeps closing quotes with their
sentence and treats URLs, handles and hashtags as single tokens; its character offsets let
every segment point back at the text it came from. See bench/compare_segmenters.py for the
comparison with its rivals.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import Counter
from collections.abc import Iterable

from pipeline.ingest import credits
from pipeline.ingest.inline import TAG, codes_in
from pipeline.model.document import Block, BlockKind, Document, Segment, plain_text
from pipeline.model.text import normalize_space


@functools.lru_cache(maxsize=1)
def _somajo():
    from somajo import SoMaJo

    splitter = SoMaJo("de_CMC", split_camel_case=False, split_sentences=True,
                      character_offsets=True)
    _skip_emoji_free(splitter._tokenizer)
    return splitter


def _skip_emoji_free(tokenizer) -> None:
    """SoMaJo looks for emoji grapheme by grapheme through uncached ``regex`` calls, a third
    of its time on news text; a token with no character of its emoji classes cannot have
    one, so it is left alone at once (the same tokens: no boundary, no split)."""
    import regex

    candidate = regex.compile(r"[\p{Extended_Pictographic}\p{Emoji_Presentation}\uFE0F]")
    split = tokenizer._split_emojis

    def split_emojis(node, *rest: str) -> None:
        if candidate.search(node.value.text) is not None:
            split(node, *rest)

    tokenizer._split_emojis = split_emojis


#: Words that open a German sentence; after a URL they mark a boundary SoMaJo misses,
#: while a capitalised noun after a URL does not ("unter www.x.de Informationen abrufen").
_OPENERS = frozenset(
    "Der Die Das Den Dem Des Ein Eine Er Sie Es Wir Ich Ihr Man Dies Diese Dieser Dieses "
    "Damit Dabei Doch Aber Und Auch Nun Jetzt Heute Hier Dort Mehr Alle Viele".split()
)
_TAG_CLASSES = frozenset({"hashtag", "emoticon", "URL"})


#: Only these can end a sentence for SoMaJo; a block without one before its end is one
#: sentence, and SoMaJo's fixed cost per call (about 0.4 ms) is saved for it.
_BOUNDARY_MARK = re.compile(r"[.!?…:;]")
_CLOSING = " \t\n.!?…\"'“”„«»‚‘’)]"

#: SoMaJo's time grows with the square of a token's length (8,000 chars of "1.1." take 12 s);
#: longer runs without white space reach it as a short stand-in of the same kind.
LONG_RUN = 64
_LONG_RUN = re.compile(rf"\S{{{LONG_RUN + 1},}}")
#: What may open or close a long run and still matter to sentence ends: quotes, brackets, marks.
_PUNCT = ".,;:!?…\"'“”„«»‚‘’()[]{}<>*_-–—/\\"


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in ``text``; together they cover every non-space char."""
    if not text.strip():
        return []
    if not _BOUNDARY_MARK.search(text.rstrip(_CLOSING)):
        return _cover(text, [])  # no mark that could end a sentence before the end: one
    proxy, standins = _with_standins(text)
    sentences = [list(s) for s in _somajo().tokenize_text([proxy])]
    sentences = _attach_trailing_tags(_split_after_urls(sentences))
    spans = [(_original(s[0].character_offset[0], standins),
              _original(s[-1].character_offset[1], standins)) for s in sentences if s]
    return _cover(text, spans)


def _with_standins(text: str) -> tuple[str, list[tuple[int, int, int, int]]]:
    """``text`` with the middle of every long run replaced by a short token of its kind
    (URL, e-mail, word); a run's leading and trailing punctuation stays, so sentence ends
    are still seen. Returns the text and (proxy start, proxy end, start, end) per stand-in."""
    pieces: list[str] = []
    standins: list[tuple[int, int, int, int]] = []
    position, length = 0, 0
    for run in _LONG_RUN.finditer(text):
        word = run.group()
        lead = len(word) - len(word.lstrip(_PUNCT)) if word[:1] in _PUNCT else 0
        lead = min(lead, 3)
        rest = word[lead:]
        trail = min(3, len(rest) - len(rest.rstrip(_PUNCT)))
        start, end = run.start() + lead, run.end() - trail
        middle = text[start:end]
        standin = ("https://example.org/x" if middle.startswith(("http", "www."))
                   else "x@example.org" if "@" in middle else "Langtext")
        pieces.append(text[position:start])
        length += start - position
        standins.append((length, length + len(standin), start, end))
        pieces.append(standin)
        length += len(standin)
        position = end
    pieces.append(text[position:])
    return "".join(pieces), standins


def _original(offset: int, standins: list[tuple[int, int, int, int]]) -> int:
    """A proxy offset as an offset into the original text."""
    shift = 0
    for proxy_start, proxy_end, start, end in standins:
        if offset < proxy_start:
            break
        if offset < proxy_end:
            return start if offset == proxy_start else end
        shift = end - proxy_end
    return offset + shift


def _split_after_urls(sentences: list[list]) -> list[list]:
    """A URL followed by a sentence opener ends a sentence, even without a full stop."""
    out: list[list] = []
    for sentence in sentences:
        current: list = []
        for index, token in enumerate(sentence):
            current.append(token)
            following = sentence[index + 1] if index + 1 < len(sentence) else None
            if token.token_class == "URL" and following is not None and following.text in _OPENERS:
                out.append(current)
                current = []
        out.append(current)
    return [s for s in out if s]


def _attach_trailing_tags(sentences: list[list]) -> list[list]:
    """Hashtags, emoticons and links after a sentence end belong to that sentence (tweets)."""
    out: list[list] = []
    for sentence in sentences:
        run = 0
        while run < len(sentence) and sentence[run].token_class in _TAG_CLASSES:
            run += 1
        whole = run == len(sentence)
        opener = run < len(sentence) and sentence[run].text in _OPENERS
        if out and run and (whole or opener):
            out[-1].extend(sentence[:run])
            sentence = sentence[run:]
        if sentence:
            out.append(sentence)
    return out


def _cover(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Stretch spans so no non-space character falls between them (nothing is ever lost).

    SoMaJo drops some characters it does not tokenize (e.g. stray control characters); they
    are given to the sentence before them.
    """
    if not spans:
        stripped = text.strip()
        first = text.index(stripped[0])
        return [(first, first + len(stripped))]
    fixed: list[tuple[int, int]] = []
    lead = len(text) - len(text.lstrip())
    for index, (start, end) in enumerate(spans):
        if index == 0:
            start = min(start, lead)
        next_start = spans[index + 1][0] if index + 1 < len(spans) else len(text)
        gap = text[end:next_start]
        end += len(gap.rstrip())
        fixed.append((start, end))
    return fixed


def segment_ids(texts: Iterable[str]) -> list[str]:
    """Stable ids: a hash of the normalised sentence (inline codes abstracted away), plus its
    occurrence number if repeated."""
    seen: Counter[str] = Counter()
    ids = []
    for text in texts:
        digest = hashlib.sha1(normalize_space(text).encode("utf-8"), usedforsecurity=False)
        base = "s" + digest.hexdigest()[:10]
        seen[base] += 1
        ids.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return ids


def segment_block(block: Block, markup: bool = False) -> list[tuple[int, int, BlockKind]]:
    """Segment spans of one block, in document offsets, each with its kind: a credit, a
    dateline or a label (see ingest.credits) is one segment, the rest is cut into sentences
    (with ``markup``, HTML: around the block's tags, see ``tagged_sentences``)."""
    cut = tagged_sentences if markup else sentence_spans
    spans: list[tuple[int, int, BlockKind]] = []
    for start, end, kind in credits.parts(block.kind, block.text):
        offset = block.start + start
        if kind is not None:
            spans.append((offset, block.start + end, kind))
            continue
        spans.extend((offset + s, offset + e, block.kind) for s, e in cut(block.text[start:end]))
    return spans


def tagged_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of HTML text: its tags blanked out for the splitter (an ``href`` full
    of dots is no sentence end), then each given to the sentence it touches (an end tag to
    the sentence it closes, any other to the sentence after it)."""
    tags = [m.span() for m in TAG.finditer(text)]
    proxy = TAG.sub(lambda m: " " * len(m.group()), text)
    spans = [list(span) for span in sentence_spans(proxy)]
    for start, end in tags:
        if any(a <= start < b for a, b in spans):
            continue
        after = next((span for span in spans if span[0] >= end), None)
        before = next((span for span in reversed(spans) if span[1] <= start), None)
        if before is not None and (after is None or text[start:end].startswith("</")
                                   and not text[before[1]:start].strip()):
            before[1] = end  # an end tag right after its sentence, or the last tags
        elif after is not None:
            after[0] = min(after[0], start)
    return [(a, b) for a, b in spans]


def segment_document(document: Document) -> list[Segment]:
    """All segments of a document, in reading order, with stable ids."""
    raw: list[tuple[Block, int, int, BlockKind]] = []
    for block in document.blocks:
        raw.extend((block, start, end, kind)
                   for start, end, kind in segment_block(block, document.format == "html"))
    texts = [normalize_space(document.text[start:end]) for _, start, end, _ in raw]
    codes = [codes_in(text, document.format) for text in texts]
    plains = [plain_text(text, found) for text, found in zip(texts, codes, strict=True)]
    segments = []
    for (block, start, end, kind), text, found, seg_id in zip(raw, texts, codes,
                                                             segment_ids(plains), strict=True):
        line = block.line + document.text[block.start:start].count("\n")
        segments.append(Segment(
            id=seg_id, block=block.index, kind=kind, text=text, start=start, end=end,
            line=line, codes=found,
        ))
    return segments
