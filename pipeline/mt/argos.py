"""Argos Translate packages run through CTranslate2 directly.

One model load and one sorted, token-batched pass per language pair and call. Targets without
a direct package pivot through English, and the source→English pass is shared by every
request that needs it (texts with a given pivot skip it); a direct English→target request
(a reviewed English, translated on its own) joins the English→target pass of the pivots.
The internal pass through English keeps the best English only: choosing English by the
glossary needs the term base, which no engine has, so a run that chooses asks for English
hypotheses itself and sends the chosen English as the request's pivot (run/select.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.model.errors import ModelError
from pipeline.mt.engine import PIVOT, TEST_MARK, Hypothesis, Request, Result


@dataclass
class DecodeOptions:
    """CTranslate2 settings; int8 on the CPU by default, CUDA when asked for and present."""

    device: str = "cpu"
    compute_type: str = "int8"
    inter_threads: int = 1
    intra_threads: int = 0
    beam_size: int = 4
    max_decoding_length: int = 256
    max_batch_tokens: int = 2048
    length_penalty: float = 0.2


def per_token(score: float, tokens: int, limit: int, length_penalty: float) -> float:
    """CTranslate2's score (the log-probability over ``length ** length_penalty``, the length
    counting the end token when there is one: none at the decoding limit) per token."""
    length = max(1, tokens + (tokens < limit))
    return score * length ** length_penalty / length


@dataclass
class ArgosEngine:
    """Argos packages run with CTranslate2; models are loaded once and kept for the run."""

    models_dir: Path
    options: DecodeOptions = field(default_factory=DecodeOptions)
    quiet: bool = False
    name: str = "argos"
    memorable: bool = True
    _loaded: dict = field(default_factory=dict, repr=False)
    decoded_pairs: list[str] = field(default_factory=list, repr=False)

    def __getstate__(self) -> dict[str, object]:
        """Pickled (for a worker on another machine) without its loaded models: the worker
        loads them once from ``models_dir``, made absolute (its working folder differs)."""
        return {**self.__dict__, "_loaded": {}, "decoded_pairs": [],
                "models_dir": Path(self.models_dir).absolute()}

    def route(self, source: str, target: str) -> list[tuple[str, str]]:
        """Direct when a package exists, else through English; names what is missing."""
        from pipeline.mt.packages import find_package

        if find_package(self.models_dir, source, target):
            return [(source, target)]
        hops = [(source, PIVOT), (PIVOT, target)]
        if source != PIVOT and target != PIVOT and all(
            find_package(self.models_dir, a, b) for a, b in hops
        ):
            return hops
        missing = f"{source}-{target}"
        if source != PIVOT and target != PIVOT:
            missing += f" (or {source}-{PIVOT} and {PIVOT}-{target})"
        raise ModelError(
            f"no translation package for {missing} in {self.models_dir}; install it with: "
            f"python -m pipeline models install {source}-{target}  (offline: "
            "python -m pipeline models install FILE.argosmodel)"
        )

    def check(self, source: str, targets: Sequence[str]) -> None:
        for target in targets:
            self.route(source, target)

    def via(self, source: str, target: str) -> str | None:
        """English when the route goes through it; None when direct (or missing)."""
        try:
            hops = self.route(source, target)
        except ModelError:
            return None
        return hops[0][1] if len(hops) > 1 else None

    def signature(self, source: str, target: str) -> str | None:
        """Which packages would translate this pair now; reused output must have the same.

        None when no route exists (nothing can be reused, and MT will say what is missing).
        """
        from pipeline.mt.packages import find_package

        try:
            hops = self.route(source, target)
        except ModelError:
            return None
        parts = []
        for hop_source, hop_target in hops:
            pkg = find_package(self.models_dir, hop_source, hop_target)
            if pkg is None:  # route() found it a moment ago; removed since
                return None
            model = pkg.path / "model" / "model.bin"
            size = model.stat().st_size if model.exists() else 0
            parts.append(f"{pkg.path.name}@{pkg.version}:{size}" + (TEST_MARK if pkg.test else ""))
        return "argos:" + "+".join(parts)

    def translate(self, requests: Sequence[Request]) -> list[Result]:
        """One pass per pair and ``n``: first into English for every request that pivots
        (shared) and for direct requests, then out of English; a direct request whose pair is
        a second hop waits for that pass, so English → target is decoded once."""
        routes = [self.route(r.source, r.target) for r in requests]
        later = {(*route[1], r.n) for r, route in zip(requests, routes, strict=True)
                 if len(route) > 1}
        first: dict[tuple[str, str, int], set[str]] = {}
        second: dict[tuple[str, str, int], set[str]] = {}
        for request, route in zip(requests, routes, strict=True):
            if len(route) == 1:
                key = (*route[0], request.n)
                (second if key in later else first).setdefault(key, set()).update(request.texts)
            else:
                first.setdefault((*route[0], 1), set()).update(
                    t for t, p in zip(request.texts, request.pivots, strict=True) if p is None)
        done = {key: self._decode(sorted(texts), *key) for key, texts in first.items()}
        pivots: list[list[str]] = []
        for request, route in zip(requests, routes, strict=True):
            if len(route) == 1:
                pivots.append([])
                continue
            hop = done.get((*route[0], 1), {})
            english = [p if p is not None else hop[t][0].text
                       for t, p in zip(request.texts, request.pivots, strict=True)]
            pivots.append(english)
            second.setdefault((*route[1], request.n), set()).update(english)
        done.update({key: self._decode(sorted(texts), *key) for key, texts in second.items()})
        results = []
        for request, route, english in zip(requests, routes, pivots, strict=True):
            table = done[(*route[-1], request.n)]
            found = tuple(table[t] for t in (request.texts if len(route) == 1 else english))
            results.append(Result(request, found))
        return results

    def _decode(self, texts: Sequence[str], source: str, target: str, n: int
                ) -> dict[str, tuple[Hypothesis, ...]]:
        if not texts:
            return {}
        return dict(zip(texts, self._translate_pair(texts, source, target, n), strict=True))

    @staticmethod
    def _decode_tokens(tokenizer, tokens, package) -> str:
        try:
            return tokenizer.decode(tokens).strip()
        except Exception as exc:  # noqa: BLE001 - as encode
            raise ModelError(f"the package's tokenizer fails ({exc})",
                             path=package.package_path) from None

    def _model(self, source: str, target: str):
        key = (source, target)
        if key not in self._loaded:
            import ctranslate2
            from tqdm import tqdm

            from pipeline.mt.packages import find_package

            package = find_package(self.models_dir, source, target)
            if package is None:
                raise ModelError(f"no {source}-{target} package in {self.models_dir}")
            with tqdm(total=1, desc=f"load {source}-{target}", disable=self.quiet,
                      leave=False) as bar:
                try:
                    translator = ctranslate2.Translator(
                        str(package.path / "model"), device=self.options.device,
                        compute_type=self.options.compute_type,
                        inter_threads=self.options.inter_threads,
                        intra_threads=self.options.intra_threads,
                    )
                except (RuntimeError, ValueError) as exc:
                    raise ModelError(f"cannot load the model: {exc}", path=package.path) from None
                bar.update(1)
            self._loaded[key] = (translator, package.argos)
        return self._loaded[key]

    def _translate_pair(self, texts: Sequence[str], source: str, target: str, n: int = 1
                        ) -> list[tuple[Hypothesis, ...]]:
        """One sorted, token-batched pass over all texts of all articles for this pair."""
        from tqdm import tqdm

        translator, package = self._model(source, target)
        self.decoded_pairs.append(f"{source}-{target}")
        tokenizer = package.tokenizer
        try:
            tokens = [tokenizer.encode(text) for text in texts]
        except Exception as exc:  # noqa: BLE001 - sentencepiece raises bare errors on junk
            raise ModelError(f"the package's tokenizer fails ({exc})",
                             path=package.package_path) from None
        order = sorted(range(len(tokens)), key=lambda i: len(tokens[i]))
        prefix = package.target_prefix or None
        outputs: list[tuple[Hypothesis, ...]] = [()] * len(texts)
        limit, penalty = self.options.max_decoding_length, self.options.length_penalty
        results = translator.translate_iterable(
            (tokens[i] for i in order),
            target_prefix=([prefix] for _ in order) if prefix else None,
            max_batch_size=self.options.max_batch_tokens,
            batch_type="tokens",
            beam_size=max(self.options.beam_size, n),
            num_hypotheses=n,
            return_scores=True,
            max_decoding_length=self.options.max_decoding_length,
            length_penalty=self.options.length_penalty,
            replace_unknowns=True,
        )
        with tqdm(total=len(texts), desc=f"translate {source}-{target}", unit="seg",
                  disable=self.quiet, leave=False) as bar:  # one pass per shard: no trail
            for index, result in zip(order, results, strict=True):
                found = []
                for hypothesis, score in zip(result.hypotheses, result.scores, strict=True):
                    logprob = per_token(float(score), len(hypothesis), limit, penalty)
                    if prefix and hypothesis[:1] == [prefix]:
                        hypothesis = hypothesis[1:]
                    found.append(Hypothesis(self._decode_tokens(tokenizer, hypothesis, package),
                                            float(score), logprob))
                outputs[index] = tuple(found)
                bar.update(1)
        return outputs
