/* govreport workbench (make serve only): the three tables as a form.
 * Totals are summed here from the spec's derived definitions (sent as JSON);
 * every other rule is the server's: the typed cells are posted to
 * /__govreport/api/check, which runs the real checks without writing. */
(() => {
  "use strict";
  const data = JSON.parse(document.getElementById("gov-editor-data").textContent);
  const API = "/__govreport/api/";
  const inputs = new Map(); // cell id -> input
  const at = new Map(); // "table:r:c" -> input (editable or computed)
  const tableOf = (id) => id.split(".")[0];
  const computedIds = new Set();
  const loaded = {}; // cell id -> text in the file when loaded (or last saved)
  const edited = new Set(); // cells the writer changed since then
  const hashes = {}; // table id -> file hash when loaded
  let settingsHash = data.settings_hash;
  const statusEl = document.querySelector(".gov-editor-status");
  const say = (text) => { statusEl.textContent = text; };

  for (const t of data.tables) {
    hashes[t.id] = t.hash;
    for (const c of t.computed) computedIds.add(c.cell);
    Object.assign(loaded, t.values);
  }
  for (const el of document.querySelectorAll("input[data-cell]")) {
    inputs.set(el.dataset.cell, el);
    at.set(`${tableOf(el.dataset.cell)}:${el.dataset.r}:${el.dataset.c}`, el);
  }

  // ---- totals, in the page: a keystroke's total needs no server
  const NUMBER = /^\s*(\d+)(?:\.(\d+))?\s*$/;
  const parse = (text) => {
    const m = NUMBER.exec(text);
    if (!m) return null;
    const decimals = m[2] ? m[2].length : 0;
    return { scaled: BigInt(m[1] + (m[2] || "")), decimals };
  };
  const sum = (texts) => {
    const parts = texts.map(parse);
    if (parts.some((p) => p === null)) return null;
    const d = Math.max(0, ...parts.map((p) => p.decimals));
    let s = 0n;
    for (const p of parts) s += p.scaled * 10n ** BigInt(d - p.decimals);
    if (d === 0) return s.toString();
    const str = s.toString().padStart(d + 1, "0");
    return `${str.slice(0, -d)}.${str.slice(-d)}`;
  };
  const recompute = () => {
    for (const t of data.tables) {
      for (const c of t.computed) {
        const el = inputs.get(c.cell);
        if (!el) continue;
        const value = sum(c.parts.map((p) => (inputs.get(p) ? inputs.get(p).value : "")));
        el.value = value === null ? "" : value;
        el.classList.toggle("gov-editor-unknown", value === null);
        el.title = value === null ? "有格子不是数字，合计无法计算" : "";
      }
    }
  };

  // ---- what to send: the cells the writer changed, by table
  const typed = () => {
    const out = {};
    for (const id of edited) {
      const el = inputs.get(id);
      if (el && el.value !== loaded[id]) out[id] = el.value;
    }
    return out;
  };
  const post = async (what, body) => {
    const r = await fetch(API + what, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Govreport-Token": data.token },
      body: JSON.stringify({ report: data.report, ...body }),
      cache: "no-store",
    });
    let json = {};
    try { json = await r.json(); } catch (e) { json = { error: `服务器没有回答（${r.status}）` }; }
    return { status: r.status, json };
  };

  // ---- findings beside their cells and in the list
  const list = document.querySelector(".gov-editor-findings");
  const show = (findings) => {
    for (const el of document.querySelectorAll(".gov-editor-msg")) el.textContent = "";
    for (const el of inputs.values()) el.classList.remove("gov-editor-error", "gov-editor-warning");
    list.textContent = "";
    const open = findings.filter((f) => !f.waived);
    const errors = open.filter((f) => f.error).length;
    const head = document.createElement("p");
    head.className = "gov-editor-findings-head";
    head.textContent = open.length ? `检查提示：${errors} 个错误，${open.length - errors} 个警告` : "检查通过：没有发现问题";
    list.classList.toggle("gov-editor-findings--ok", !open.length);
    list.appendChild(head);
    const ul = document.createElement("ul");
    for (const f of open) {
      const text = `${f.code} ${f.error ? "错误" : "警告"}：${f.message}（${f.where}）`;
      const li = document.createElement("li");
      li.className = f.error ? "gov-editor-finding--error" : "gov-editor-finding--warning";
      li.dataset.code = f.code;
      const target = f.cell ? inputs.get(f.cell) : f.setting ? document.querySelector(`[data-setting="${f.setting}"]`) : null;
      if (target) {
        const a = document.createElement("a");
        a.href = "#";
        a.className = "gov-editor-goto";
        a.textContent = text;
        a.addEventListener("click", (ev) => { ev.preventDefault(); target.focus(); });
        li.appendChild(a);
      } else {
        li.textContent = text;
      }
      ul.appendChild(li);
      const msg = f.cell ? document.getElementById(`msg-${f.cell}`) : f.setting ? document.querySelector(`[data-finding-for="${f.setting}"]`) : null;
      if (msg) {
        const line = document.createElement("span");
        line.className = "gov-editor-finding";
        line.dataset.code = f.code;
        line.textContent = `${f.code} ${f.message}`;
        msg.appendChild(line);
      }
      if (f.cell && inputs.get(f.cell)) inputs.get(f.cell).classList.add(f.error ? "gov-editor-error" : "gov-editor-warning");
    }
    list.appendChild(ul);
  };

  let seq = 0;
  let timer = 0;
  const check = async () => {
    const mine = ++seq;
    try {
      const { status, json } = await post("check", { cells: typed() });
      if (mine !== seq) return; // a newer keystroke's answer is coming
      if (status === 200) show(json.findings);
      else say(json.error || `检查失败（${status}）`);
    } catch (e) {
      if (mine === seq) say("预览服务没有响应：请确认 make serve 还在运行");
    }
  };
  const changed = (el) => {
    const id = el.dataset.cell;
    if (el.value !== loaded[id]) edited.add(id);
    recompute();
    clearTimeout(timer);
    timer = setTimeout(check, 120);
  };

  // ---- keyboard like a spreadsheet
  const move = (el, dr, dc) => {
    const t = tableOf(el.dataset.cell);
    let r = +el.dataset.r;
    let c = +el.dataset.c;
    for (let i = 0; i < 200; i++) {
      r += dr;
      c += dc;
      if (r < 0 || c < 0 || r > 200 || c > 50) break;
      const next = at.get(`${t}:${r}:${c}`);
      if (next && !next.readOnly && !next.disabled) {
        next.focus();
        next.select();
        return true;
      }
    }
    return false;
  };
  const editable = () => [...inputs.values()].filter((x) => !x.readOnly && !x.disabled);
  const step = (el, by) => {
    const all = editable();
    const next = all[all.indexOf(el) + by];
    if (next) { next.focus(); next.select(); }
  };
  document.addEventListener("keydown", (ev) => {
    const el = ev.target;
    if (!(el instanceof HTMLInputElement) || !el.dataset.cell || el.readOnly) return;
    const atStart = el.selectionStart === 0 && el.selectionEnd === 0;
    const atEnd = el.selectionStart === el.value.length && el.selectionEnd === el.value.length;
    const whole = el.selectionStart === 0 && el.selectionEnd === el.value.length;
    if (ev.key === "Enter") {
      ev.preventDefault();
      if (!move(el, ev.shiftKey ? -1 : 1, 0)) step(el, ev.shiftKey ? -1 : 1);
    } else if (ev.key === "ArrowDown") { ev.preventDefault(); move(el, 1, 0); }
    else if (ev.key === "ArrowUp") { ev.preventDefault(); move(el, -1, 0); }
    else if (ev.key === "ArrowRight" && (atEnd || whole)) { ev.preventDefault(); if (!move(el, 0, 1)) step(el, 1); }
    else if (ev.key === "ArrowLeft" && (atStart || whole)) { ev.preventDefault(); if (!move(el, 0, -1)) step(el, -1); }
  });
  document.addEventListener("focusin", (ev) => {
    const el = ev.target;
    if (el instanceof HTMLInputElement && el.dataset.cell && !el.readOnly) el.select();
  });
  document.addEventListener("input", (ev) => {
    const el = ev.target;
    if (el instanceof HTMLInputElement && el.dataset.cell) changed(el);
  });

  // ---- a block copied from Excel or WPS: tab-separated lines
  document.addEventListener("paste", (ev) => {
    const el = ev.target;
    if (!(el instanceof HTMLInputElement) || !el.dataset.cell || el.readOnly) return;
    const text = (ev.clipboardData || window.clipboardData).getData("text");
    if (!/[\t\n]/.test(text.replace(/\r?\n$/, ""))) return; // one cell: the browser pastes it
    ev.preventDefault();
    const rows = text.replace(/\r\n?/g, "\n").replace(/\n$/, "").split("\n").map((l) => l.split("\t"));
    const t = tableOf(el.dataset.cell);
    const r0 = +el.dataset.r;
    const c0 = +el.dataset.c;
    let filled = 0;
    let skipped = 0;
    rows.forEach((cells, i) => cells.forEach((value, j) => {
      const target = at.get(`${t}:${r0 + i}:${c0 + j}`);
      if (!target || target.readOnly || target.disabled) { skipped++; return; }
      target.value = value.trim();
      if (target.value !== loaded[target.dataset.cell]) edited.add(target.dataset.cell);
      filled++;
    }));
    recompute();
    say(`已粘贴 ${filled} 个格子${skipped ? `（${skipped} 个落在合计或表格之外，未填）` : ""}`);
    clearTimeout(timer);
    timer = setTimeout(check, 0);
  });

  // ---- save, with conflicts shown and chosen
  const dialog = document.querySelector(".gov-editor-conflict");
  let pending = null; // the conflicts of the last save
  const accept = (form) => {
    for (const t of form.tables) {
      hashes[t.id] = t.hash;
      Object.assign(loaded, t.values);
    }
    for (const id of [...edited]) if (inputs.get(id) && inputs.get(id).value === loaded[id]) edited.delete(id);
  };
  const save = async () => {
    const cells = typed();
    const tables = {};
    for (const t of data.tables) tables[t.id] = { hash: hashes[t.id], cells: {} };
    for (const [id, v] of Object.entries(cells)) tables[tableOf(id)].cells[id] = v;
    for (const id of Object.keys(tables)) if (!Object.keys(tables[id].cells).length) delete tables[id];
    if (!Object.keys(tables).length) { say("没有需要保存的修改"); return; }
    say("正在保存……");
    const { status, json } = await post("save", { tables });
    if (status === 200) {
      accept(json.form);
      show(json.findings);
      say(json.saved.length ? `已保存：${json.saved.join("、")}（预览页面随之更新）` : "没有需要保存的修改");
    } else if (status === 409) {
      pending = json.conflicts;
      const body = dialog.querySelector(".gov-editor-conflict-body");
      body.textContent = "";
      const p = document.createElement("p");
      p.textContent = "从打开这个页面以来，下列文件已被其他程序（如 Excel）修改。没有写入任何内容。请选择保留哪一份：";
      body.appendChild(p);
      const ul = document.createElement("ul");
      for (const [tid, t] of Object.entries(pending)) {
        for (const [id, disk] of Object.entries(t.values)) {
          if (disk === loaded[id]) continue;
          const li = document.createElement("li");
          const el = inputs.get(id);
          const label = el ? el.getAttribute("aria-label") : id;
          const mine = edited.has(id) ? `，您填的是 ${el.value}` : "";
          li.textContent = `${label}：打开时是 ${loaded[id] || "（空）"}，文件中现在是 ${disk || "（空）"}${mine}`;
          li.dataset.conflict = id;
          ul.appendChild(li);
        }
        if (!ul.children.length) {
          const li = document.createElement("li");
          li.textContent = `${tid}：文件的写法有改动，数字没有变化`;
          ul.appendChild(li);
        }
      }
      body.appendChild(ul);
      dialog.showModal();
    } else {
      say(json.error || `保存失败（${status}）`);
    }
  };
  const keepMine = async () => {
    dialog.close();
    for (const t of Object.values(pending || {})) {
      hashes[t.id] = t.hash;
      for (const [id, disk] of Object.entries(t.values)) {
        loaded[id] = disk;
        const el = inputs.get(id);
        if (el && !edited.has(id)) el.value = disk; // their change, kept
      }
    }
    pending = null;
    recompute();
    await save();
  };
  document.addEventListener("click", async (ev) => {
    const b = ev.target.closest("[data-action]");
    if (!b) return;
    const action = b.dataset.action;
    if (action === "save") await save();
    else if (action === "keep-mine") await keepMine();
    else if (action === "take-disk") { edited.clear(); location.reload(); }
    else if (action === "commit") {
      if (Object.keys(typed()).length) { say("有未保存的修改：请先点“保存”，再提交"); return; }
      say("正在提交……");
      const { status, json } = await post("commit", {});
      if (status === 200) say(`已提交到分支 ${json.branch}（${json.commit.slice(0, 10)}）：\n${json.message}`);
      else say(json.error || `提交失败（${status}）`);
    } else if (action === "save-settings") {
      const values = {};
      for (const el of document.querySelectorAll("[data-setting]")) values[el.dataset.setting] = el.type === "checkbox" ? el.checked : el.value;
      const { status, json } = await post("settings", { hash: settingsHash, values });
      for (const el of document.querySelectorAll("[data-finding-for]")) el.textContent = "";
      for (const f of json.findings || []) {
        const msg = document.querySelector(`[data-finding-for="${f.setting}"]`);
        if (msg) msg.textContent = `${f.code} ${f.message}`;
      }
      if (status === 200) { settingsHash = json.form.settings_hash; say(json.saved.length ? "报告信息已保存" : "报告信息没有变化"); }
      else if (status === 409) say("report.toml 已被其他程序修改：请重新载入页面后再改");
      else if (status === 422 && (json.findings || []).length) say("报告信息有误，没有保存：见各项下面的提示");
      else say(json.error || `保存失败（${status}）`);
    }
  });
  window.addEventListener("beforeunload", (ev) => {
    if (Object.keys(typed()).length) { ev.preventDefault(); ev.returnValue = ""; }
  });

  recompute();
  check();
})();
