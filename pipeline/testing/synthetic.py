"""Build real Argos Translate packages with seeded random weights.

Tests and benchmarks can then run the real SentencePiece + CTranslate2 path offline and
reproducibly, without downloading trained models.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import struct
import sys
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from pipeline.mt.packages import TEST_MARKER

ARGOS_VERSION = "1.9.0"
LANGUAGE_NAMES = {
    "ar": "Arabic", "de": "German", "en": "English", "es": "Spanish", "fr": "French",
    "it": "Italian", "ja": "Japanese", "nl": "Dutch", "pl": "Polish", "pt": "Portuguese",
    "ru": "Russian", "tr": "Turkish", "uk": "Ukrainian", "zh": "Chinese",
}  # fmt: skip
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_SPECIAL_PIECES = ("<unk>", "<s>", "</s>")
_PAD_SCORE = -1.0e4  # far below any trained piece, so padding never changes segmentation
_SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]


def package_name(from_code: str, to_code: str, package_version: str) -> str:
    """The folder/file stem Argos uses, e.g. ``translate-de_en-1_0``."""
    return f"translate-{from_code}_{to_code}-{package_version.replace('.', '_')}"


def build_argos_package(
    dest_dir: Path,
    *,
    from_code: str,
    to_code: str,
    corpus: Sequence[str],
    vocab_size: int = 400,
    d_model: int = 64,
    num_heads: int = 4,
    ffn_dim: int = 128,
    num_layers: tuple[int, int] = (1, 1),
    seed: int = 0,
    quantization: str = "int8",
    package_version: str = "1.0",
    pad_vocab: bool = False,
) -> Path:
    """Returns the path of dest_dir/translate-{from}_{to}-{version with . as _}.argosmodel"""
    if d_model % num_heads:
        raise ValueError(f"d_model {d_model} is not divisible by num_heads {num_heads}")
    name = package_name(from_code, to_code, package_version)
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="synthetic-argos-") as tmp:
        root = Path(tmp) / name
        root.mkdir()
        sp_model = _train_sentencepiece(corpus, vocab_size, pad_vocab)
        (root / "sentencepiece.model").write_bytes(sp_model)
        pieces = _pieces(sp_model)
        _write_ctranslate2_model(
            root / "model",
            pieces,
            d_model=d_model,
            num_heads=num_heads,
            ffn_dim=ffn_dim,
            num_layers=num_layers,
            seed=_derived_seed(seed, from_code, to_code),
            quantization=quantization,
        )
        metadata = {
            "package_version": package_version,
            "argos_version": ARGOS_VERSION,
            "from_code": from_code,
            "from_name": LANGUAGE_NAMES.get(from_code, from_code),
            "to_code": to_code,
            "to_name": LANGUAGE_NAMES.get(to_code, to_code),
            "type": "translate",
            TEST_MARKER: "random weights: the output is gibberish by construction",
        }
        (root / "metadata.json").write_text(json.dumps(metadata, indent=2) + "\n", "utf-8")
        (root / "README.md").write_text(
            f"# Synthetic {from_code}→{to_code} package\n\n"
            "Random weights for offline tests and benchmarks; it does not translate.\n"
            f"vocab={len(pieces)} d_model={d_model} heads={num_heads} ffn={ffn_dim} "
            f"layers={num_layers[0]}+{num_layers[1]} seed={seed} quantization={quantization}\n",
            "utf-8",
        )
        target = dest_dir / f"{name}.argosmodel"
        _write_zip_atomically(Path(tmp), name, target)
    return target


def _derived_seed(seed: int, from_code: str, to_code: str) -> int:
    digest = hashlib.sha256(f"{seed}\0{from_code}\0{to_code}".encode()).digest()
    return int.from_bytes(digest[:8], "little")


@contextlib.contextmanager
def _torch_blocked() -> Iterator[None]:
    """ctranslate2.specs imports torch when installed (seconds); numpy suffices here."""
    if "torch" in sys.modules:
        yield
        return
    sys.modules["torch"] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        if "torch" in sys.modules and sys.modules["torch"] is None:
            del sys.modules["torch"]


def _sentences(corpus: Sequence[str]) -> Iterator[str]:
    for text in corpus:
        for line in text.splitlines():
            if line.strip():
                yield line.strip()


def _train_sentencepiece(corpus: Sequence[str], vocab_size: int, pad_vocab: bool) -> bytes:
    import sentencepiece as spm

    if next(_sentences(corpus), None) is None:
        raise ValueError("corpus has no text")
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=_sentences(corpus),
        model_writer=model,
        model_type="unigram",
        vocab_size=vocab_size,
        hard_vocab_limit=False,
        character_coverage=1.0,
        num_threads=1,
        unk_id=0,
        bos_id=1,
        eos_id=2,
        pad_id=-1,
        minloglevel=2,
    )
    proto = model.getvalue()
    missing = vocab_size - len(_pieces(proto))
    if pad_vocab and missing > 0:
        proto = _append_pieces(proto, _padding_pieces(set(_pieces(proto)), missing))
    return proto


def _pieces(proto: bytes) -> list[str]:
    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_proto=proto)
    pieces = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    if tuple(pieces[:3]) != _SPECIAL_PIECES:
        raise RuntimeError(f"unexpected special pieces {pieces[:3]}")
    return pieces


def _padding_pieces(existing: set[str], count: int) -> list[str]:
    """Pronounceable fake words ("▁bafo"), so padded ids still detokenize to plain text."""
    pieces: list[str] = []
    index = len(_SYLLABLES)  # base-len(_SYLLABLES) digits: distinct words, two syllables min
    while len(pieces) < count:
        value, word = index, "▁"
        while value:
            value, digit = divmod(value, len(_SYLLABLES))
            word += _SYLLABLES[digit]
        if word not in existing:
            pieces.append(word)
        index += 1
    return pieces


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _read_varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        value |= (byte & 0x7F) << shift
        pos, shift = pos + 1, shift + 7
        if not byte & 0x80:
            return value, pos


def _append_pieces(proto: bytes, pieces: list[str]) -> bytes:
    """Insert NORMAL pieces after the last ``ModelProto.pieces`` entry (field 1).

    Hand-encoded because protobuf is not a dependency; every top-level ModelProto field is
    length-delimited, so a flat scan finds the insertion point.
    """
    pos = end_of_pieces = 0
    while pos < len(proto):
        tag, pos = _read_varint(proto, pos)
        if tag & 7 != 2:
            raise RuntimeError("unexpected wire type in sentencepiece model")
        length, pos = _read_varint(proto, pos)
        pos += length
        if tag >> 3 == 1:
            end_of_pieces = pos
    records = bytearray()
    for piece in pieces:
        raw = piece.encode("utf-8")
        body = b"\x0a" + _varint(len(raw)) + raw + b"\x15" + struct.pack("<f", _PAD_SCORE)
        body += b"\x18\x01"  # type NORMAL
        records += b"\x0a" + _varint(len(body)) + body
    return proto[:end_of_pieces] + bytes(records) + proto[end_of_pieces:]


def _write_ctranslate2_model(
    model_dir: Path,
    pieces: list[str],
    *,
    d_model: int,
    num_heads: int,
    ffn_dim: int,
    num_layers: tuple[int, int],
    seed: int,
    quantization: str,
) -> None:
    import numpy as np

    with _torch_blocked():
        from ctranslate2.converters import Converter
        from ctranslate2.specs import TransformerSpec

        rng = np.random.default_rng(seed)

        def normal(*shape: int, std: float) -> Any:
            array = rng.standard_normal(shape, dtype=np.float32)
            array *= np.float32(std)
            return array

        def linear(spec: Any, out_dim: int, in_dim: int) -> None:
            spec.weight = normal(out_dim, in_dim, std=in_dim**-0.5)
            spec.bias = normal(out_dim, std=0.02)

        def norm(spec: Any) -> None:
            spec.gamma = 1 + normal(d_model, std=0.05)
            spec.beta = normal(d_model, std=0.02)

        d, vocab = d_model, len(pieces)
        spec = TransformerSpec.from_config(tuple(num_layers), num_heads)
        embeddings = normal(vocab, d, std=d**-0.5)  # one vocabulary: source and target share
        spec.encoder.embeddings[0].weight = embeddings
        spec.decoder.embeddings.weight = embeddings
        # An output projection tied to random embeddings makes every step re-emit its input
        # token, so all sentences decode to one repeated piece; untied, output follows input.
        spec.decoder.projection.weight = normal(vocab, d, std=d**-0.5)
        bias = normal(vocab, std=0.02)
        bias[:2] = -1.0e4  # <unk>/<s> would otherwise win and decode to nothing
        spec.decoder.projection.bias = bias
        for stack in (spec.encoder, spec.decoder):
            norm(stack.layer_norm)
            for layer in stack.layer:
                norm(layer.self_attention.layer_norm)
                linear(layer.self_attention.linear[0], 3 * d, d)
                linear(layer.self_attention.linear[1], d, d)
                if stack is spec.decoder:
                    norm(layer.attention.layer_norm)
                    linear(layer.attention.linear[0], d, d)
                    linear(layer.attention.linear[1], 2 * d, d)
                    linear(layer.attention.linear[2], d, d)
                norm(layer.ffn.layer_norm)
                linear(layer.ffn.linear_0, ffn_dim, d)
                linear(layer.ffn.linear_1, d, ffn_dim)
        spec.register_source_vocabulary(pieces)
        spec.register_target_vocabulary(pieces)

        class _SpecConverter(Converter):
            def _load(self) -> Any:
                return spec

        _SpecConverter().convert(str(model_dir), quantization=quantization)


def _write_zip_atomically(staging: Path, name: str, target: Path) -> None:
    """Fixed order, timestamps and permissions make equal arguments give equal bytes."""
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{name}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w") as archive:
            for path in [staging / name, *sorted((staging / name).rglob("*"))]:
                arcname = path.relative_to(staging).as_posix()
                if path.is_dir():
                    info = zipfile.ZipInfo(arcname + "/", date_time=_ZIP_DATE)
                    info.external_attr = (0o40755 << 16) | 0x10
                    info.create_system = 3
                    archive.writestr(info, b"")
                    continue
                info = zipfile.ZipInfo(arcname, date_time=_ZIP_DATE)
                info.external_attr = 0o100644 << 16
                info.create_system = 3
                # Quantized random weights barely deflate (~7%) but cost a second to try.
                stored = path.name == "model.bin"
                info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
                archive.writestr(info, path.read_bytes())
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
