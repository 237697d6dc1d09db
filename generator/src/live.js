// sdp serve: reload this tab when the site is rebuilt; show build errors over the page.
(() => {
  const me = document.currentScript;
  let generation = Number(me.dataset.generation);
  let overlay = null;

  function show(errors) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "sdp-errors";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText =
        "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:99999;" +
        "background:#2b0b0e;color:#ffdede;font:14px/1.5 ui-monospace,monospace;padding:1rem 1.25rem;" +
        "border-top:4px solid #ff5c5c;white-space:pre-wrap";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "Build failed; still showing the last good version.\n\n" + errors.join("\n");
  }

  async function poll() {
    // Tells tests (and the curious) that this tab is listening for rebuilds.
    document.documentElement.dataset.sdpLive = "listening";
    for (;;) {
      try {
        const r = await fetch("/__sdp/wait?g=" + generation, { cache: "no-store" });
        const s = await r.json();
        if (s.generation === generation) continue;
        generation = s.generation;
        if (s.errors.length) show(s.errors);
        else location.reload();
      } catch (e) {
        await new Promise((done) => setTimeout(done, 1000));
      }
    }
  }
  fetch("/__sdp/status", { cache: "no-store" })
    .then((r) => r.json())
    .then((s) => s.errors.length && show(s.errors))
    .catch(() => {});
  poll();
})();
