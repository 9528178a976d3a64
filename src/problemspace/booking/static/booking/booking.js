// Progressive enhancement only: the pages work without this file.

// The first visit to a booking page shows times in the schedule's own zone; when the browser
// knows the visitor's zone and it differs, switch to it (once: a chosen zone sticks in the URL).
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("[data-zone-form]");
  const select = form && form.querySelector("[data-zone-select]");
  if (!select || new URLSearchParams(window.location.search).has("tz")) {
    return;
  }
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!browserZone || browserZone === select.value) {
    return;
  }
  if ([...select.options].some((option) => option.value === browserZone)) {
    select.value = browserZone;
    form.submit();
  }
});

// Copy buttons: copy the text of the field they name, and say so.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) {
    return;
  }
  const field = document.getElementById(button.dataset.copy);
  if (!field) {
    return;
  }
  const label = button.textContent;
  try {
    await navigator.clipboard.writeText(field.value);
    button.textContent = "Copied";
  } catch {
    field.select();
    button.textContent = "Press Ctrl+C to copy";
  }
  setTimeout(() => {
    button.textContent = label;
  }, 2000);
});
