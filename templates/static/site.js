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
