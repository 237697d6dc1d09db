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

// Offline reading: register the service worker (written by the build), show whether this page
// is saved, and offer to download the whole course. Not in the authors' preview.
(() => {
  const box = document.querySelector(".offline");
  if (!box || !("serviceWorker" in navigator) || document.querySelector('script[src*="__sdp/"]')) return;
  const base = document.querySelector(".brand").getAttribute("href");
  const status = box.querySelector(".offline-status");
  const button = box.querySelector(".offline-download");
  const saved = async () => {
    const key = location.pathname;
    for (const name of await caches.keys()) {
      if (name.startsWith("sdp-") && (await (await caches.open(name)).match(key))) return true;
    }
    return false;
  };
  const show = async () => {
    box.hidden = false;
    button.hidden = false;
    status.textContent = (await saved()) ? "✓ Available offline." : "Saved for offline reading once loaded.";
  };
  navigator.serviceWorker.register(`${base}sw.js`, { scope: base }).then(() => navigator.serviceWorker.ready).then(() => setTimeout(show, 500)).catch(() => {});
  navigator.serviceWorker.addEventListener("message", (e) => {
    if (e.data?.type !== "download") return;
    status.textContent = e.data.finished
      ? `✓ The whole course is available offline (${e.data.total - e.data.failed} files${e.data.failed ? `, ${e.data.failed} failed: try again` : ""}).`
      : `Downloading for offline reading: ${e.data.done} of ${e.data.total} files…`;
    if (e.data.finished) box.dataset.downloaded = e.data.failed ? "partial" : "true";
  });
  button.addEventListener("click", async () => {
    const registration = await navigator.serviceWorker.ready;
    status.textContent = "Downloading for offline reading…";
    registration.active.postMessage("download");
  });
})();
