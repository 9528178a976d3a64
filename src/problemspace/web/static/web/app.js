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
