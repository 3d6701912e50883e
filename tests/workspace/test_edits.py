"""Saving from the workspace: one transaction with the segment's revision, views rendered
again at once; a save against a moved revision is refused (409) and kept as an alternative;
eight clients at once lose nothing."""

from __future__ import annotations

import sqlite3
import threading

import polib
import pytest

from .helpers import client, history, segment


def _history(out, sid):
    return history(out, sid)


def test_approve_renders_every_view_again(editable):
    sid, revision, _ = segment(editable)
    answer = client(editable).post(f"/article/sora/en/{sid}", json={
        "text": "Approved in the browser.", "action": "approve", "revision": revision,
        "author": "Rita"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "reviewed" and answer.json()["revision"] > revision
    [entry] = [e for e in polib.pofile(str(editable / "en" / "LC_MESSAGES" / "sora.po"))
               if e.msgctxt == sid]
    assert (entry.msgstr, entry.fuzzy) == ("Approved in the browser.", False)
    xliff = (editable / "en" / "sora.xlf").read_text(encoding="utf-8")
    assert "Approved in the browser." in xliff
    assert "Approved in the browser." in (editable / "review" / "sora.html").read_text()
    assert _history(editable, sid)[-1] == ("edit", "Approved in the browser.", "reviewed",
                                           "Rita")


def test_a_stale_save_is_refused_and_kept(editable):
    sid, revision, _ = segment(editable)
    http = client(editable)
    first = http.post(f"/article/sora/en/{sid}", json={
        "text": "First.", "action": "draft", "revision": revision})
    assert first.status_code == 200
    late = http.post(f"/article/sora/en/{sid}", json={
        "text": "Late.", "action": "approve", "revision": revision})
    assert late.status_code == 409
    assert late.json()["target"] == "First." and late.json()["revision"] == first.json()[
        "revision"]
    assert [(k, t) for k, t, _, _ in _history(editable, sid)][-2:] == [
        ("edit", "First."), ("alternative", "Late.")]
    page = http.get("/article/sora").text
    assert "also saved in workspace" in page and "Late." in page


@pytest.mark.parametrize(("path", "body", "code"), [
    ("/article/sora/en/nope", {"text": "x", "action": "draft", "revision": 1}, 404),
    ("/article/nope/en/s1", {"text": "x", "action": "draft", "revision": 1}, 404),
    ("/article/sora/xx/s1", {"text": "x", "action": "draft", "revision": 1}, 404),
    ("/article/sora/en/{sid}", {"text": "  ", "action": "draft", "revision": 1}, 400),
    ("/article/sora/en/{sid}", {"text": "x", "action": "delete", "revision": 1}, 400),
    ("/article/sora/en/{sid}", {"text": "x", "action": "draft"}, 400),
])
def test_bad_saves_are_one_clear_answer(editable, path, body, code):
    sid, _, _ = segment(editable)
    answer = client(editable).post(path.format(sid=sid), json=body)
    assert answer.status_code == code and answer.json()["error"]


def test_eight_clients_at_once_lose_nothing(editable):
    """Eight reviewers save the same sentence from the same revision, and eight others
    different sentences, all at once: one of the first wins, every other text is kept."""
    same, revision, _ = segment(editable)
    others = [segment(editable, index=i) for i in range(2, 10)]
    answers: list[tuple[str, int]] = []
    barrier = threading.Barrier(16)

    def send(sid, rev, text):
        http = client(editable)
        barrier.wait(timeout=30)
        result = http.post(f"/article/sora/en/{sid}", json={
            "text": text, "action": "approve", "revision": rev})
        answers.append((text, result.status_code))

    threads = [threading.Thread(target=send, args=(same, revision, f"Same {i}."))
               for i in range(8)]
    threads += [threading.Thread(target=send, args=(sid, rev, f"Other {i}."))
                for i, (sid, rev, _) in enumerate(others)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    codes = dict(answers)
    assert len(codes) == 16
    assert sorted(codes[f"Same {i}."] for i in range(8)) == [200] + [409] * 7
    assert all(codes[f"Other {i}."] == 200 for i in range(8))
    history = _history(editable, same)
    kept = {t for _, t, _, _ in history}
    assert {f"Same {i}." for i in range(8)} <= kept  # the winner and seven alternatives
    for i, (sid, _, _) in enumerate(others):
        assert _segment_text(editable, sid) == f"Other {i}."


def _segment_text(out, sid):
    with sqlite3.connect(out / "review.sqlite") as conn:
        return conn.execute("SELECT target FROM segment WHERE sid = ? AND lang = 'en'",
                            (sid,)).fetchone()[0]


def test_a_save_is_checked_again_with_its_glossary_terms(editable):
    sid, revision, _ = segment(editable, index=0)  # needs "text-to-video model" in English
    po = editable / "en" / "LC_MESSAGES" / "sora.po"
    [before] = [e for e in polib.pofile(str(po)) if e.msgctxt == sid]
    assert "glossary: Text-to-Video-Modell → text-to-video model (flagged)" in before.comment
    answer = client(editable).post(f"/article/sora/en/{sid}", json={
        "text": "OpenAI takes Sora, its text-to-video model, to Hollywood.",
        "action": "approve", "revision": revision})
    assert answer.status_code == 200
    [after] = [e for e in polib.pofile(str(po)) if e.msgctxt == sid]
    assert "glossary: Text-to-Video-Modell → text-to-video model (present)" in after.comment
    assert "qa: warning: glossary" not in after.comment


def test_a_stale_save_of_the_current_text_is_no_conflict(editable):
    sid, revision, _ = segment(editable)
    http = client(editable)
    assert http.post(f"/article/sora/en/{sid}", json={
        "text": "Same.", "action": "approve", "revision": revision}).status_code == 200
    again = http.post(f"/article/sora/en/{sid}", json={
        "text": "Same.", "action": "approve", "revision": revision})
    assert again.status_code == 200
    assert [k for k, _, _, _ in _history(editable, sid)].count("alternative") == 0


def test_a_save_settles_only_the_alternatives_its_page_could_show(editable):
    sid, revision, _ = segment(editable)
    http = client(editable)
    first = http.post(f"/article/sora/en/{sid}", json={
        "text": "A's text.", "action": "approve", "revision": revision}).json()
    # B's save against the old revision is refused: an alternative, after A's revision
    assert http.post(f"/article/sora/en/{sid}", json={
        "text": "B's text.", "action": "approve", "revision": revision}).status_code == 409
    # A saves again from a page loaded before B's refusal: B's text must stay open
    assert http.post(f"/article/sora/en/{sid}", json={
        "text": "A's second text.", "action": "approve", "revision": first["revision"]}
    ).status_code == 200
    page = http.get("/article/sora").text
    assert "also saved in workspace" in page and "B&#39;s text." in page
