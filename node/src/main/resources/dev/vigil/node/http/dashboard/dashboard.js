// Vigil guardian dashboard: reads this node's own API (status, guardians, pending, readiness, evidence) every
// two seconds and follows its attestation stream. Nothing is loaded from anywhere else.
"use strict";

const recent = [];          // newest first, at most RECENT_MAX
const RECENT_MAX = 200;

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function row(cells, cls) {
  const tr = el("tr", null, cls);
  for (const c of cells) tr.appendChild(c instanceof Node ? c : el("td", c));
  return tr;
}

function fill(id, rows) {
  const body = document.querySelector("#" + id + " tbody");
  body.replaceChildren(...rows);
}

function short(hex) {
  return hex && hex.length > 20 ? hex.slice(0, 10) + "…" + hex.slice(-8) : hex;
}

async function getJson(path) {
  const r = await fetch(path, { headers: { Accept: "application/json" } });
  const body = await r.json();
  return { status: r.status, body };
}

async function refreshStatus() {
  const { body: s } = await getJson("/v1/status");
  document.getElementById("node").textContent =
    s.nodeName + " · member " + s.selfIndex + " of committee " + s.committeeIndex + " · " + s.version;
  const c = s.counts || {};
  document.getElementById("attestations-total").textContent = c.attestations ?? 0;
  document.getElementById("attested-here").textContent = c.attestedHere ?? 0;
  document.getElementById("pending-total").textContent = (c.pendingLocal ?? 0) + (c.pendingUnseen ?? 0);
  document.getElementById("peers").textContent = c.peersConnected ?? 0;
  fill("committee", (s.peers || []).map(p => {
    const age = p.lastHeartbeatAgeMillis !== null && p.lastHeartbeatAgeMillis !== undefined
      ? Math.round(p.lastHeartbeatAgeMillis / 1000) + " s ago" : "never";
    const counts = p.counts || {};
    return row([
      String(p.signerIndex), el("td", p.address, "mono"), p.nodeName || "", p.reachable ? "yes" : "no",
      age, counts.signed ?? 0, counts.invalidSignatures ?? 0, counts.impersonations ?? 0,
    ], p.reachable ? "" : "stale");
  }));
  fill("chains", (s.chains || []).map(ch => {
    const lag = ch.finalized >= 0 && ch.height >= 0 ? ch.finalized - ch.height : "";
    return row([
      ch.name + " (" + ch.chainId + ")", ch.head, ch.safe, ch.finalized, ch.height, lag,
      ch.rpcErrors ?? 0, el("td", ch.lastError || "", ch.lastError ? "bad" : ""),
    ]);
  }));
}

function windowCell(w) {
  const p = w && w.participation !== null && w.participation !== undefined
    ? (w.participation * 100).toFixed(1) + " %" : "–";
  return el("td", p + " · " + (w ? w.signed + "/" + w.late + "/" + w.missed : "0/0/0"),
    w && w.missed > 0 ? "bad" : "");
}

async function refreshGuardians() {
  const { status, body } = await getJson("/v1/guardians");
  if (status !== 200) throw new Error("/v1/guardians: " + (body.detail || status));
  document.getElementById("grace").textContent = body.graceSeconds ?? 30;
  fill("guardians", (body.guardians || []).map(g => {
    const hb = g.lastHeartbeat ? Math.round(g.lastHeartbeat.ageSeconds) + " s ago" : "never";
    const w = g.windows || {};
    const equivocations = (w.total || {}).equivocations ?? 0;
    return row([
      g.member ? String(g.index) : "former", el("td", g.address, "mono"), g.nodeName || "", hb,
      windowCell(w["10m"]), windowCell(w["1h"]), windowCell(w["24h"]), windowCell(w.total),
      el("td", equivocations, equivocations > 0 ? "bad" : ""),
    ], g.member ? "" : "stale");
  }));
}

async function refreshPending() {
  const { body } = await getJson("/v1/pending");
  fill("pending", (body.pending || []).map(p => row([
    el("td", p.message, "mono"), Math.round(p.ageSeconds) + " s",
    (p.signed || []).join(", "), (p.waitingFor || []).join(", "),
  ])));
}

async function refreshReady() {
  const { body } = await getJson("/readyz");
  const badge = document.getElementById("ready");
  badge.textContent = body.ready ? "READY" : "NOT READY";
  badge.className = "badge " + (body.ready ? "ok" : "bad");
  const causes = (body.checks || []).filter(c => !c.ready).map(c => el("li", c.name + ": " + c.detail));
  document.getElementById("ready-causes").replaceChildren(...causes);
}

async function refreshEvidence() {
  const { body } = await getJson("/v1/evidence");
  document.getElementById("evidence-total").textContent = body.total ?? 0;
  fill("evidence", (body.evidence || []).map(e => row([
    el("td", e.message, "mono"), e.index + " " + e.signer,
    el("td", (e.signed || []).map(x => short(x.digest)).join(" vs "), "mono"),
  ])));
}

function showRecent() {
  fill("recent", recent.map(a => row([
    el("td", a.id, "mono"), el("td", short(a.digest), "mono"), (a.signerIndices || []).join(", "),
  ])));
}

function follow() {
  const source = new EventSource("/v1/attestations/stream");
  source.onmessage = ev => {
    const a = JSON.parse(ev.data);
    recent.unshift(a);
    if (recent.length > RECENT_MAX) recent.pop();
    showRecent();
  };
  // EventSource reconnects by itself after an error.
}

async function search(ev) {
  ev.preventDefault();
  const q = document.getElementById("search").value.trim();
  const out = document.getElementById("search-result");
  if (!q) { out.textContent = ""; return; }
  let found = recent.find(a => a.id === q || a.digest.toLowerCase() === q.toLowerCase());
  if (!found) {
    const path = /^0x[0-9a-fA-F]{64}$/.test(q)
      ? "/v1/attestations/by-digest/" + q
      : "/v1/attestations/" + q.split("/").map(encodeURIComponent).join("/");
    try {
      const { status, body } = await getJson(path);
      if (status === 200) found = body;
      else { out.replaceChildren(el("span", body.detail || body.error || ("HTTP " + status), "bad")); return; }
    } catch (e) {
      out.replaceChildren(el("span", "search failed: " + e, "bad"));
      return;
    }
  }
  out.replaceChildren(
    el("div", "attested: " + found.id, "found"),
    el("div", "digest " + found.digest, "mono"),
    el("div", "signed by members " + (found.signerIndices || []).join(", ")),
  );
}

async function tick() {
  const parts = [refreshStatus(), refreshGuardians(), refreshPending(), refreshReady(), refreshEvidence()];
  const results = await Promise.allSettled(parts);
  const failed = results.filter(r => r.status === "rejected");
  document.getElementById("updated").textContent =
    (failed.length ? "some parts failed to update: " + failed.map(f => f.reason).join("; ") + " · " : "") +
    "updated " + new Date().toLocaleTimeString();
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("search-form").addEventListener("submit", search);
  follow();
  tick();
  setInterval(tick, 2000);
});
