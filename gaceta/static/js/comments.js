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
        list.appendChild(item);
        form.reset();
        var details = form.closest("details");
        if (details) details.open = false;
        say(form, data.message, false);
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
