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

async function save(form, action, revision) {
  const body = {
    text: form.elements.text.value,
    action: action,
    revision: Number(revision === undefined ? form.dataset.revision : revision),
    author: document.getElementById("reviewer").value,
  };
  const sid = form.closest(".row").dataset.segment;
  const url = `/article/${encodeURIComponent(document.body.dataset.slug)}/${form.dataset.lang}/${sid}`;
  const answer = await fetch(url, {
    method: "POST", credentials: "same-origin",
    headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf()},
    body: JSON.stringify(body),
  });
  const data = await answer.json().catch(() => ({}));
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
  form.dataset.revision = data.revision;
  form.dataset.status = data.status;
  form.className = `cell tgt status-${data.status}`;
  form.querySelector(".status").textContent = data.status;
  // our own save moved the store by one; anything more was someone else
  const mine = data.revision === known + 1 ? 1 : 0;
  const others = data.store_revision - known - mine > 0;
  known = data.store_revision;
  notice(others ? "Changed elsewhere (a run or another reviewer): reload to see it." : "");
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
