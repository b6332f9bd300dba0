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
  // A fact's value in one neutral colour, with no tick or cross: a value is not a failing.
  const FACT_TEXT = ["false", "? unknown", "true"];
  const OUTCOME = ["not_authorized", "undetermined", "authorized"];
  // The immunity view has words of its own ("Immunity likely"), on a neutral badge.
  const OUTCOME_TEXT = data.outcomeText || ["Not authorized", "Open question", "Authorized"];

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
  // Settling (forcecheck/model/settling.py): when values hold every value of an exclusion
  // but one, the last fact takes the other value. {fact: "true" | "false"} -> the values
  // with the settled ones added, which exclusion settled each, and the exclusion broken.
  function settle(values) {
    const current = Object.assign({}, values);
    const settled = {};
    let changed = true;
    while (changed) {
      changed = false;
      for (const exclusion of data.exclusions) {
        const facts = Object.keys(exclusion.facts);
        const holding = facts.filter(function (f) {
          return current[f] === String(exclusion.facts[f]);
        });
        if (holding.length === facts.length) {
          return { values: current, settled: settled, broken: exclusion.id };
        }
        if (holding.length !== facts.length - 1) {
          continue;
        }
        const last = facts.find(function (f) { return holding.indexOf(f) < 0; });
        if (current[last] === "true" || current[last] === "false") {
          continue;
        }
        current[last] = String(!exclusion.facts[last]);
        settled[last] = { exclusion: exclusion.id, because: holding };
        changed = true;
      }
    }
    return { values: current, settled: settled, broken: null };
  }
  window.forcecheck = {
    evaluate: evaluate, settle: settle, nodeIds: data.nodeIds, decision: data.decision
  };

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
  let baselineValues = {};
  // The starting point's values of facts the panel does not offer (kept as they are).
  let hidden = {};
  const offered = new Set(fieldsets.map(function (f) { return f.dataset.fact; }));

  // The values the reader chose (or the account states): a settled fieldset is not a choice.
  function chosen() {
    const facts = Object.assign({}, hidden);
    for (const fieldset of fieldsets) {
      const checked = fieldset.querySelector("input:checked");
      if (checked && checked.value !== "unknown" && !fieldset.dataset.settled) {
        facts[fieldset.dataset.fact] = checked.value;
      }
    }
    return facts;
  }

  // Settle the chosen values, show the settled ones, and grey out every choice that would
  // break an exclusion given the others. Returns the values to evaluate.
  function applySettling(facts) {
    const found = settle(facts);
    for (const fieldset of fieldsets) {
      const fact = fieldset.dataset.fact;
      const how = found.settled[fact];
      const note = fieldset.querySelector(".settled-note");
      if (how) {
        fieldset.dataset.settled = "yes";
        note.textContent = "settled: follows from " + how.because.map(function (f) {
          return f + ": " + found.values[f];
        }).join(", ") + " (exclusion " + how.exclusion + ")";
      } else {
        if (fieldset.dataset.settled) {
          // No longer settled: back to unknown, not to the value settling had set.
          fieldset.querySelector('input[value="unknown"]').checked = true;
        }
        delete fieldset.dataset.settled;
        note.textContent = "";
      }
      const others = Object.assign({}, facts);
      delete others[fact];
      for (const input of fieldset.querySelectorAll("input")) {
        if (how) {
          input.checked = input.value === found.values[fact];
          input.disabled = !input.checked;
        } else if (input.value === "unknown") {
          input.disabled = false;
        } else {
          others[fact] = input.value;
          input.disabled = settle(others).broken !== null;
          delete others[fact];
        }
      }
    }
    return found.values;
  }

  function setStatus(element, code, isFact) {
    element.className = isFact ? "st fact" : "st " + STATUS[code];
    element.textContent = (isFact ? FACT_TEXT : STATUS_TEXT)[code];
  }

  function update() {
    const facts = applySettling(chosen());
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
      const fact = fieldset.dataset.fact;
      const changed = (facts[fact] || "unknown") !== (baselineValues[fact] || "unknown");
      fieldset.classList.toggle("changed", changed);
      changedFacts += changed ? 1 : 0;
    }
    const code = codes[data.decision];
    outcome.className = "badge " + (data.outcomeText ? "view" : OUTCOME[code]);
    outcome.textContent = OUTCOME_TEXT[code];
    const before = OUTCOME_TEXT[baseline[data.decision]];
    summary.textContent = changedFacts === 0
      ? "No fact changed."
      : changedFacts + (changedFacts === 1 ? " fact" : " facts") + " changed; "
        + changedNodes + (changedNodes === 1 ? " condition node" : " condition nodes")
        + " changed status; outcome was " + before + ".";
  }

  function load() {
    const given = data.moments[Number(start.value)].values;
    hidden = {};
    for (const fact of Object.keys(given)) {
      if (!offered.has(fact)) {
        hidden[fact] = given[fact];
      }
    }
    for (const fieldset of fieldsets) {
      delete fieldset.dataset.settled;
      const value = given[fieldset.dataset.fact] || "unknown";
      for (const input of fieldset.querySelectorAll("input")) {
        input.checked = input.value === value;
      }
    }
    baselineValues = settle(given).values;
    baseline = evaluate(baselineValues);
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
