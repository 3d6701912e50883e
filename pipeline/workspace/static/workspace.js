// The review workspace's only script: saves (with the CSRF token and the segment's
// revision), keyboard navigation, search, and noticing changes made elsewhere.
"use strict";

const csrf = () => (document.cookie.split("; ").find((c) => c.startsWith("pipeline_csrf=")) || "=").split("=")[1];
const forms = () => Array.from(document.querySelectorAll("form.cell.tgt"));
let known = Number(document.body.dataset.revision);

function notice(text) {
  const box = document.getElementById("notice");
  box.textContent = text;
  box.hidden = !text;
}

const author = () => document.getElementById("reviewer").value;

// POST a JSON body; the answer's status and JSON (empty when it has none)
async function post(url, body) {
  const answer = await fetch(url, {
    method: "POST", credentials: "same-origin",
    headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf()},
    body: JSON.stringify(body),
  });
  return [answer, await answer.json().catch(() => ({}))];
}

function segmentUrl(form, what) {
  const sid = form.closest(".row").dataset.segment;
  const base = `/article/${encodeURIComponent(document.body.dataset.slug)}/${form.dataset.lang}/${sid}`;
  return what ? `${base}/${what}` : base;
}

// the store moved to `revision`; `own` rows of that were ours, anything more was someone else
function track(revision, own) {
  const others = revision - known - own > 0;
  known = revision;
  notice(others ? "Changed elsewhere (a run or another reviewer): reload to see it." : "");
}

async function saveComment(form) {
  const box = form.elements.comment;
  const [answer, data] = await post(segmentUrl(form, "comment"), {
    text: box.value, revision: Number(box.dataset.revision), author: author()});
  if (answer.status === 409) {
    box.dataset.revision = data.revision;
    notice(`Someone changed this comment meanwhile (${data.target || "cleared"}); save again to replace it.`);
    return false;
  }
  if (!answer.ok) { notice(`Not saved: ${data.error || answer.status}`); return false; }
  track(data.store_revision, data.revision === known + 1 ? 1 : 0);
  box.dataset.revision = data.revision;
  return true;
}

async function dismiss(form, item) {
  const [answer, data] = await post(segmentUrl(form, "dismiss"), {seq: Number(item.dataset.seq), author: author()});
  if (!answer.ok) { notice(`Not dismissed: ${data.error || answer.status}`); return; }
  track(data.store_revision, 1);
  const list = item.parentElement;
  item.remove();
  if (!list.children.length) list.remove();
}

async function save(form, action, revision) {
  const [answer, data] = await post(segmentUrl(form), {
    text: form.elements.text.value,
    action: action,
    revision: Number(revision === undefined ? form.dataset.revision : revision),
    author: author(),
    seen: Number(document.body.dataset.revision),  // settles the alternatives shown
  });
  const conflict = form.querySelector(".conflict");
  if (answer.status === 409) {
    conflict.hidden = false;
    conflict.dataset.action = action;
    notice("Changed elsewhere (a run or another reviewer): reload to see it.");
    conflict.querySelector(".theirs").textContent = data.target;
    conflict.dataset.revision = data.revision;
    conflict.dataset.text = data.target;
    return false;
  }
  if (!answer.ok) {
    notice(`Not saved: ${data.error || answer.status}`);
    return false;
  }
  conflict.hidden = true;
  const moved = String(data.revision) !== form.dataset.revision;
  form.dataset.revision = data.revision;
  form.dataset.status = data.status;
  form.className = `cell tgt status-${data.status}`;
  form.querySelector(".status").textContent = data.status;
  // our own save moved the store by one; anything more was someone else
  track(data.store_revision, data.revision === known + 1 ? 1 : 0);
  const settled = form.querySelector(".alternatives");
  if (settled && moved) settled.remove();  // a saved text settles the alternatives the page showed
  return true;
}

