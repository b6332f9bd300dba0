// forcecheck what-if panel. The evaluator below is generated from the same node program
// as the Python engine's compiled form (forcecheck/program.py); fact ids reach it as data
// (the JSON block "fc-data"), never as code.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("fc-data").textContent);
  const makeEvaluator = /*EVALUATOR*/;
  const nodes = makeEvaluator(data.constants);
  const STATUS = ["unmet", "unknown", "met"];
  const STATUS_TEXT = ["\u2717 unmet", "? unknown", "\u2713 met"];
  const FACT_TEXT = ["\u2717 false", "? unknown", "\u2713 true"];
  const OUTCOME = ["not_authorized", "undetermined", "authorized"];
  const OUTCOME_TEXT = ["Not authorized", "Undetermined", "Authorized"];

  // A plain object {fact id: true | false | "unknown"} (or a Map) -> every node's code.
  function evaluate(facts) {
    const map = new Map();
    const entries = facts instanceof Map ? facts.entries() : Object.entries(facts);
    for (const [fact, value] of entries) {
      map.set(fact, value === true || value === "true" ? true
        : value === false || value === "false" ? false : null);
    }
    return nodes(map);
  }
  window.forcecheck = { evaluate: evaluate, nodeIds: data.nodeIds, decision: data.decision };

  const panel = document.getElementById("whatif");
  if (!panel) {
    return;
  }
  const start = document.getElementById("fc-start");
  const fieldsets = Array.from(panel.querySelectorAll("fieldset[data-fact]"));
  const treeNodes = Array.from(panel.querySelectorAll("[data-node]"));
  const outcome = document.getElementById("fc-outcome");
  const summary = document.getElementById("fc-changes");
  let baseline = null;
  let given = {};

  function current() {
    const facts = {};
    for (const fieldset of fieldsets) {
      const checked = fieldset.querySelector("input:checked");
      facts[fieldset.dataset.fact] = checked ? checked.value : "unknown";
    }
    return facts;
  }

  function setStatus(element, code, isFact) {
    element.className = "st " + STATUS[code];
    element.textContent = (isFact ? FACT_TEXT : STATUS_TEXT)[code];
  }

  function update() {
    const facts = current();
    const codes = evaluate(facts);
    let changedNodes = 0;
    for (const item of treeNodes) {
      const index = Number(item.dataset.node);
      const code = codes[index];
      const badge = item.querySelector(":scope > .node > .st");
      setStatus(badge, code, item.dataset.kind === "fact");
      const note = item.querySelector(":scope > .node > .changed-note");
      const changed = code !== baseline[index];
      item.classList.toggle("changed", changed);
      if (changed) {
        changedNodes += 1;
        note.textContent = "changed, was " + STATUS[baseline[index]];
      }
    }
    let changedFacts = 0;
    for (const fieldset of fieldsets) {
      const changed = facts[fieldset.dataset.fact] !== (given[fieldset.dataset.fact] || "unknown");
      fieldset.classList.toggle("changed", changed);
      changedFacts += changed ? 1 : 0;
    }
    const code = codes[data.decision];
    outcome.className = "badge " + OUTCOME[code];
    outcome.textContent = OUTCOME_TEXT[code];
    const before = OUTCOME_TEXT[baseline[data.decision]];
    summary.textContent = changedFacts === 0
      ? "No fact changed."
      : changedFacts + (changedFacts === 1 ? " fact" : " facts") + " changed; "
        + changedNodes + (changedNodes === 1 ? " condition node" : " condition nodes")
        + " changed status; outcome was " + before + ".";
  }

  function load() {
    given = data.moments[Number(start.value)].values;
    for (const fieldset of fieldsets) {
      const value = given[fieldset.dataset.fact] || "unknown";
      for (const input of fieldset.querySelectorAll("input")) {
        input.checked = input.value === value;
      }
    }
    baseline = evaluate(given);
    update();
  }

  panel.addEventListener("change", function (event) {
    if (event.target === start) {
      load();
    } else {
      update();
    }
  });
  document.getElementById("fc-reset").addEventListener("click", load);
  panel.hidden = false;
  const fallback = document.getElementById("fc-noscript");
  if (fallback) {
    fallback.hidden = true;
  }
  load();
}());
