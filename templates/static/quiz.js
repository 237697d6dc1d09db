// Quizzes, review and progress in the browser. The logic (grading, the SM-2 schedule, checking
// stored or imported progress, the certificate) is Rust compiled to WebAssembly (widgets/quiz);
// this file only connects it to the page and to localStorage.

const KEY = "sdp-progress";
const assets = JSON.parse(document.getElementById("sdp-quiz").textContent);
let loading;
const wasm = () => (loading ??= import(assets.js).then(async (m) => {
  await m.default({ module_or_path: assets.wasm });
  return m;
}));

const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
};

function stored() {
  try { return localStorage.getItem(KEY) || ""; } catch (e) { return ""; }
}

function store(text) {
  try { localStorage.setItem(KEY, text); } catch (e) { /* storage off: progress lasts this visit */ }
}

/** The stored progress, checked; a record that fails the check is set aside, not used. */
async function progress() {
  const m = await wasm();
  try {
    return m.load_progress(stored());
  } catch (e) {
    try { localStorage.setItem(KEY + "-unreadable", stored()); } catch (_) { /* nothing to keep */ }
    store("");
    return m.load_progress("");
  }
}

async function update(change) {
  const m = await wasm();
  const next = change(m, await progress());
  store(next);
  return next;
}

// ---- Questions -------------------------------------------------------------------------

/** Seed from text: the same question shows its options in the same order everywhere. */
function seedOf(text) {
  let h = 2166136261;
  for (const c of text) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return h;
}

async function shuffle(form, seed) {
  const m = await wasm();
  const list = form.querySelector(".q-options, .q-order");
  if (!list) return;
  const children = [...list.querySelectorAll(":scope > .q-option, :scope > .q-item")];
  let order = [...m.shuffled(seed, children.length)];
  // An ordering question must not start out solved.
  if (form.dataset.type === "order" && order.every((v, i) => v === i)) order = order.slice(1).concat(order[0]);
  for (const i of order) list.appendChild(children[i]);
}

function answerOf(form) {
  const type = form.dataset.type;
  if (type === "numeric") return JSON.stringify(form.querySelector(".q-number input").value);
  if (type === "order") return JSON.stringify([...form.querySelectorAll(".q-item")].map((li) => Number(li.dataset.index)));
  return JSON.stringify([...form.querySelectorAll("input:checked")].map((i) => Number(i.value)));
}

function answered(form) {
  const type = form.dataset.type;
  if (type === "numeric") return form.querySelector(".q-number input").value.trim() !== "";
  if (type === "order") return true;
  return form.querySelector("input:checked") !== null;
}

/** Grade one question and show the result, the right answer and the explanation. */
async function check(form) {
  const m = await wasm();
  const key = JSON.parse(form.dataset.key);
  const graded = JSON.parse(m.grade(form.dataset.key, answerOf(form)));
  form.classList.remove("is-correct", "is-wrong");
  form.classList.add(graded.correct ? "is-correct" : "is-wrong");
  const result = form.querySelector(".q-result");
  result.textContent = (graded.correct ? "✓ " : "✗ ") + graded.message;
  const right = key.type === "single" ? [key.correct] : key.type === "multiple" ? key.correct : [];
  for (const label of form.querySelectorAll(".q-option")) {
    label.classList.toggle("is-answer", right.includes(Number(label.dataset.index)));
  }
  if (key.type === "order") {
    for (const li of form.querySelectorAll(".q-item")) {
      li.dataset.position = String(Number(li.dataset.index) + 1);
    }
  }
  form.querySelector(".q-explanation").open = true;
  const widget = form.querySelector(".q-widget");
  if (widget) widget.hidden = false;
  return graded.correct;
}

function wireQuestion(form) {
  form.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-move]");
    if (!button) return;
    const li = button.closest(".q-item");
    const sibling = button.dataset.move === "up" ? li.previousElementSibling : li.nextElementSibling;
    if (!sibling) return;
    if (button.dataset.move === "up") li.parentNode.insertBefore(li, sibling);
    else li.parentNode.insertBefore(sibling, li);
    button.focus();
  });
}

// ---- Quick checks in pages, and questions on the review page --------------------------------

function wireSingle(form, after) {
  wireQuestion(form);
  form.querySelector(".q-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!answered(form)) {
      form.querySelector(".q-result").textContent = "Answer first, then check.";
      return;
    }
    const correct = await check(form);
    const id = form.dataset.question;
    await update((m, p) => m.answer(p, id, correct, today()));
    if (after) after(correct);
  });
}

async function quickChecks() {
  for (const form of document.querySelectorAll(".quick-check .question")) {
    wireSingle(form);
    await shuffle(form, seedOf(form.dataset.question));
    form.dataset.ready = "true";
  }
}

// ---- The module quiz page ---------------------------------------------------------------------

