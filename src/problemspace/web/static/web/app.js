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
