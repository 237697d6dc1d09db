// The widget loader. Each widget is already drawn in the HTML (pre-rendered at build time).
// When one comes near the screen, this fetches that widget's own WebAssembly, takes over its
// markup and makes it interactive. The contract with widgets (see widgets/core/src/lib.rs):
// elements with data-ev send events; the widget draws its body again after each one.
const manifest = JSON.parse(document.getElementById("sdp-widgets").textContent);
const reducedMotion = matchMedia("(prefers-reduced-motion: reduce)");
const modules = new Map();

function load(name) {
  if (!modules.has(name)) {
    const { js, wasm } = manifest[name];
    modules.set(name, import(js).then(async (mod) => {
      await mod.default({ module_or_path: wasm });
      return mod;
    }));
  }
  return modules.get(name);
}

const keyOf = (el) => el && el.dataset && el.dataset.ev ? [el.dataset.ev, el.dataset.arg ?? ""] : null;

function focusBack(body, key) {
  if (!key) return;
  const sel = `[data-ev="${CSS.escape(key[0])}"]` + (key[1] ? `[data-arg="${CSS.escape(key[1])}"]` : ":not([data-arg])");
  const el = body.querySelector(sel);
  if (el) el.focus();
}

async function mount(fig) {
  const body = fig.querySelector(".widget-body");
  const status = fig.querySelector(".widget-status");
  const share = fig.querySelector(".widget-share");
  let widget;
  try {
    const mod = await load(fig.dataset.widget);
    const prefix = "#" + fig.id + ".";
    const fragment = location.hash.startsWith(prefix) ? location.hash.slice(prefix.length) : "";
    widget = new mod.Handle(fig.dataset.config, fragment);
    const notice = widget.notice();
    if (notice) status.textContent = notice;
  } catch (e) {
    status.textContent = "This widget could not start in your browser; the picture above is its starting state.";
    return;
  }

  const draw = () => {
    const inside = body.contains(document.activeElement);
    const key = inside ? keyOf(document.activeElement) : null;
    body.innerHTML = widget.view();
    if (inside) focusBack(body, key);
  };
  // Draw after the browser has finished moving focus (a change can come from Tab leaving a field).
  const send = (name, value) => {
    widget.event(name, value);
    if (reducedMotion.matches) widget.tick(1e9);
    setTimeout(draw, 0);
  };
  draw();

  body.addEventListener("click", (e) => {
    const el = e.target.closest("button[data-ev]");
    if (!el || !body.contains(el)) return;
    // A button may send the text of a field it names (data-value-from), such as an import box.
    const from = el.dataset.valueFrom && body.querySelector(`[name="${CSS.escape(el.dataset.valueFrom)}"]`);
    send(el.dataset.ev, from ? from.value : (el.dataset.arg ?? ""));
  });
  body.addEventListener("change", (e) => {
    const el = e.target.closest("input[data-ev], select[data-ev]");
    if (!el) return;
    const value = el.type === "checkbox" ? String(el.checked) : el.value;
    send(el.dataset.ev, el.dataset.arg !== undefined ? el.dataset.arg + "|" + value : value);
  });
  body.addEventListener("keydown", (e) => {
    // Enter in a text or number field applies it at once.
    if (e.key === "Enter" && e.target.matches("input[data-ev]")) e.target.dispatchEvent(new Event("change", { bubbles: true }));
  });

  share.hidden = false;
  share.addEventListener("click", async () => {
    const url = location.origin + location.pathname + location.search + "#" + fig.id + "." + widget.fragment();
    history.replaceState(null, "", url);
    try {
      await navigator.clipboard.writeText(url);
      status.textContent = "Link copied: it opens this widget as it is now.";
    } catch (e) {
      status.textContent = "The address bar now holds a link to this widget as it is now.";
    }
  });

  // Animation, for widgets that have it: runs only while on screen and motion is welcome.
  let visible = true, last = 0, running = false;
  const frame = (t) => {
    if (!visible || reducedMotion.matches) { running = false; return; }
    if (widget.tick(last ? t - last : 0)) draw();
    last = t;
    requestAnimationFrame(frame);
  };
  const start = () => { if (!running && visible && !reducedMotion.matches) { running = true; last = 0; requestAnimationFrame(frame); } };
  new IntersectionObserver(([entry]) => { visible = entry.isIntersecting; start(); }).observe(fig);
  reducedMotion.addEventListener("change", start);
  fig.dataset.ready = "true";
}

const near = new IntersectionObserver((entries) => {
  for (const entry of entries) {
    if (entry.isIntersecting) {
      near.unobserve(entry.target);
      mount(entry.target);
    }
  }
}, { rootMargin: "300px 0px" });

for (const fig of document.querySelectorAll("figure.widget[data-widget]")) {
  if (manifest[fig.dataset.widget]) near.observe(fig);
}
