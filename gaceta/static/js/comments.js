// Comments without page reloads. Every form also works without this script.
(function () {
  "use strict";

  function send(form) {
    return fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    }).then(function (response) {
      return response.json().then(function (data) {
        data.ok = response.ok;
        return data;
      });
    });
  }

  function say(form, text, isError) {
    var note = form.querySelector(".comment-note");
    if (!note) {
      note = document.createElement("p");
      note.className = "comment-note";
      note.setAttribute("role", "status");
      form.appendChild(note);
    }
    note.textContent = text || "";
    note.classList.toggle("comment-note--error", Boolean(isError));
  }

  // "Reply" is a link that works without JavaScript (?reply=<id>); here it opens a form in place.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-reply]");
    var template = document.getElementById("reply-form-template");
    if (!link || !template) return;
    event.preventDefault();
    var id = link.getAttribute("data-reply");
    var existing = document.getElementById("comment-body-" + id);
    if (existing) return existing.focus();
    var form = template.content.firstElementChild.cloneNode(true);
    form.querySelector("input[name=parent]").value = id;
    // The template's ids end in "-reply"; each opened form gets its own.
    form.querySelectorAll("[id$='-reply']").forEach(function (el) { el.id = el.id.replace(/reply$/, id); });
    form.querySelectorAll("[for$='-reply']").forEach(function (el) { el.htmlFor = el.htmlFor.replace(/reply$/, id); });
    form.querySelectorAll("[aria-describedby$='-reply']").forEach(function (el) {
      el.setAttribute("aria-describedby", el.getAttribute("aria-describedby").replace(/reply$/, id));
    });
    link.insertAdjacentElement("afterend", form);
    form.querySelector("textarea").focus();
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches("[data-comment-form]")) {
      event.preventDefault();
      send(form).then(function (data) {
        if (!data.ok) return say(form, data.error || data.message, true);
        var holder = document.createElement("div");
        holder.innerHTML = data.html;
        var item = holder.firstElementChild;
        var parentItem = data.parent && document.getElementById("comment-" + data.parent);
        var list = parentItem
          ? parentItem.closest(".comment-list > .comment").querySelector(".comment-replies")
          : document.querySelector("[data-comment-list]");
        var empty = list.querySelector(":scope > .empty");  // "No comments yet": no longer so
        if (empty) empty.remove();
        list.appendChild(item);
        form.reset();
        // The name is chosen now: no form asks for it again.
        var template = document.getElementById("reply-form-template");
        [document, template && template.content].forEach(function (root) {
          if (root) root.querySelectorAll(".comment-form__name").forEach(function (el) { el.remove(); });
        });
        if (data.parent) {
          form.remove();
        } else {
          say(form, data.message, false);
        }
        item.scrollIntoView({ block: "nearest" });
      });
    } else if (form.matches("[data-like-form]")) {
      event.preventDefault();
      send(form).then(function (data) {
        if (!data.ok) return;
        var button = form.querySelector("button");
        button.setAttribute("aria-pressed", data.liked ? "true" : "false");
        form.querySelector("[data-like-count]").textContent = data.likes;
      });
    }
  });
})();