function move(form, step, wanted) {
  const all = forms();
  let index = all.indexOf(form);
  for (;;) {
    index += step;
    if (index < 0 || index >= all.length) return;
    if (!wanted || wanted(all[index])) break;
  }
  all[index].elements.text.focus();
}

document.addEventListener("DOMContentLoaded", () => {
  const name = document.getElementById("reviewer");
  name.value = localStorage.getItem("reviewer") || "";
  name.addEventListener("change", () => localStorage.setItem("reviewer", name.value));
  for (const form of forms()) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      save(form, event.submitter ? event.submitter.value : "draft");
    });
    form.addEventListener("click", (event) => {
      const button = event.target.closest("button");
      if (!button) return;
      if (button.classList.contains("use")) form.elements.text.value = button.dataset.text;
      if (button.classList.contains("revert")) form.elements.text.value = form.dataset.machine;
      if (button.classList.contains("take")) {
        form.elements.text.value = button.dataset.text;
        save(form, button.dataset.action);
      }
      if (button.classList.contains("dismiss")) dismiss(form, button.closest("li"));
      if (button.classList.contains("save-comment")) saveComment(form);
      const conflict = form.querySelector(".conflict");
      if (button.classList.contains("keep-theirs")) {
        form.elements.text.value = conflict.dataset.text;
        form.dataset.revision = conflict.dataset.revision;
        conflict.hidden = true;
      }
      if (button.classList.contains("keep-mine")) {
        save(form, conflict.dataset.action || "draft", conflict.dataset.revision);
      }
    });
    form.elements.text.addEventListener("keydown", async (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        if (await save(form, "approve")) move(form, 1);
      } else if (event.altKey && event.key === "ArrowDown") {
        event.preventDefault(); move(form, 1);
      } else if (event.altKey && event.key === "ArrowUp") {
        event.preventDefault(); move(form, -1);
      } else if (event.altKey && (event.key === "n" || event.key === "N")) {
        event.preventDefault();
        move(form, 1, (f) => f.dataset.status === "machine" || f.dataset.status === "draft");
      }
    });
  }
  const terms = document.getElementById("term-form");
  if (terms) {
    document.addEventListener("mouseup", (event) => {
      if (!event.target.closest(".cell.src")) return;
      const picked = window.getSelection().toString().trim();
      if (!picked || picked.length > 200) return;
      terms.elements.de.value = picked;
      terms.elements.id.value = picked.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
      document.getElementById("add-term").open = true;
    });
    terms.addEventListener("submit", async (event) => {
      event.preventDefault();
      const field = (name) => terms.elements[name].value;
      const targets = {};
      for (const input of terms.querySelectorAll("input[name^=target-]")) targets[input.name.slice(7)] = input.value;
      const [answer, data] = await post("/glossary", {
        id: field("id"), de: field("de"), targets: targets, domain: field("domain"),
        dnt: terms.elements.dnt.checked, note: field("note")});
      terms.elements.result.value = answer.ok ? `added ${data.id} to ${data.file}; the next run uses it`
        : `not added: ${data.error || answer.status}`;
    });
  }
  const search = document.getElementById("search");
  search.addEventListener("input", () => {
    const wanted = search.value.toLowerCase();
    for (const row of document.querySelectorAll("section.row")) {
      row.hidden = Boolean(wanted) && !row.textContent.toLowerCase().includes(wanted)
        && !Array.from(row.querySelectorAll("textarea")).some((t) => t.value.toLowerCase().includes(wanted));
    }
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "/" && document.activeElement.tagName !== "TEXTAREA"
        && document.activeElement.tagName !== "INPUT") {
      event.preventDefault(); search.focus();
    }
  });
  setInterval(async () => {
    const answer = await fetch("/revision", {credentials: "same-origin"}).catch(() => null);
    if (!answer || !answer.ok) return;
    const data = await answer.json();
    if (data.revision !== known) notice("Changed elsewhere (a run or another reviewer): reload to see it.");
  }, 5000);
});
