"""Over-long segments cut into pieces a model can take."""

from __future__ import annotations

#: Longest text handed to the model in one piece.
MAX_MT_CHARS = 1000


def mt_chunks(text: str, limit: int = MAX_MT_CHARS) -> list[str]:
    """Split an over-long segment at a clause mark or space, so the model sees sane inputs.

    NMT models are trained on sentences of a few hundred tokens; a 50,000-character run-on
    "sentence" would otherwise be decoded in one piece and truncated at the length cap.
    """
    text = text.strip()
    chunks: list[str] = []
    start = 0
    while len(text) - start > limit:  # positions, not re-slicing: linear in the text's length
        end = start + limit
        cut = max(text.rfind(", ", start, end), text.rfind("; ", start, end),
                  text.rfind(": ", start, end))
        if cut - start < limit // 2:
            cut = text.rfind(" ", start, end)
        cut = cut + 1 if cut > start else end
        if piece := text[start:cut].strip():
            chunks.append(piece)
        start = cut
        while start < len(text) and text[start].isspace():
            start += 1
    rest = text[start:].strip()
    return [*chunks, rest] if rest else chunks
