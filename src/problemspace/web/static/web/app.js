// Progressive enhancement only: every page works without this file.

// On a phone, open filter panels would push the evidence below the fold, so they start folded
// there (their summary says when filters are on), unless a field needs correcting. Without
// JavaScript they simply stay open.
document.addEventListener("DOMContentLoaded", () => {
  if (!window.matchMedia("(max-width: 899px)").matches) {
    return;
  }
  for (const details of document.querySelectorAll("details[data-collapse-on-phone]")) {
    if (!details.querySelector('[aria-invalid="true"]')) {
      details.open = false;
    }
  }
});

// Background jobs: follow an unfinished job's progress, then reload to show how it ended.
// Without JavaScript the page refreshes itself (a meta refresh inside <noscript>).
document.addEventListener("DOMContentLoaded", () => {
  const panel = document.querySelector("[data-job-poll]");
  const url = panel && panel.dataset.jobPoll;
  if (!url) {
    return;
  }
  const field = (name) => panel.querySelector(`[data-job-field="${name}"]`);
  const poll = async () => {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      const job = await response.json();
      if (job.state === "done" || job.state === "failed") {
        window.location.reload();
        return;
      }
      field("state_label").textContent = job.state_label;
      field("stage").textContent = job.stage || "waiting to start";
      field("counter").textContent = job.total
        ? `${job.done.toLocaleString()} of ${job.total.toLocaleString()}`
        : "";
      const bar = field("percent");
      if (job.percent === null) {
        bar.removeAttribute("value");
      } else {
        bar.value = job.percent;
      }
    } catch (error) {
      // A dropped request is retried on the next tick; the page still works by reloading.
    }
    window.setTimeout(poll, 1000);
  };
  window.setTimeout(poll, 1000);
});

// Triage in the inbox: how many cards are ticked, and a box to tick all of them. Without
// JavaScript the same form works; Enter in a text box does that box's action either way.
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form[data-triage]")) {
    const picks = [...form.querySelectorAll("[data-triage-pick]")];
    const count = form.querySelector("[data-triage-count]");
    const all = form.querySelector("[data-triage-all]");
    const bar = form.querySelector(".triage-bulk");
    if (!picks.length || !count) {
      continue;
    }
    const idle = count.textContent;
    const update = () => {
      const ticked = picks.filter((pick) => pick.checked).length;
      count.textContent = ticked ? `${ticked} ticked` : idle;
      bar.dataset.count = String(ticked);
      if (all) {
        all.querySelector("input").checked = ticked === picks.length;
      }
    };
    if (all) {
      all.hidden = false;
      all.querySelector("input").addEventListener("change", (event) => {
        for (const pick of picks) {
          pick.checked = event.target.checked;
        }
        update();
      });
    }
    for (const pick of picks) {
      pick.addEventListener("change", update);
    }
    form.addEventListener("submit", (event) => {
      if (!picks.some((pick) => pick.checked)) {
        event.preventDefault();
        count.textContent = "Tick at least one item first.";
      }
    });
    update();
  }
});

// Capture and import: "Relayed by" only matters for relayed evidence, so it shows when that
// is chosen (or when it needs correcting).
document.addEventListener("DOMContentLoaded", () => {
  for (const group of document.querySelectorAll("[data-provenance]")) {
    const field = group.querySelector(".relayed-by");
    const radios = [...group.querySelectorAll('input[type="radio"]')];
    if (!field) {
      continue;
    }
    const update = () => {
      const relayed = radios.some((radio) => radio.checked && radio.value === "relayed");
      field.hidden = !relayed && !field.querySelector('[aria-invalid="true"]');
    };
    for (const radio of radios) {
      radio.addEventListener("change", update);
    }
    update();
  }
});
