// The dashboard page: reads /api/services and /api/metrics every REFRESH_MILLIS and redraws.
// Plain browser JavaScript, no build step.
"use strict";

const REFRESH_MILLIS = 2000;

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    node.setAttribute(name, value);
  }
  for (const child of children) {
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function showError(id, message) {
  const node = document.getElementById(id);
  node.textContent = message || "";
  node.hidden = !message;
}

function since(epochMillis) {
  if (!epochMillis) {
    return "";
  }
  const seconds = Math.max(0, Math.round((Date.now() - epochMillis) / 1000));
  if (seconds < 120) {
    return seconds + " s ago";
  }
  const minutes = Math.round(seconds / 60);
  return minutes < 120 ? minutes + " min ago" : Math.round(minutes / 60) + " h ago";
}

function fixed(value, digits) {
  return Number(value || 0).toFixed(digits);
}

function renderServices(data) {
  document.getElementById("zookeeper").textContent =
    data.zooKeeper ? "(ZooKeeper " + data.zooKeeper + ")" : "";
  showError("services-error", data.error);
  const container = document.getElementById("services");
  container.replaceChildren();
  if (!data.services || data.services.length === 0) {
    container.append(el("p", { class: "none" }, "no service is registered"));
    return;
  }
  for (const service of data.services) {
    const table = el("table", { class: "providers", "data-service": service.key });
    table.append(
      el("thead", {},
        el("tr", {},
          el("th", {}, "provider"), el("th", {}, "state"), el("th", { class: "num" }, "weight"),
          el("th", {}, "serializers"), el("th", {}, "started"), el("th", {}, "detail"))));
    const body = el("tbody");
    if (service.providers.length === 0) {
      body.append(el("tr", {}, el("td", { colspan: 6, class: "none" }, "no provider")));
    }
    for (const provider of service.providers) {
      const state = provider.state || "UNKNOWN";
      const detail = provider.error
        || (state === "SERVING" ? "" : (provider.status || "") + ": " + (provider.description || ""));
      body.append(
        el("tr", { class: "provider", "data-address": provider.address, "data-state": state },
          el("td", { class: "address" }, provider.address),
          el("td", {}, el("span", { class: "state " + state }, state)),
          el("td", { class: "num" }, provider.weight),
          el("td", {}, (provider.serializers || []).join(", ") || "any"),
          el("td", { title: provider.startTime ? new Date(provider.startTime).toISOString() : "" },
            since(provider.startTime)),
          el("td", { class: "detail" }, detail)));
    }
    table.append(body);
    container.append(el("h3", {}, service.key), table);
  }
}

function renderMetrics(data) {
  const body = document.querySelector("#metrics tbody");
  body.replaceChildren();
  if (!data.recording) {
    body.append(el("tr", {}, el("td", { colspan: 10, class: "none" },
      "no meter registry was given to the dashboard")));
    return;
  }
  if (data.methods.length === 0) {
    body.append(el("tr", {}, el("td", { colspan: 10, class: "none" }, "no call yet")));
  }
  for (const m of data.methods) {
    const byStatus = Object.entries(m.callsByStatus || {})
      .map(([status, count]) => status + " " + count).join(", ");
    body.append(
      el("tr", { class: "method", "data-key": m.side + "/" + m.service + "/" + m.method },
        el("td", {}, m.side),
        el("td", { class: "service" }, m.service),
        el("td", { class: "method" }, m.method),
        el("td", { class: "num calls" }, m.calls),
        el("td", { class: "num calls-per-second" }, fixed(m.callsPerSecond, 1)),
        el("td", { class: "num errors" + (m.errors > 0 ? " nonzero" : "") }, m.errors),
        el("td", { class: "num errors-per-second" }, fixed(m.errorsPerSecond, 1)),
        el("td", { class: "num p99" }, fixed(m.p99Millis, 2)),
        el("td", { class: "num active" }, m.active),
        el("td", {}, byStatus)));
  }
}

async function getJson(path) {
  const response = await fetch(path, { cache: "no-store" });
  const body = await response.json();
  if (!response.ok && !body.error) {
    body.error = path + ": HTTP " + response.status;
  }
  return body;
}

async function refresh() {
  const [services, metrics] = await Promise.allSettled([
    getJson("api/services"), getJson("api/metrics")]);
  if (services.status === "fulfilled") {
    renderServices(services.value);
  } else {
    showError("services-error", "could not read api/services: " + services.reason);
  }
  if (metrics.status === "fulfilled") {
    showError("metrics-error", "");
    renderMetrics(metrics.value);
  } else {
    showError("metrics-error", "could not read api/metrics: " + metrics.reason);
  }
  document.getElementById("updated").textContent =
    "updated " + new Date().toLocaleTimeString() + ", every " + REFRESH_MILLIS / 1000 + " s";
}

refresh();
setInterval(refresh, REFRESH_MILLIS);
