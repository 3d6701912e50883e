"""Credits, bylines, datelines and labels: how they are recognised and how each is written in
a target language, in one place.

None of them goes to the engine: a model garbles photographers' names and agencies and
translates ``dpa`` or ``Von Anna Schmidt`` word by word. Names stay as written; only the
German label (``Foto:``, ``Von``, ``Lesen Sie auch:``) is localised from the table below,
and a target the table lacks keeps the whole text as written.
"""

from __future__ import annotations

import re

from pipeline.model import languages
from pipeline.model.document import BlockKind

#: Each German label in the target languages the project translates into (no colon: the
#: colon is written the target's way, see _colon).
LABELS: dict[str, dict[str, str]] = {
    "Foto": {"en": "Photo", "fr": "Photo", "es": "Foto"},
    "Fotos": {"en": "Photos", "fr": "Photos", "es": "Fotos"},
    "Bild": {"en": "Image", "fr": "Image", "es": "Imagen"},
    "Grafik": {"en": "Graphic", "fr": "Infographie", "es": "Gráfico"},
    "Quelle": {"en": "Source", "fr": "Source", "es": "Fuente"},
    "Bildunterschrift": {"en": "Caption", "fr": "Légende", "es": "Pie de foto"},
    "Lesen Sie auch": {"en": "Also read", "fr": "Lire aussi", "es": "Lea también"},
    "Mehr zum Thema": {"en": "More on this topic", "fr": "Sur le même sujet",
                       "es": "Más sobre el tema"},
    "Von": {"en": "By", "fr": "Par", "es": "Por"},
    "und": {"en": "and", "fr": "et", "es": "y"},
}
#: Labels of a picture's credit: a text ending in one is a caption.
_PICTURE = ("Foto", "Fotos", "Bild", "Grafik")
_CREDIT_LABELS = (*_PICTURE, "Quelle")
#: The label that opens a block, and the kind of block it makes.
_OPENING = {"Lesen Sie auch": BlockKind.TEASER, "Mehr zum Thema": BlockKind.TEASER,
            "Bildunterschrift": BlockKind.CAPTION}
#: Agencies and picture services that appear alone, or slash-separated, as a credit.
_AGENCIES = frozenset({
    "dpa", "afp", "ap", "reuters", "epd", "kna", "sid", "apa", "ddp", "dapd", "kyodo", "ansa",
    "efe", "xinhua", "anadolu", "keystone", "imago", "imago images", "getty images",
    "picture alliance", "picture-alliance", "dpa-infocom",
})

_MAX_CREDIT = 80
_WORD = r"[A-ZÄÖÜ][\w'’.-]*"
_PARTICLES = r"(?:(?:von|van|der|den|de|di|da|du|zu|la|le|ten|ter)\s+){0,2}"
#: A person's name: two to four capitalised words (particles between them allowed).
_PERSON = rf"{_WORD}(?:\s+{_PARTICLES}{_WORD}){{1,3}}"
_BYLINE = re.compile(rf"(?P<label>Von)\s+{_PERSON}(?:(?:\s*,\s*|\s+und\s+){_WORD}"
                     rf"(?:\s+{_PARTICLES}{_WORD}){{0,3}}){{0,4}}")
_BYLINE_WORDS = re.compile(r"^Von\b|(?<=\s)und(?=\s)")
_LABELLED = re.compile(r"(?P<lead>\(\s*|/\s*)?(?P<label>{})\s*:".format(
    "|".join(map(re.escape, (*_CREDIT_LABELS, *_OPENING)))))
_COPYRIGHT = re.compile(r"(?:©|\([cC]\)|Copyright\b)\s*\S")
_IMAGE_REFERENCE = re.compile(
    r"!\[[^\]]*\]\([^()\s]+\)|\[(?:Bild|Foto|Grafik)\b[^\]]*\]"
    r"|\S+\.(?:jpe?g|png|gif|webp|avif)(?:\?\S*)?", re.IGNORECASE)
_SLASH = re.compile(r"\s/\s")
#: Where a credit after a sentence may start: a credit label or a copyright sign.
_CREDIT_START = re.compile(r"(?<!\S)(?:{}|©|\([cC]\))".format("|".join(_CREDIT_LABELS)))
#: What ends the sentence before a trailing ``Foto: …`` or ``© …``.
_SENTENCE_END = ".!?…\"“”»«)"