async function modulePage(page) {
  const m = await wasm();
  const params = new URLSearchParams(location.search);
  let seed = Number(params.get("seed"));
  if (!Number.isInteger(seed) || seed <= 0 || seed > 4294967295) {
    seed = crypto.getRandomValues(new Uint32Array(1))[0] || 1;
    params.set("seed", String(seed));
    history.replaceState(null, "", `${location.pathname}?${params}${location.hash}`);
  }
  const list = page.querySelector(".quiz-questions");
  const forms = [...list.querySelectorAll(".question")];
  for (const i of m.shuffled(seed, forms.length)) list.appendChild(forms[i]);
  for (const [n, form] of forms.entries()) {
    wireQuestion(form);
    form.querySelector(".q-actions").hidden = true;
    form.querySelector(".q-form").addEventListener("submit", (event) => event.preventDefault());
    await shuffle(form, (seed + 7919 * (n + 1)) >>> 0);
  }
  [...list.querySelectorAll(".question")].forEach((form, i) => {
    form.querySelector(".q-meta").prepend(`Question ${i + 1} of ${forms.length} · `);
  });
  const seedNote = page.querySelector(".quiz-seed");
  seedNote.querySelector(".quiz-share").href = `${location.pathname}?seed=${seed}`;
  const fresh = new URLSearchParams(params);
  fresh.set("seed", String((seed * 48271) % 2147483647 || 1));
  seedNote.querySelector(".quiz-reshuffle").href = `${location.pathname}?${fresh}`;
  seedNote.hidden = false;

  const submit = page.querySelector(".quiz-submit");
  submit.hidden = false;
  const finish = submit.querySelector(".quiz-finish");
  finish.addEventListener("click", async () => {
    const unanswered = [...list.querySelectorAll(".question")].filter((f) => !answered(f)).length;
    const note = submit.querySelector(".quiz-unanswered");
    if (unanswered > 0 && !finish.dataset.confirm) {
      note.textContent = `${unanswered} unanswered; they count as wrong. Press again to submit anyway.`;
      finish.dataset.confirm = "1";
      return;
    }
    let right = 0;
    const results = [];
    for (const form of list.querySelectorAll(".question")) {
      const correct = answered(form) && (await check(form));
      if (!answered(form)) {
        form.classList.add("is-wrong");
        form.querySelector(".q-result").textContent = "✗ Not answered.";
        form.querySelector(".q-explanation").open = true;
      }
      results.push([form.dataset.question, correct]);
      if (correct) right += 1;
    }
    const score = right / results.length;
    await update((w, p) => {
      let next = p;
      for (const [id, correct] of results) next = w.answer(next, id, correct, today());
      return w.finish_quiz(next, page.dataset.quiz, score, today());
    });
    const box = page.querySelector(".quiz-score");
    const pct = Math.round(score * 100);
    box.replaceChildren();
    const h = document.createElement("h2");
    h.textContent = `You scored ${right} of ${results.length} (${pct}%)`;
    const p = document.createElement("p");
    p.textContent = score >= 0.8
      ? "Passed: 80% or more. Your best score is saved on your progress page; the questions join your review queue."
      : "Not passed yet: 80% passes. Read the explanations, revisit the linked sections, then shuffle and try again.";
    const links = document.createElement("p");
    links.innerHTML = `<a class="button" href="${seedNote.querySelector(".quiz-reshuffle").getAttribute("href")}">Try again, shuffled</a> <a class="button" href="${page.dataset.progress || "../../progress/"}">Your progress</a>`;
    box.append(h, p, links);
    box.hidden = false;
    submit.hidden = true;
    box.focus();
  });
}

// ---- Review page --------------------------------------------------------------------------

async function reviewPage(page) {
  const m = await wasm();
  const status = page.querySelector(".review-status");
  const card = page.querySelector(".review-card");
  const rate = page.querySelector(".review-rate");
  let bank;
  try {
    bank = await (await fetch(page.dataset.bank)).json();
  } catch (e) {
    status.textContent = "The question bank could not be loaded; check your connection and reload.";
    return;
  }
  let current = null;
  const next = async () => {
    const summary = JSON.parse(m.summary(await progress(), today()));
    const due = summary.due.filter((id) => bank[id]);
    rate.hidden = true;
    card.replaceChildren();
    if (due.length === 0) {
      status.textContent = summary.cards === 0
        ? "Nothing to review yet: answer quick checks or take a module quiz, and the questions come back here."
        : "All done for today. Questions you have answered come back when they are due.";
      current = null;
      return;
    }
    current = due[0];
    status.textContent = `${due.length} question${due.length === 1 ? "" : "s"} to review today.`;
    // Markup from the course's own question bank, built by the generator.
    card.innerHTML = bank[current].html;
    const form = card.querySelector(".question");
    form.querySelector(".q-explanation").open = false;
    wireSingle(form, () => {
      rate.hidden = false;
      rate.querySelector("[data-quality='4']").focus();
    });
    await shuffle(form, seedOf(current));
    form.dataset.ready = "true";
  };
  rate.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-quality]");
    if (!button || !current) return;
    const id = current;
    await update((w, p) => w.rate(p, id, Number(button.dataset.quality), today()));
    await next();
    const first = card.querySelector("input, button");
    if (first) first.focus();
  });
  await next();
}

