"""Variant (c), the limit: one sorted, token-batched ``translate_batch`` and nothing else.

Run as ``python bench/raw_ct2.py CONFIG.json``; prints one JSON line. It decodes exactly the
texts the pipeline sends to CTranslate2 (captured by run_bench.py from a real run), tokenized
with the package's own SentencePiece model, with the pipeline's batch size and settings, so
the gap between (a) and (c) is what the pipeline adds around decoding.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def decode(config: dict) -> dict:
    """Load, tokenize, sort, one translate_batch; each step timed on its own."""
    import ctranslate2

    from pipeline.mt.packages import find_package

    texts = json.loads(Path(config["segments_file"]).read_text(encoding="utf-8"))
    package = find_package(Path(config["models_dir"]), "de", "en")
    if package is None:
        raise SystemExit("no de-en package installed")
    start = time.perf_counter()
    translator = ctranslate2.Translator(
        str(package.path / "model"), device="cpu", compute_type=config["compute_type"],
        inter_threads=config["inter_threads"], intra_threads=config["intra_threads"])
    load_s = time.perf_counter() - start

    start = time.perf_counter()
    tokenizer = package.argos.tokenizer
    tokens = sorted((tokenizer.encode(text) for text in texts), key=len)
    tokenize_s = time.perf_counter() - start

    prefix = package.argos.target_prefix or None
    start = time.perf_counter()
    results = translator.translate_batch(
        tokens, target_prefix=[[prefix]] * len(tokens) if prefix else None,
        max_batch_size=config["max_batch_tokens"], batch_type="tokens",
        beam_size=config["beam_size"], max_decoding_length=config["max_decoding_length"],
        length_penalty=config["length_penalty"], replace_unknowns=True)
    decode_s = time.perf_counter() - start
    return {
        "segments": len(texts),
        "source_tokens": sum(len(t) for t in tokens),
        "target_tokens": sum(len(r.hypotheses[0]) for r in results),
        "load_s": load_s,
        "tokenize_s": tokenize_s,
        "decode_s": decode_s,
    }


def main() -> None:
    config = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    print(json.dumps(decode(config)))


if __name__ == "__main__":
    main()