#: The place, and the agency in brackets, opening a news paragraph: BERLIN (dpa) – …
_PLACE = rf"{_WORD}(?:(?:\s+|/)(?:(?:am|an der|an|im|in)\s+)?{_WORD}){{0,2}}"
_DATELINE = re.compile(
    rf"(?P<place>{_PLACE})(?:\s*\((?P<agency>[^()\n]{{1,30}})\))?\s+[–—-](?=\s+(?P<next>\S))")
#: Capitalised words that open a sentence before a dash without being a place.
_NOT_PLACES = frozenset(
    "Der Die Das Den Dem Des Ein Eine Einer Er Sie Es Wir Ich Ihr Man Dies Diese Dieser "
    "Dieses Und Aber Oder Doch Denn Also Dann Nun Jetzt Heute Gestern Morgen Damals "
    "Ja Nein Klar Gut Schon Noch Erst Zuerst Danach Später Trotzdem Dennoch Immerhin "
    "Natürlich Vielleicht Plötzlich Schließlich Endlich Zunächst Hier Dort So Wer Was Wie "
    "Warum Wo Wann Mehr Alle Viele Manche Einige Keiner Niemand Jeder Nur Auch".split())


def _colon(lang: str) -> str:
    """French puts a no-break space before a colon (the QA whitespace check asks for it)."""
    return "\u00a0:" if lang == "fr" else ":"


def is_credit(text: str) -> bool:
    """A whole credit: ``Foto: dpa``, ``Quelle: AFP``, ``© Getty Images``, ``(c) dpa``,
    ``dpa/AFP``, ``Reuters/John Doe``; bracketed or not."""
    text = text.strip()
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    if not text or len(text) > _MAX_CREDIT or "\n" in text or len(text.split()) > 8:
        return False
    labelled = _LABELLED.match(text)
    if labelled is not None:
        return labelled["lead"] is None and labelled["label"] in _CREDIT_LABELS \
            and bool(text[labelled.end():].strip()) and not re.search(r"[!?]", text)
    if _COPYRIGHT.match(text):
        return True
    parts = [part.strip() for part in text.split("/")]
    return any(part.lower() in _AGENCIES for part in parts) and all(
        part.lower() in _AGENCIES or re.fullmatch(_PERSON, part) for part in parts)


def standalone(text: str) -> BlockKind | None:
    """A text that is a credit or a byline as a whole: CREDIT, BYLINE, else None."""
    if is_credit(text):
        return BlockKind.CREDIT
    return BlockKind.BYLINE if is_byline(text) else None


def is_byline(text: str) -> bool:
    """``Von Anna Schmidt``, ``Von Anna Schmidt und Max Weber``, ``Von Anna Schmidt, Berlin``."""
    return _BYLINE.fullmatch(text.strip()) is not None


def opening_label(text: str) -> tuple[BlockKind, int] | None:
    """The kind a block's opening label makes it (teaser, caption) and where the label ends."""
    match = _LABELLED.match(text)
    if match is None or match["lead"] or match["label"] not in _OPENING:
        return None
    return _OPENING[match["label"]], match.end()


def is_image_reference(text: str) -> bool:
    """A line that only shows a picture: an image file or URL, ``![…](…)``, ``[Bild: …]``."""
    return _IMAGE_REFERENCE.fullmatch(text.strip()) is not None


def trailing_credit(text: str) -> tuple[int, bool] | None:
    """Where a credit ending ``text`` starts (``… (Foto: dpa)``, ``… / Reuters/John Doe``,
    ``… . Foto: dpa``), and whether it credits a picture (the text is then a caption); None
    without one, or when the whole text is the credit. A credit is short, so only the end
    of ``text`` is looked at: linear time, however long the paragraph."""
    stripped = text.rstrip()
    tail = max(0, len(stripped) - _MAX_CREDIT - 4)
    if stripped.endswith(")") and (open_ := stripped.rfind("(", tail)) > 0 \
            and is_credit(stripped[open_:]):
        inner = stripped[open_ + 1:].lstrip()
        label = _LABELLED.match(inner)
        pictured = _COPYRIGHT.match(inner) is not None or (
            label is not None and label["label"] in _PICTURE)
        return _found(text, open_, pictured)
    for slash in _SLASH.finditer(stripped, tail):
        if is_credit(stripped[slash.end():]):
            return _found(text, slash.start() + 1, True)
    for mark in _CREDIT_START.finditer(stripped, tail):
        before = stripped[max(0, mark.start() - 8):mark.start()].rstrip()
        if before and before[-1] in _SENTENCE_END and is_credit(stripped[mark.start():]):
            label = _LABELLED.match(stripped[mark.start():])
            return _found(text, mark.start(), label is None or label["label"] in _PICTURE)
    return None


