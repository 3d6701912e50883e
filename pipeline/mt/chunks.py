"""Over-long segments cut into pieces a model can take."""

from __future__ import annotations

#: Longest text handed to the model in one piece.
MAX_MT_CHARS = 1000


def mt_chunks(text: str, limit: int = MAX_MT_CHARS) -> list[str]:
    """Split an over-long segment at a clause mark or space, so the model sees sane inputs.

    NMT models are trained on sentences of a few hundred tokens; a 50,000-character run-on
    "sentence" would otherwise be decoded in one piece and truncated at the length cap.
    """
    chunks = []
    while len(text) > limit:
        window = text[:limit]
        cut = max(window.rfind(", "), window.rfind("; "), window.rfind(": "))
        if cut < limit // 2:
            cut = window.rfind(" ")
        cut = cut + 1 if cut > 0 else limit
        chunks.append(text[:cut].strip())
        text = text[cut:].strip()
    return [*chunks, text] if text else chunks
