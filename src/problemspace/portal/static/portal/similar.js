// Similar posts while a customer types a new one, so they can vote for an existing post
// instead of writing it again. Without this file the form still works: the server shows
// the similar posts after a first "Continue" and asks before storing.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-similar-url]");
  if (!form) {
    return;
  }
  const url = form.dataset.similarUrl;
  const title = form.querySelector('input[name="title"]');
  const body = form.querySelector('textarea[name="body"]');
  const panel = document.querySelector("[data-similar-panel]");
  const list = panel && panel.querySelector("ul");
  const reviewed = form.querySelector('input[name="reviewed"]');
  if (!url || !title || !body || !panel || !list || !reviewed) {
    return;
  }
  let timer = 0;
  let asked = "";

  const show = (posts) => {
    list.replaceChildren(
      ...posts.map((post) => {
        const item = document.createElement("li");
        const link = document.createElement("a");
        link.href = post.url;
        // textContent, never innerHTML: titles are what customers typed.
        link.textContent = post.title;
        item.append(link, ` (${post.votes} vote${post.votes === 1 ? "" : "s"})`);
        return item;
      }),
    );
    panel.hidden = posts.length === 0;
  };

  const ask = async () => {
    const text = `${title.value}\n\n${body.value}`.trim();
    if (text.length < 8 || text === asked) {
      return;
    }
    asked = text;
    try {
      const response = await fetch(`${url}?${new URLSearchParams({ q: text })}`, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) {
        return;
      }
      const data = await response.json();
      show(data.posts || []);
      // The customer has seen what exists, so the server need not ask again on submit.
      reviewed.value = "1";
    } catch (error) {
      // No suggestions this time; the server still shows them before storing.
    }
  };

  const later = () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(ask, 400);
  };
  title.addEventListener("input", later);
  body.addEventListener("input", later);
});
