// The workbench's only script: SPARQL highlighting and completion in the editor, sortable tables.
"use strict";

const KEYWORDS = new Set(("select distinct reduced where from named prefix base optional filter union minus graph service " +
  "bind values order by asc desc limit offset group having as construct describe ask not exists in a " +
  "count sum min max avg sample group_concat separator str lang langmatches datatype bound iri uri bnode " +
  "regex replace contains strstarts strends lcase ucase concat substr strlen year month day now if coalesce " +
  "true false undef").split(" "));

const TOKEN = /(#[^\n]*)|("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|(<[^<>"{}|^`\\\s]*>)|([?$][A-Za-z_][\w]*)|([A-Za-z][\w.-]*)?:((?:[\w\-.]|\\.)*[\w\-])?|(\b\d+(?:\.\d+)?\b)|([A-Za-z_][\w]*)/g;

function escapeHtml(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function highlight(text) {
  let out = "", last = 0, m;
  TOKEN.lastIndex = 0;
  while ((m = TOKEN.exec(text)) !== null) {
    if (m[0] === "") { TOKEN.lastIndex++; continue; }
    out += escapeHtml(text.slice(last, m.index));
    let cls = null;
    if (m[1]) cls = "comment"; else if (m[2]) cls = "str"; else if (m[3]) cls = "iri";
    else if (m[4]) cls = "var"; else if (m[0].includes(":")) cls = "pn"; else if (m[7]) cls = "num";
    else if (m[8] && KEYWORDS.has(m[8].toLowerCase())) cls = "kw";
    out += cls ? `<span class="tok-${cls}">${escapeHtml(m[0])}</span>` : escapeHtml(m[0]);
    last = m.index + m[0].length;
  }
  return out + escapeHtml(text.slice(last)) + "\n";
}

let vocabulary = null;
async function loadVocabulary() {
  if (vocabulary) return vocabulary;
  const answer = await fetch("/api/completions");
  vocabulary = answer.ok ? await answer.json() : { classes: [], properties: [], entities: [] };
  return vocabulary;
}

// Where the cursor is in a triple pattern: what to offer there.
function position(before) {
  const statement = before.split(/[{}.]/).pop();
  const words = statement.replace(/"(?:[^"\\]|\\.)*"/g, " S ").trim().split(/\s+/).filter(Boolean);
  const done = /\s$/.test(statement) ? words : words.slice(0, -1);
  const previous = done[done.length - 1];
  if (previous === "a") return "class";
  if (previous === ";" || done.length === 1 || (previous && previous.endsWith(";"))) return "property";
  return "entity";
}

function candidates(vocab, word, where) {
  const lower = word.toLowerCase();
  const pools = { class: [vocab.classes], property: [vocab.properties], entity: [vocab.entities, vocab.classes] }[where];
  const found = [];
  for (const pool of pools) {
    for (const item of pool) {
      const name = item.name.toLowerCase(), label = (item.label || "").toLowerCase();
      if (!word || name.startsWith(lower) || name.split(":").pop().startsWith(lower) || label.includes(lower)) {
        found.push(item);
        if (found.length >= 60) return found;
      }
    }
  }
  return found;
}

function setUpEditor() {
  const area = document.getElementById("query");
  if (!area) return;
  const code = document.getElementById("highlight");
  const pre = code.parentElement;
  const list = document.getElementById("completions");
  let items = [], active = 0, start = 0;

  const paint = () => { code.innerHTML = highlight(area.value); pre.scrollTop = area.scrollTop; pre.scrollLeft = area.scrollLeft; };
  area.addEventListener("input", paint);
  area.addEventListener("scroll", () => { pre.scrollTop = area.scrollTop; pre.scrollLeft = area.scrollLeft; });
  paint();

  const close = () => { list.hidden = true; items = []; };
  const show = () => {
    list.innerHTML = "";
    items.forEach((item, i) => {
      const li = document.createElement("li");
      li.textContent = item.name;
      if (item.label) { const small = document.createElement("small"); small.textContent = item.label; li.appendChild(small); }
      if (i === active) li.className = "active";
      li.addEventListener("mousedown", (e) => { e.preventDefault(); active = i; accept(); });
      list.appendChild(li);
    });
    const before = area.value.slice(0, area.selectionStart).split("\n");
    const style = getComputedStyle(area);
    const lineHeight = parseFloat(style.lineHeight) || 21, charWidth = parseFloat(style.fontSize) * 0.6;
    list.style.top = `${Math.min(before.length * lineHeight + 10 - area.scrollTop, area.clientHeight)}px`;
    list.style.left = `${Math.max(0, (before[before.length - 1].length - (area.selectionStart - start)) * charWidth + 12 - area.scrollLeft)}px`;
    list.hidden = items.length === 0;
    const current = list.children[active];
    if (current) current.scrollIntoView({ block: "nearest" });
  };
  const accept = () => {
    const item = items[active];
    if (!item) return close();
    const end = area.selectionStart;
    area.setRangeText(item.name + " ", start, end, "end");
    close();
    paint();
    area.focus();
  };
  const complete = async (forced) => {
    const end = area.selectionStart;
    const before = area.value.slice(0, end);
    const m = before.match(/[\w:.\-\\\/]*$/);
    const word = m ? m[0] : "";
    if (!forced && word.length < 2) return close();
    if (/^[?$]/.test(before.slice(end - word.length - 1, end - word.length))) return close();
    start = end - word.length;
    const vocab = await loadVocabulary();
    items = candidates(vocab, word, position(before.slice(0, start)));
    active = 0;
    show();
  };

  area.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); area.form.submit(); return; }
    if (e.key === " " && e.ctrlKey) { e.preventDefault(); complete(true); return; }
    if (list.hidden) return;
    if (e.key === "ArrowDown") { e.preventDefault(); active = (active + 1) % items.length; show(); }
    else if (e.key === "ArrowUp") { e.preventDefault(); active = (active - 1 + items.length) % items.length; show(); }
    else if (e.key === "Enter" || e.key === "Tab") { e.preventDefault(); accept(); }
    else if (e.key === "Escape") { e.preventDefault(); close(); }
  });
  area.addEventListener("input", (e) => {
    if (e.inputType && e.inputType.startsWith("insert") && /[\w:]$/.test(area.value.slice(0, area.selectionStart))) complete(false);
    else if (!list.hidden) complete(false);
  });
  area.addEventListener("blur", () => setTimeout(close, 150));
}