def _found(text: str, start: int, pictured: bool) -> tuple[int, bool] | None:
    return (start, pictured) if text[:start].strip() else None


def dateline(text: str) -> int | None:
    """Where a dateline opening a paragraph ends (after its dash): ``BERLIN (dpa) –``,
    ``ERFURT (dts) –``, ``Brüssel –``. The bracket must name an agency unless the place is in
    capitals; without one the place is a word of four capitals or more (not ``KI –``), or one
    word followed by a capitalised sentence, so ``Doch – so heißt es –``, ``Die Regierung –
    Die …`` and ``Tyler Perry (Produzent) – Der …`` are no datelines."""
    match = _DATELINE.match(text)
    if match is None:
        return None
    place, agency = match["place"], match["agency"]
    if agency is not None:
        return match.end() if place.isupper() or is_credit(agency) else None
    if place.isupper():
        return match.end() if len(place) >= 4 else None
    if " " in place or place in _NOT_PLACES or not match["next"][0].isupper():
        return None
    return match.end()


def parts(kind: BlockKind, text: str) -> list[tuple[int, int, BlockKind | None]]:
    """A block's text cut into (start, end, kind): kind None is translated (and split into
    sentences), any other kind is made by rule. Together the parts cover every non-space
    character, none starts or ends with a space."""
    whole = kind if kind in (BlockKind.CREDIT, BlockKind.BYLINE) else \
        standalone(text) if kind is BlockKind.PARAGRAPH else None  # (an HTML <p>Foto: dpa</p>)
    if whole is not None:
        return _trimmed(text, [(0, len(text), whole)])
    if kind not in (BlockKind.PARAGRAPH, BlockKind.CAPTION, BlockKind.TEASER):
        return _trimmed(text, [(0, len(text), None)])
    cuts: list[tuple[int, int, BlockKind | None]] = []
    start, end = 0, len(text)
    opening = opening_label(text) if kind is not BlockKind.PARAGRAPH else None
    if opening is not None:
        cuts.append((0, opening[1], BlockKind.LABEL))
        start = opening[1]
    elif kind is BlockKind.PARAGRAPH and (dated := dateline(text)) is not None:
        cuts.append((0, dated, BlockKind.DATELINE))
        start = dated
    credit = trailing_credit(text[start:]) if kind is not BlockKind.TEASER else None
    if credit is not None:
        end = start + credit[0]
    cuts.append((start, end, None))
    if credit is not None:
        cuts.append((end, len(text), BlockKind.CREDIT))
    return _trimmed(text, cuts)


def _trimmed(text: str, cuts: list[tuple[int, int, BlockKind | None]]
             ) -> list[tuple[int, int, BlockKind | None]]:
    """Each part without the white space around it; empty parts dropped."""
    out = []
    for start, end, kind in cuts:
        piece = text[start:end]
        lead = len(piece) - len(piece.lstrip())
        if piece.strip():
            out.append((start + lead, start + len(piece.rstrip()), kind))
    return out


def localize(kind: BlockKind, text: str, lang: str) -> str:
    """The target text of a segment made by rule: its label in ``lang`` (``Foto:`` → ``Photo:``,
    ``Von … und …`` → ``By … and …``), names as written; a target the table lacks, and a
    dateline, keep the text as written (the glossary may still name a dateline's place)."""
    base = languages.base(lang)
    if kind is BlockKind.BYLINE:
        if base not in LABELS["Von"]:
            return text
        return _BYLINE_WORDS.sub(lambda word: LABELS[word.group()][base], text)
    if kind not in (BlockKind.CREDIT, BlockKind.LABEL):
        return text
    match = _LABELLED.match(text)
    if match is None or base not in LABELS[match["label"]]:
        return text
    lead = match["lead"] or ""
    return f"{lead}{LABELS[match['label']][base]}{_colon(base)}{text[match.end():]}"
