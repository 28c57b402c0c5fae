"""The console's one HTML page: markup, style and a small script, all inline (no CDN).

The script draws everything with `textContent`, never as HTML, because dead letters hold
whatever a producer sent.
"""

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Eldercare operations</title>
<link rel="icon" href="data:,">
<style nonce="__NONCE__">
:root {
  --ink: #1d2733; --muted: #5f6b7a; --line: #e3e7ec; --page: #f4f6f8; --card: #fff;
  --ok: #17803d; --ok-bg: #e6f4ea; --warn: #9a6100; --warn-bg: #fff3d6;
  --bad: #b42318; --bad-bg: #fdecea; --accent: #2457c5;
}
* { box-sizing: border-box; }
body {
  margin: 0; background: var(--page); color: var(--ink); font-size: 14px; line-height: 1.4;
  font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC",
    "PingFang SC", "Microsoft YaHei", sans-serif;
}
header {
  display: flex; align-items: baseline; gap: 16px; padding: 14px 24px;
  background: #1d2733; color: #fff;
}
header h1 { margin: 0; font-size: 18px; font-weight: 600; }
header .status { margin-left: auto; font-size: 13px; color: #c9d1db; }
header .status.error { color: #ffb4ab; }
main { padding: 16px 24px 32px; display: grid; gap: 16px; }
section {
  background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px;
}
section h2 {
  margin: 0 0 10px; font-size: 13px; font-weight: 600; text-transform: uppercase;
  letter-spacing: .04em; color: var(--muted);
}
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(230px, 1fr)); gap: 16px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 14px; }
.card h3 { margin: 0 0 10px; font-size: 16px; display: flex; align-items: center; gap: 8px; }
.card dl { display: grid; grid-template-columns: 1fr auto; gap: 4px 12px; margin: 0; }
.card dt { color: var(--muted); }
.card dd { margin: 0; text-align: right; font-variant-numeric: tabular-nums; }
.card.bad { border-color: #f3b7b0; }
.grid2 { display: grid; grid-template-columns: 3fr 2fr; gap: 16px; align-items: start; }
.stack { display: grid; gap: 16px; }
table { width: 100%; border-collapse: collapse; }
th, td {
  padding: 5px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top;
}
th { font-size: 12px; font-weight: 600; color: var(--muted); }
tr:last-child td { border-bottom: none; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.lagging { color: var(--warn); font-weight: 600; }
td.reason { overflow-wrap: anywhere; }
td.nowrap { white-space: nowrap; }
td.muted, .muted { color: var(--muted); }
td.muted { color: #aab3bf; }
.waiting { color: var(--warn); font-weight: 600; }
.mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12px; }
.pill {
  display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px;
  font-weight: 600; white-space: nowrap;
}
.pill.ok { background: var(--ok-bg); color: var(--ok); }
.pill.warn { background: var(--warn-bg); color: var(--warn); }
.pill.bad { background: var(--bad-bg); color: var(--bad); }
.empty { color: var(--muted); font-style: italic; }
button {
  font: inherit; font-size: 12px; padding: 3px 10px; border-radius: 5px; cursor: pointer;
  border: 1px solid #c5ccd6; background: #fff; color: var(--ink);
}
button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
button:disabled { opacity: .5; cursor: default; }
td.actions { white-space: nowrap; text-align: right; }
td.actions button + button { margin-left: 4px; }
#detail pre {
  margin: 8px 0 0; padding: 10px; max-height: 320px; overflow: auto; background: #f7f8fa;
  border: 1px solid var(--line); border-radius: 6px; white-space: pre-wrap;
}
#flash { margin: 0 0 8px; color: var(--muted); }
#flash:empty { display: none; }
#flash.error { color: var(--bad); }
#login { display: flex; gap: 8px; align-items: center; }
#login input { font: inherit; padding: 4px 8px; width: 260px; }
.hidden { display: none !important; }
</style>
</head>
<body data-refresh="__REFRESH__">
<header>
  <h1>Eldercare operations</h1>
  <span id="status" class="status">loading…</span>
</header>
<main>
  <section id="login-section" class="hidden">
    <h2>Sign in</h2>
    <form id="login">
      <label for="token">Operator token</label>
      <input id="token" type="password" autocomplete="off" required>
      <button class="primary" type="submit">Open console</button>
      <span id="login-error" class="empty"></span>
    </form>
  </section>
  <div id="console" class="stack">
    <div id="services" class="cards"></div>
    <div class="grid2">
      <section>
        <h2>Consumer lag</h2>
        <table id="lag">
          <thead><tr><th>Group</th><th>Topic</th><th class="num">Partition</th>
            <th class="num">Committed</th><th class="num">End</th><th class="num">Lag</th>
          </tr></thead>
          <tbody></tbody>
        </table>
      </section>
      <div class="stack">
        <section>
          <h2>Dead letters</h2>
          <table id="dlq-counts">
            <thead><tr><th>Service</th><th class="num">Open</th><th class="num">Replayed</th>
              <th class="num">Discarded</th><th></th></tr></thead>
            <tbody></tbody>
          </table>
        </section>
        <section>
          <h2>Outbox backlog</h2>
          <table id="outbox">
            <thead><tr><th>Service</th><th class="num">Waiting</th><th>Collections</th></tr></thead>
            <tbody></tbody>
          </table>
        </section>
      </div>
    </div>
    <section>
      <h2>Open dead letters</h2>
      <p id="flash"></p>
      <table id="dlq-open">
        <thead><tr><th>Dead-lettered</th><th>Service</th><th>Event</th><th>Origin</th>
          <th>Reason</th><th></th></tr></thead>
        <tbody></tbody>
      </table>
      <div id="detail" class="hidden"></div>
    </section>
    <section>
      <h2>Recent errors</h2>
      <table id="errors">
        <thead><tr><th>When</th><th>Service</th><th>Source</th><th>What</th></tr></thead>
        <tbody></tbody>
      </table>
    </section>
  </div>
</main>
<script nonce="__NONCE__">
"use strict";
const REFRESH_MS = Number(document.body.dataset.refresh) * 1000;
const TOKEN_KEY = "eldercare.ops.token";
let timer = null;

(function tokenFromFragment() {
  const found = location.hash.match(/token=([^&]+)/);
  if (found) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(found[1]));
    history.replaceState(null, "", location.pathname + location.search);
  }
})();

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (name === "class") node.className = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    node.append(child instanceof Node ? child : document.createTextNode(child ?? ""));
  }
  return node;
}

