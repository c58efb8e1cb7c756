// Ask: stream the answer (sources first, then each sentence) instead of reloading the page.
// Without JavaScript, or without EventSource, the form's plain GET shows the same answer.
(function () {
  "use strict";
  var form = document.querySelector(".ask-form");
  if (!form || !window.EventSource || !window.fetch) return;
  var result = document.getElementById("ask-result");

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text) node.textContent = text;
    return node;
  }
  function date(iso) {
    return new Date(iso + "T12:00:00").toLocaleDateString(undefined, { year: "numeric", month: "long", day: "numeric" });
  }
  function cite(paragraph, numbers) {
    // A word joiner keeps the first marker on the line of the sentence's last word.
    paragraph.appendChild(document.createTextNode("\u2060"));
    numbers.forEach(function (n) {
      paragraph.appendChild(el("a", { "class": "ask-cite", href: "#source-" + n, "aria-label": "source " + n }, "[" + n + "]"));
    });
    paragraph.appendChild(document.createTextNode(" "));
  }
  function sources(list) {
    var ol = el("ol", { "class": "ask-sources" });
    list.forEach(function (c) {
      var li = el("li", { id: "source-" + c.n, value: String(c.n) });
      li.appendChild(el("a", { href: c.url }, c.title));
      li.appendChild(el("span", { "class": "ask-meta" }, (c.section ? c.section + " · " : "") + date(c.published)));
      if (c.quote) li.appendChild(el("blockquote", { "class": "ask-quote" }, c.quote));
      ol.appendChild(li);
    });
    return ol;
  }
  function links(items, heading, className) {
    if (!items.length) return;
    if (heading) result.appendChild(el("h2", { "class": "ask-heading" }, heading));
    var ul = el("ul", { "class": className });
    items.forEach(function (item) {
      var li = el("li");
      li.appendChild(el("a", { href: item.url }, item.title));
      if (item.published) {  // as answers/answer.html writes it
        var meta = el("span", { "class": "ask-meta" }, " " + date(item.published));
        if (item.locked) {
          meta.appendChild(document.createTextNode(" · "));
          meta.appendChild(el("span", { "class": "ask-locked" }, "for subscribers"));
        }
        li.appendChild(meta);
      }
      ul.appendChild(li);
    });
    result.appendChild(ul);
  }
  function voteForm(token) {
    var box = el("form", { "class": "ask-vote", action: form.dataset.vote, method: "post" });
    box.appendChild(el("span", {}, "Was this answer helpful?"));
    ["yes", "no"].forEach(function (value) {
      var button = el("button", { type: "button" }, value === "yes" ? "Yes" : "No");
      button.addEventListener("click", function () {
        var body = new FormData();
        body.append("token", token);
        body.append("helpful", value);
        fetch(form.dataset.vote, { method: "POST", body: body, headers: { Accept: "application/json" } })
          .then(function (response) {
            // As the page without JavaScript says it (answers/voted.html).
            box.textContent = response.ok ? "Thank you." : "That vote was not counted: each answer takes one vote, within a week of asking.";
          }, function () { box.textContent = "The vote could not be sent; please try again later."; });
      });
      box.appendChild(button);
    });
    result.appendChild(box);
  }
  function declined(related) {
    if (related.some(function (story) { return story.locked; })) {
      return "The stories you can read don’t answer that; one for subscribers may. These come closest:";
    }
    return "The archive doesn’t answer that." + (related.length ? " These stories come closest:" : "");
  }
  function renderWhole(answer, paragraph) {
    result.textContent = "";
    paragraph = el("p", { "class": answer.answered ? "ask-answer" : "ask-declined" });
    result.appendChild(paragraph);
    if (!answer.answered) {
      paragraph.textContent = declined(answer.related);
      return paragraph;
    }
    answer.sentences.forEach(function (s) { paragraph.appendChild(document.createTextNode(s.text)); cite(paragraph, s.citations); });
    result.appendChild(el("h2", { "class": "ask-heading" }, "Sources"));
    result.appendChild(sources(answer.citations));
    return paragraph;
  }

  form.addEventListener("submit", function (event) {
    var question = form.elements.q.value.trim();
    if (!question) return;
    event.preventDefault();
    history.pushState(null, "", form.action + "?q=" + encodeURIComponent(question));
    result.textContent = "";
    var status = el("p", { "class": "ask-status" }, "Looking through the archive…");
    result.appendChild(status);
    var paragraph = el("p", { "class": "ask-answer" });
    var stream = new EventSource(form.dataset.stream + "?q=" + encodeURIComponent(question));
    var answered = false;
    stream.addEventListener("sources", function (e) {
      var data = JSON.parse(e.data);
      result.insertBefore(paragraph, status);
      if (data.citations.length) {
        result.appendChild(el("h2", { "class": "ask-heading" }, "Sources"));
        result.appendChild(sources(data.citations));
      }
    });
    stream.addEventListener("sentence", function (e) {
      var s = JSON.parse(e.data);
      answered = true;
      paragraph.appendChild(document.createTextNode(s.text));
      cite(paragraph, s.citations);
    });
    stream.addEventListener("replace", function (e) {
      var answer = JSON.parse(e.data);
      answered = answer.answered;
      paragraph = renderWhole(answer);
      result.appendChild(status);
    });
    stream.addEventListener("done", function (e) {
      var data = JSON.parse(e.data);
      stream.close();
      status.remove();
      if (!data.answered) {
        result.textContent = "";
        result.appendChild(el("p", { "class": "ask-declined" }, declined(data.related)));
      }
      links(data.related, data.answered ? "Related stories" : "", "ask-related");
      links(data.followups.map(function (q) { return { title: q, url: form.action + "?q=" + encodeURIComponent(q) }; }), "Ask next", "ask-followups");
      if (data.vote_token) voteForm(data.vote_token);
    });
    stream.onerror = function () {
      stream.close();
      // The stream failed (a limit, a network error): let the plain page say why.
      if (!answered) window.location = form.action + "?q=" + encodeURIComponent(question);
    };
  });
})();