function setUpSorting() {
  for (const table of document.querySelectorAll("table.sortable")) {
    const heads = table.querySelectorAll("th");
    heads.forEach((th, col) => th.addEventListener("click", () => {
      const ascending = !th.classList.contains("asc");
      heads.forEach((h) => h.classList.remove("asc", "desc"));
      th.classList.add(ascending ? "asc" : "desc");
      const body = table.tBodies[0];
      const rows = Array.from(body.rows);
      const text = (row) => (row.cells[col] ? row.cells[col].textContent.trim() : "");
      const numeric = rows.every((r) => text(r) === "" || !isNaN(Number(text(r))));
      rows.sort((a, b) => {
        const x = text(a), y = text(b);
        const order = numeric ? (Number(x) - Number(y)) : x.localeCompare(y, undefined, { numeric: true, sensitivity: "base" });
        return ascending ? order : -order;
      });
      rows.forEach((r) => body.appendChild(r));
    }));
  }
}

// The entity's drawing comes after the page: a first drawing of a large store takes a while.
async function loadDrawing() {
  const box = document.getElementById("drawing");
  if (!box || !box.dataset.src) return;
  const answer = await fetch(box.dataset.src);
  const text = await answer.text();
  if (answer.ok) {
    box.innerHTML = text.slice(Math.max(0, text.indexOf("<svg")));
  } else {
    const error = document.createElement("pre");
    error.className = "error";
    error.textContent = text;
    box.replaceChildren(error);
  }
}

setUpEditor();
setUpSorting();
loadDrawing();
