"""Test-only hooks for a child ``python -m pipeline`` (on PYTHONPATH via tests/store/child.py):
exact stopping points instead of sleeps. Each stop writes one line to the FIFO in
PIPELINE_TEST_FIFO and then waits: for a line on PIPELINE_TEST_GO, or for the test to kill it.

PIPELINE_TEST_STOP_REPLACE=N   stop before the N-th os.replace of a file under PIPELINE_TEST_OUT
PIPELINE_TEST_STOP_TRANSLATE=1 stop when the run starts translating (no lock is held then)
PIPELINE_TEST_STOP_COMPLETE=N  stop once the N-th article is recorded complete (lock held)
PIPELINE_TEST_PSEUDO=X         the pseudo engine pads by X (a new "model": new text, new signature)
PIPELINE_TEST_ASKED=FILE       every text the pseudo engine is asked for, one JSON line each
"""

import os
import sys
import time

_ENV = os.environ


def _stop(line: str) -> None:
    with open(_ENV["PIPELINE_TEST_FIFO"], "w", encoding="utf-8") as fifo:
        fifo.write(line + "\n")
    if "PIPELINE_TEST_GO" in _ENV:
        with open(_ENV["PIPELINE_TEST_GO"], encoding="utf-8") as go:
            go.readline()
        return
    while True:  # the test kills this process here
        time.sleep(60)


if _ENV.get("PIPELINE_TEST_STOP_REPLACE"):
    _real_replace = os.replace
    _count = [0]

    def _replace(src, dst, *args, **kwargs):
        if str(dst).startswith(_ENV["PIPELINE_TEST_OUT"]):
            _count[0] += 1
            if _count[0] == int(_ENV["PIPELINE_TEST_STOP_REPLACE"]):
                _stop(f"replace {_count[0]} {dst}")
        return _real_replace(src, dst, *args, **kwargs)

    os.replace = _replace

if _ENV.get("PIPELINE_TEST_STOP_TRANSLATE") or _ENV.get("PIPELINE_TEST_PSEUDO"):
    sys.path.insert(0, _ENV["PIPELINE_TEST_ROOT"])
    from pipeline.mt import pseudo
    from pipeline.run import compute

    if _ENV.get("PIPELINE_TEST_PSEUDO"):
        _init = pseudo.PseudoEngine.__init__

        def _pseudo_init(self, *args, **kwargs):
            _init(self, *args, **kwargs)
            self.expansion = float(_ENV["PIPELINE_TEST_PSEUDO"])

        pseudo.PseudoEngine.__init__ = _pseudo_init

    if _ENV.get("PIPELINE_TEST_STOP_TRANSLATE"):
        _translate = compute.translate

        def _stopping_translate(*args, **kwargs):
            _stop("translate")
            return _translate(*args, **kwargs)

        compute.translate = _stopping_translate

if _ENV.get("PIPELINE_TEST_STOP_COMPLETE"):
    sys.path.insert(0, _ENV["PIPELINE_TEST_ROOT"])
    from pipeline.store import complete

    _record = complete.Completion.record_complete
    _recorded = [0]

    def _stopping_record(self, *args, **kwargs):
        _record(self, *args, **kwargs)
        _recorded[0] += 1
        if _recorded[0] == int(_ENV["PIPELINE_TEST_STOP_COMPLETE"]):
            _stop(f"complete {_recorded[0]}")

    complete.Completion.record_complete = _stopping_record

if _ENV.get("PIPELINE_TEST_ASKED"):
    import json

    sys.path.insert(0, _ENV["PIPELINE_TEST_ROOT"])
    from pipeline.mt import pseudo

    _pseudo_translate = pseudo.PseudoEngine.translate

    def _asked(self, requests):
        with open(_ENV["PIPELINE_TEST_ASKED"], "a", encoding="utf-8") as asked:
            for request in requests:
                for text in request.texts:
                    asked.write(json.dumps([request.source, request.target, text]) + "\n")
        return _pseudo_translate(self, requests)

    pseudo.PseudoEngine.translate = _asked
