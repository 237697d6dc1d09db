// Theme toggle: follows the system setting until the reader picks light or dark.
(() => {
  const root = document.documentElement;
  const button = document.querySelector(".theme-toggle");
  if (!button) return;
  const dark = () =>
    root.dataset.theme ? root.dataset.theme === "dark" : matchMedia("(prefers-color-scheme: dark)").matches;
  const label = () => {
    button.setAttribute("aria-label", dark() ? "Switch to light theme" : "Switch to dark theme");
    button.setAttribute("aria-pressed", String(dark()));
  };
  button.hidden = false;
  label();
  button.addEventListener("click", () => {
    const next = dark() ? "light" : "dark";
    root.dataset.theme = next;
    try { localStorage.setItem("sdp-theme", next); } catch (e) { /* private mode: not remembered */ }
    label();
  });
})();

// Reading progress: a course page counts as read once opened. Kept in this browser only, in the
// progress record the quiz pages use (templates/static/quiz.js), which checks it on every load.
(() => {
  const page = document.querySelector("[data-page]");
  if (!page) return;
  try {
    const d = new Date();
    const today = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
    const raw = localStorage.getItem("sdp-progress");
    const p = raw ? JSON.parse(raw) : { format: "sdp-progress", version: 1 };
    if (p.format !== "sdp-progress" || p.version !== 1) return;
    p.read = p.read || {};
    p.days = p.days || [];
    if (!p.read[page.dataset.page]) p.read[page.dataset.page] = today;
    if (!p.days.includes(today)) p.days.push(today);
    localStorage.setItem("sdp-progress", JSON.stringify(p));
  } catch (e) { /* storage off or the record unreadable: this visit is not recorded */ }
})();
