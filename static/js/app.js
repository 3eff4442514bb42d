// Small enhancements only: every page works without this file.
(function () {
  "use strict";

  // Quick exit: cover the page at once, then leave without adding a history entry.
  function quickExit(event) {
    if (event) event.preventDefault();
    var cover = document.createElement("div");
    cover.className = "exit-cover";
    document.body.appendChild(cover);
    document.title = "";
    location.replace("/exit");
  }
  var exitLink = document.getElementById("quick-exit");
  if (exitLink) exitLink.addEventListener("click", quickExit);

  // What only this script makes true is said only once it runs: the Shift shortcut below.
  if (exitLink && exitLink.dataset.shortcutTitle) exitLink.title = exitLink.dataset.shortcutTitle;
  Array.prototype.forEach.call(document.querySelectorAll(".js-only"), function (el) { el.hidden = false; });

  // Shift three times within five seconds; any other key starts the count again.
  var presses = [];
  var dots = document.getElementById("exit-dots");
  function showDots(count) {
    if (dots) dots.textContent = count ? new Array(count + 1).join("\u2022") : "";
  }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift") {
      presses = [];
      showDots(0);
      return;
    }
    if (event.repeat) return;
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < 5000; });
    presses.push(now);
    showDots(presses.length);
    if (presses.length >= 3) quickExit();
  });

  // Minimal history: moving within the site replaces the current entry instead of adding one.
  function sameSite(url) { return url.origin === location.origin; }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href]") : null;
    if (!link || event.defaultPrevented || event.button !== 0) return;
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    if (link.target || link.hasAttribute("download") || link.dataset.history === "keep") return;
    var url = new URL(link.href, location.href);
    if (!sameSite(url)) return;
    if (url.pathname === location.pathname && url.search === location.search && url.hash) return;
    event.preventDefault();
    location.replace(url.href);
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || form.dataset.history === "keep") return;
    var action = new URL(form.getAttribute("action") || location.href, location.href);
    if (!sameSite(action)) return;
    event.preventDefault();
    var data = new FormData(form);
    if (event.submitter && event.submitter.name) data.append(event.submitter.name, event.submitter.value);
    var fields = new URLSearchParams(data);
    if ((form.getAttribute("method") || "get").toLowerCase() === "get") {
      action.search = fields.toString();
      location.replace(action.href);
      return;
    }
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (b) { b.disabled = true; });
    fetch(action.href, { method: "POST", body: fields, credentials: "same-origin" })
      .then(function (response) {
        if ((response.headers.get("content-type") || "").indexOf("text/html") !== 0) {
          location.replace(response.url);
          return;
        }
        return response.text().then(function (html) {
          var url = response.url;
          document.open();
          document.write(html);
          document.close();
          // After document.open(), which resets the address to the page that submitted.
          history.replaceState(null, "", url);
        });
      })
      .catch(function () {
        buttons.forEach(function (b) { b.disabled = false; });
        var note = form.querySelector(".offline") || document.createElement("p");
        note.className = "offline field-error";
        note.setAttribute("role", "alert");
        note.textContent = document.body.dataset.offline || "";
        form.appendChild(note);
      });
  });
})();