function fill(tableId, rows, emptyText, columns) {
  const body = document.querySelector(`#${tableId} tbody`);
  body.replaceChildren(...(rows.length ? rows
    : [el("tr", {}, el("td", {class: "empty", colspan: String(columns)}, emptyText))]));
}

function when(iso) {
  return iso ? new Date(iso).toLocaleString("sv-SE").slice(0, 19) : "now";
}

function pill(state, ok) {
  const kind = ok ? "ok" : state === "not ready" ? "warn" : "bad";
  return el("span", {class: `pill ${kind}`}, state);
}

async function api(path, options = {}) {
  const headers = {Authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY) || ""}`,
                   Accept: "application/json"};
  if (options.body) headers["Content-Type"] = "application/json";
  const response = await fetch(path, {...options, headers, cache: "no-store"});
  const body = await response.json().catch(() => ({}));
  if (response.status === 401) {
    showLogin(sessionStorage.getItem(TOKEN_KEY) ? body.detail : "");
    throw new Error("sign in to continue");
  }
  if (!response.ok) throw new Error(body.detail || `${response.status} ${response.statusText}`);
  return body;
}

function showLogin(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  document.getElementById("login-error").textContent = message || "";
  document.getElementById("login-section").classList.remove("hidden");
  document.getElementById("console").classList.add("hidden");
}

document.getElementById("login").addEventListener("submit", (event) => {
  event.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, document.getElementById("token").value.trim());
  document.getElementById("login-section").classList.add("hidden");
  document.getElementById("console").classList.remove("hidden");
  refresh();
});

function renderServices(data) {
  const byService = {};
  const entry = (name) => (byService[name] ??= {components: [], lag: 0, open: 0, outbox: 0});
  for (const c of data.health) entry(c.service).components.push(c);
  for (const g of data.lag) {
    const name = g.group.replace(/^eldercare-/, "");
    if (byService[name] && g.total !== null) byService[name].lag += g.total;
  }
  for (const c of data.dead_letters.counts) entry(c.service).open = c.open;
  for (const b of data.outbox) entry(b.service).outbox += b.documents;
  const cards = Object.entries(byService).map(([name, s]) => {
    const healthy = s.components.every((c) => c.ok);
    const rows = s.components.map((c) => [
      el("dt", {}, c.component),
      el("dd", {id: `health-${name}-${c.component}`, title: c.detail || c.target},
         pill(c.state, c.ok))]);
    if (name === "kafka") {
      rows.push([el("dt", {}, "topics"),
                 el("dd", {}, (s.components[0]?.detail || "").replace(/ topics$/, ""))]);
    } else {
      rows.push([el("dt", {}, "consumer lag"), el("dd", {id: `lag-${name}`}, String(s.lag))]);
      rows.push([el("dt", {}, "open dead letters"),
                 el("dd", {id: `dlq-${name}`}, String(s.open))]);
      rows.push([el("dt", {}, "outbox waiting"),
                 el("dd", {id: `outbox-${name}`}, String(s.outbox))]);
    }
    return el("div", {class: healthy ? "card" : "card bad", "data-service": name},
      el("h3", {}, name, healthy ? "" : pill("attention", false)), el("dl", {}, rows.flat()));
  });
  document.getElementById("services").replaceChildren(...cards);
}

function renderLag(data) {
  const rows = [];
  for (const g of data.lag) {
    let first = true;
    if (g.error || !g.partitions.length) {
      rows.push(el("tr", {"data-group": g.group}, el("td", {}, g.group),
        el("td", {class: "empty", colspan: "5"},
           g.error ? `offsets unreadable: ${g.error}` : "no committed offsets yet")));
    }
    for (const p of g.partitions) {
      rows.push(el("tr", {"data-lag": `${g.group}|${p.topic}|${p.partition}`},
        el("td", {class: first ? "" : "muted"}, g.group), el("td", {class: "mono"}, p.topic),
        el("td", {class: "num"}, String(p.partition)),
        el("td", {class: "num"}, p.committed === null ? "–" : String(p.committed)),
        el("td", {class: "num"}, String(p.end)),
        el("td", {class: p.lag > 0 ? "num lagging" : "num"}, String(p.lag))));
      first = false;
    }
  }
  fill("lag", rows, "no consumer groups configured", 6);
}

function renderOutbox(data) {
  const services = {};
  for (const b of data.outbox) (services[b.service] ??= []).push(b);
  fill("outbox", Object.entries(services).map(([service, backlog]) => {
    const waiting = backlog.reduce((sum, b) => sum + b.documents, 0);
    const collections = backlog.map((b) => b.documents > 0
      ? el("span", {class: "waiting"}, `${b.collection} ${b.documents}`) : b.collection);
    return el("tr", {"data-service": service}, el("td", {}, service),
      el("td", {class: waiting > 0 ? "num lagging" : "num", id: `outbox-total-${service}`},
         String(waiting)),
      el("td", {class: "mono muted"}, collections.flatMap((c, i) => i ? [", ", c] : [c])));
  }), "no worker reports an outbox", 3);
}

function renderErrors(data) {
  fill("errors", data.recent_errors.map((e) => el("tr", {},
    el("td", {class: "mono nowrap"}, when(e.at)), el("td", {}, e.service),
    el("td", {class: "nowrap"}, e.source), el("td", {class: "reason"}, e.message))),
    "nothing failing", 4);
}

function renderDeadLetters(data) {
  fill("dlq-counts", data.dead_letters.counts.map((c) => el("tr", {"data-service": c.service},
    el("td", {}, c.service),
    el("td", {class: c.open > 0 ? "num lagging" : "num", id: `dlq-open-${c.service}`},
       String(c.open)),
    el("td", {class: "num"}, String(c.replayed)), el("td", {class: "num"}, String(c.discarded)),
    el("td", {class: "actions"}, c.open > 0
      ? el("button", {type: "button", onclick: () => replayAll(c.service)}, "Replay all open")
      : ""))), "no services configured", 5);
  fill("dlq-open", data.dead_letters.open.map((d) => el("tr", {"data-dead-letter": d.id},
    el("td", {class: "mono nowrap"}, when(d.dead_lettered_at)), el("td", {}, d.service),
    el("td", {class: "mono"}, d.event.type || "(unreadable)"),
    el("td", {class: "mono nowrap"},
       `${d.origin.topic}:${d.origin.partition}@${d.origin.offset}`),
    el("td", {class: "reason"}, d.reason),
    el("td", {class: "actions"},
      el("button", {type: "button", onclick: () => show(d.id)}, "Show"),
      el("button", {type: "button", class: "primary", onclick: () => act(d.id, "replay")},
         "Replay"),
      el("button", {type: "button", onclick: () => act(d.id, "discard")}, "Discard")))),
    "no open dead letters", 6);
}

function flash(message, isError) {
  const node = document.getElementById("flash");
  node.textContent = message;
  node.className = isError ? "error" : "";
}

async function show(id) {
  try {
    const d = await api(`/api/dead-letters/${encodeURIComponent(id)}`);
    const lines = [`id: ${d.id}`, `state: ${d.state}`, `reason: ${d.reason}`,
      `origin: ${d.origin.topic}:${d.origin.partition}@${d.origin.offset}`,
      `consumer group: ${d.consumer_group}`, `dead-lettered: ${when(d.dead_lettered_at)}`,
      `key: ${d.key}`, "", d.value];
    const panel = document.getElementById("detail");
    panel.replaceChildren(el("h2", {}, `Dead letter ${d.id}`),
      el("pre", {class: "mono"}, lines.join("\\n")),
      el("button", {type: "button", onclick: () => panel.classList.add("hidden")}, "Close"));
    panel.classList.remove("hidden");
  } catch (error) { flash(error.message, true); }
}

async function act(id, action) {
  let body = "{}";
  if (action === "discard") {
    const note = prompt(`Discard ${id}? Say why:`);
    if (note === null) return;
    body = JSON.stringify({note});
  } else if (!confirm(`Replay ${id} to its original topic?`)) return;
  try {
    const d = await api(`/api/dead-letters/${encodeURIComponent(id)}/${action}`,
                        {method: "POST", body});
    const where = d.resolution.replayed_to ? ` to ${d.resolution.replayed_to}` : "";
    flash(`${id}: ${d.state}${where}`, false);
  } catch (error) { flash(`${id}: ${error.message}`, true); }
  refresh();
}

async function replayAll(service) {
  if (!confirm(`Replay every open dead letter of ${service}?`)) return;
  try {
    const outcomes = await api("/api/dead-letters/replay",
                               {method: "POST", body: JSON.stringify({service})});
    const done = outcomes.filter((o) => o.outcome.startsWith("replayed")).length;
    flash(`${service}: ${done} of ${outcomes.length} replayed`, done !== outcomes.length);
  } catch (error) { flash(`${service}: ${error.message}`, true); }
  refresh();
}

async function refresh() {
  clearTimeout(timer);
  const status = document.getElementById("status");
  if (!sessionStorage.getItem(TOKEN_KEY)) {
    showLogin("");
    status.textContent = "not signed in";
    return;
  }
  try {
    const data = await api("/api/overview");
    renderServices(data); renderLag(data); renderOutbox(data); renderErrors(data);
    renderDeadLetters(data);
    const every = `refreshes every ${REFRESH_MS / 1000} s`;
    status.textContent = `updated ${when(data.at).slice(11)} · ${every}`;
    status.className = "status";
  } catch (error) {
    status.textContent = `not updated: ${error.message}`;
    status.className = "status error";
  }
  timer = setTimeout(refresh, REFRESH_MS);
}

refresh();
</script>
</body>
</html>
"""


def render_page(nonce: str, refresh_seconds: int) -> str:
    return PAGE.replace("__NONCE__", nonce).replace("__REFRESH__", str(int(refresh_seconds)))
