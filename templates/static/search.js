// Search: a dialog over the site's Pagefind index. "/" opens it, arrows move through results,
// Enter opens one, Esc closes. The index (pagefind.js, its WebAssembly and the chunks a query
// needs) loads on first use, from the network or the offline cache.

const open = document.querySelector(".search-open");
const dialog = document.querySelector(".search-dialog");
if (open && dialog) {
  const base = open.dataset.base;
  const input = dialog.querySelector(".search-input");
  const list = dialog.querySelector(".search-results");
  const status = dialog.querySelector(".search-status");
  const moduleSelect = dialog.querySelector(".search-module");
  const typeSelect = dialog.querySelector(".search-type");
  // Each result shown costs a fragment download: the first query stays small.
  const SHOWN = 6;
  let pagefind;
  let active = -1;
  let generation = 0;

  const load = async () => {
    if (!pagefind) {
      pagefind = await import(`${base}pagefind/pagefind.js`);
      await pagefind.options({ baseUrl: base, excerptLength: 24 });
      const filters = await pagefind.filters();
      const fill = (select, values) => {
        for (const name of Object.keys(values || {}).sort((a, b) => a.localeCompare(b, "en", { numeric: true }))) {
          const option = document.createElement("option");
          option.value = name;
          option.textContent = name;
          select.append(option);
        }
      };
      fill(moduleSelect, filters.module);
      fill(typeSelect, filters.type);
    }
    return pagefind;
  };

  const select = (i) => {
    const items = [...list.children];
    if (items.length === 0) return;
    active = (i + items.length) % items.length;
    items.forEach((li, j) => li.setAttribute("aria-selected", String(j === active)));
    input.setAttribute("aria-activedescendant", items[active].id);
    items[active].scrollIntoView({ block: "nearest" });
  };

  const run = async () => {
    const mine = ++generation;
    const query = input.value.trim();
    const filters = {};
    if (moduleSelect.value) filters.module = moduleSelect.value;
    if (typeSelect.value) filters.type = typeSelect.value;
    if (!query) {
      list.replaceChildren();
      status.textContent = "";
      input.setAttribute("aria-expanded", "false");
      return;
    }
    let pf;
    try {
      pf = await load();
    } catch (e) {
      status.textContent = "Search could not load. Offline? Visit a page once online, or download the course.";
      return;
    }
    const search = await pf.debouncedSearch(query, { filters }, 120);
    if (search === null || mine !== generation) return; // a newer query superseded this one
    const results = await Promise.all(search.results.slice(0, SHOWN).map((r) => r.data()));
    if (mine !== generation) return;
    list.replaceChildren();
    active = -1;
    results.forEach((data, i) => {
      const li = document.createElement("li");
      li.id = `search-result-${i}`;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      const best = (data.sub_results || []).find((s) => s.url !== data.url) || null;
      const a = document.createElement("a");
      a.href = best ? best.url : data.url;
      a.className = "search-hit";
      a.tabIndex = -1;
      const title = document.createElement("span");
      title.className = "search-title";
      title.textContent = data.meta.title || data.url;
      const where = document.createElement("span");
      where.className = "search-where";
      where.textContent = [data.filters?.type?.[0], data.filters?.module?.[0], best ? `§ ${best.title}` : ""].filter(Boolean).join(" · ");
      const excerpt = document.createElement("span");
      excerpt.className = "search-excerpt";
      // Pagefind's excerpt is escaped text with <mark> around the matches.
      excerpt.innerHTML = best ? best.excerpt : data.excerpt;
      a.append(title, where, excerpt);
      li.append(a);
      li.addEventListener("mousemove", () => select(i));
      list.append(li);
    });
    input.setAttribute("aria-expanded", String(results.length > 0));
    status.textContent = results.length === 0 ? `No results for “${query}”.` : `${search.results.length} result${search.results.length === 1 ? "" : "s"}${search.results.length > SHOWN ? `, the first ${SHOWN} shown` : ""}.`;
    if (results.length) select(0);
  };

  const show = () => {
    if (!dialog.open) dialog.showModal();
    input.focus();
    input.select();
    load().catch(() => {});
  };

  open.hidden = false;
  open.addEventListener("click", show);
  dialog.querySelector(".search-close").addEventListener("click", () => dialog.close());
  dialog.addEventListener("click", (e) => { if (e.target === dialog) dialog.close(); });
  input.addEventListener("input", run);
  moduleSelect.addEventListener("change", run);
  typeSelect.addEventListener("change", run);
  input.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown") { e.preventDefault(); select(active + 1); }
    else if (e.key === "ArrowUp") { e.preventDefault(); select(active - 1); }
    else if (e.key === "Enter") {
      e.preventDefault();
      const link = list.children[Math.max(active, 0)]?.querySelector("a");
      if (link) location.href = link.href;
    }
  });
  document.addEventListener("keydown", (e) => {
    const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement?.tagName || "") || document.activeElement?.isContentEditable;
    if (e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      show();
    }
  });
}
