// Highlighting a quote by selecting it: fills the highlight form's offsets, source and quote
// from the selection in the notes or transcript. Without this file the same form works by
// pasting the quote; the server finds where it is.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-highlight-form]");
  const texts = [...document.querySelectorAll("[data-highlight-source]")];
  if (!form || !texts.length) {
    return;
  }
  const start = form.querySelector('input[name="start"]');
  const end = form.querySelector('input[name="end"]');
  const quote = form.querySelector('textarea[name="quote"]');
  const hint = document.querySelector("[data-highlight-hint]");

  // Characters from the start of `container` to (node, offset): the text nodes' lengths,
  // which are the stored text's characters since the page renders it without extra spacing.
  const offsetIn = (container, node, offset) => {
    const range = document.createRange();
    range.selectNodeContents(container);
    range.setEnd(node, offset);
    return range.toString().length;
  };

  const pick = () => {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) {
      return;
    }
    const range = selection.getRangeAt(0);
    const container = texts.find((text) => text.contains(range.commonAncestorContainer));
    if (!container) {
      return;
    }
    const from = offsetIn(container, range.startContainer, range.startOffset);
    const to = offsetIn(container, range.endContainer, range.endOffset);
    if (to <= from) {
      return;
    }
    start.value = String(from);
    end.value = String(to);
    quote.value = range.toString();
    const radio = form.querySelector(
      `input[name="source"][value="${container.dataset.highlightSource}"]`,
    );
    if (radio) {
      radio.checked = true;
    }
    if (hint) {
      hint.textContent = "Selected. Check who said it, add tags if you like, and save it as evidence.";
    }
  };

  for (const text of texts) {
    text.addEventListener("mouseup", pick);
    text.addEventListener("keyup", pick);
    text.addEventListener("touchend", pick);
  }
  // A quote typed or edited by hand is looked for in the text instead of the offsets.
  quote.addEventListener("input", () => {
    start.value = "";
    end.value = "";
  });
});