// ---- Progress page ------------------------------------------------------------------------

async function progressPage(page) {
  const m = await wasm();
  const modules = JSON.parse(document.getElementById("sdp-modules").textContent);
  const stats = page.querySelector(".progress-stats");
  const body = page.querySelector(".progress-table tbody");
  const message = page.querySelector(".progress-message");
  const base = page.closest("body").querySelector(".brand").getAttribute("href");

  const render = async () => {
    const s = JSON.parse(m.summary(await progress(), today()));
    const read = new Set(s.read);
    const total = modules.reduce((n, mod) => n + mod.pages.length, 0);
    const done = modules.reduce((n, mod) => n + mod.pages.filter((u) => read.has(u)).length, 0);
    stats.textContent = `Pages read: ${done} of ${total}. Quizzes passed: ${modules.filter((mod) => mod.quiz && (s.quizzes[mod.folder]?.best ?? 0) >= 0.8).length} of ${modules.filter((mod) => mod.quiz).length}. Review: ${s.due.length} due today, ${s.cards} questions scheduled. Streak: ${s.streak} day${s.streak === 1 ? "" : "s"}.`;
    body.replaceChildren();
    for (const mod of modules) {
      const tr = document.createElement("tr");
      const name = document.createElement("td");
      const a = document.createElement("a");
      a.href = base + mod.url;
      a.textContent = `${mod.number}. ${mod.title}`;
      name.append(a);
      const pages = document.createElement("td");
      pages.textContent = mod.pages.length ? `${mod.pages.filter((u) => read.has(u)).length} of ${mod.pages.length}` : "none yet";
      const best = document.createElement("td");
      const record = s.quizzes[mod.folder];
      best.textContent = record ? `${Math.round(record.best * 100)}%${record.best >= 0.8 ? " ✓ passed" : ""} (${record.attempts} attempt${record.attempts === 1 ? "" : "s"})` : "not taken";
      const quiz = document.createElement("td");
      if (mod.quiz) {
        const q = document.createElement("a");
        q.href = base + mod.quiz;
        q.textContent = record ? "Retake" : "Take the quiz";
        quiz.append(q);
      } else {
        quiz.textContent = "no quiz yet";
      }
      tr.append(name, pages, best, quiz);
      body.append(tr);
    }
  };

  page.querySelector(".progress-export").addEventListener("click", async () => {
    const blob = new Blob([await progress()], { type: "application/json" });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = `sdp-progress-${today()}.json`;
    a.id = "progress-export-link";
    a.hidden = true;
    page.querySelector("#progress-export-link")?.remove();
    page.append(a);
    a.click();
    message.textContent = `Exported ${a.download}.`;
  });

  page.querySelector(".progress-import").addEventListener("change", async (event) => {
    const file = event.target.files[0];
    event.target.value = "";
    if (!file) return;
    if (file.size > 1000000) {
      message.textContent = `Not imported: ${file.name} is ${Math.round(file.size / 1000)} KB; a progress file is at most 1000 KB. Nothing was changed.`;
      return;
    }
    try {
      const checked = m.load_progress(await file.text());
      store(checked);
      message.textContent = `Imported ${file.name}.`;
      await render();
    } catch (e) {
      message.textContent = `Not imported: ${e.message || e}. Nothing was changed.`;
    }
  });

  page.querySelector(".certificate-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const out = page.querySelector(".certificate-message");
    const name = page.querySelector("#certificate-name").value;
    const withQuiz = modules.filter((mod) => mod.quiz).map((mod) => ({ folder: mod.folder, title: `${mod.number}. ${mod.title}` }));
    try {
      const bytes = m.certificate(await progress(), JSON.stringify(withQuiz), name, today());
      const a = document.createElement("a");
      a.href = URL.createObjectURL(new Blob([bytes], { type: "application/pdf" }));
      a.download = "sdp-certificate.pdf";
      a.id = "certificate-link";
      a.textContent = "Download again";
      out.replaceChildren("Your certificate is ready. ", a);
      a.click();
    } catch (e) {
      out.textContent = e.message || String(e);
    }
  });

  await render();
}

// ---- Start ------------------------------------------------------------------------------

const quizPage = document.querySelector(".quiz-page");
const review = document.querySelector(".review-page");
const progressView = document.querySelector(".progress-page");
if (quizPage) modulePage(quizPage);
else if (review) reviewPage(review);
else if (progressView) progressPage(progressView);
quickChecks();
