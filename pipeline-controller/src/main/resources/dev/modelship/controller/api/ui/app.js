// The Modelship UI: polls the controller's API and offers promote and abort, nothing more.
"use strict";

function text(value) {
  return value === null || value === undefined ? "" : String(value);
}

function element(tag, attributes, children) {
  const node = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([key, value]) => node.setAttribute(key, value));
  (children || []).forEach(child => node.append(child));
  return node;
}

async function call(method, path, body) {
  const response = await fetch(path, {method, body: body ? JSON.stringify(body) : undefined,
    headers: body ? {"Content-Type": "application/json"} : {}});
  const payload = await response.json();
  if (!response.ok) {
    throw new Error(payload.error || response.statusText);
  }
  return payload;
}

function analysisText(status) {
  const analysis = status.stepAnalysis || status.backgroundAnalysis;
  if (!analysis) {
    return "";
  }
  return analysis.decision.action + ": " + analysis.decision.explanation;
}

function rolloutCard(status) {
  const weight = element("div", {style: "width:" + status.canaryWeight + "%"});
  const promote = element("button", {class: "promote"}, ["Promote"]);
  const promoteFull = element("button", {class: "promote-full"}, ["Promote fully"]);
  const abort = element("button", {class: "abort"}, ["Abort"]);
  const env = status.environment ? "env=" + encodeURIComponent(status.environment) : "";
  promote.onclick = () => act(() => call("POST", "/api/rollouts/" + status.name + "/promote" + (env ? "?" + env : "")));
  promoteFull.onclick = () => act(() => call("POST", "/api/rollouts/" + status.name + "/promote?full=true"
    + (env ? "&" + env : "")));
  abort.onclick = () => {
    const reason = window.prompt("Why abort " + status.name + "?", "aborted from the UI");
    if (reason !== null) {
      act(() => call("POST", "/api/rollouts/" + status.name + "/abort" + (env ? "?" + env : ""), {reason}));
    }
  };
  const hasCanary = Boolean(status.canaryImage);
  [promote, promoteFull, abort].forEach(button => { button.disabled = !hasCanary; });
  return element("div", {class: "rollout", "data-app": status.name, "data-env": text(status.environment)}, [
    element("header", {}, [
      element("strong", {}, [status.name + (status.environment ? " (" + status.environment + ")" : "")]),
      element("span", {class: "phase " + status.phase}, [status.phase]),
      element("span", {class: "step"}, ["step " + status.currentStepIndex + "/" + status.stepCount]),
      element("span", {class: "weight"}, ["canary " + status.canaryWeight + "%"])]),
    element("div", {class: "bar"}, [weight]),
    element("div", {class: "images"}, ["stable " + text(status.stableImage) + (hasCanary ? " | canary " + status.canaryImage : "")]),
    element("div", {class: "message"}, [text(status.message)]),
    status.endpoint ? element("div", {class: "endpoint"}, ["traffic: " + status.endpoint]) : element("div", {}, []),
    element("div", {class: "explanation"}, [analysisText(status)]),
    element("div", {}, [promote, promoteFull, abort])]);
}

function runRow(run) {
  const stages = run.stages.map(stage => stage.stage + " " + stage.status.toLowerCase()).join(", ");
  return element("tr", {class: "run", "data-run": run.id}, [
    element("td", {}, [run.id]), element("td", {}, [stages]),
    element("td", {class: "outcome"}, [run.outcome]), element("td", {}, [text(run.message)])]);
}

async function act(action) {
  try {
    await action();
    document.getElementById("error").textContent = "";
  } catch (e) {
    document.getElementById("error").textContent = e.message;
  }
  refresh();
}

async function refresh() {
  try {
    const [rollouts, runs] = await Promise.all([call("GET", "/api/rollouts"), call("GET", "/api/runs")]);
    const container = document.getElementById("rollouts");
    container.replaceChildren(...(rollouts.length ? rollouts.map(rolloutCard) : [element("p", {}, ["no rollouts yet"])]));
    document.querySelector("#runs tbody").replaceChildren(...runs.slice().reverse().map(runRow));
  } catch (e) {
    document.getElementById("error").textContent = "cannot reach the controller: " + e.message;
  }
}

refresh();
setInterval(refresh, 2000);
