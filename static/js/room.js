// The room, live: catch up from the last sequence seen, then stream in order; reconnect with backoff
// and send again what was not acknowledged (the same client_id is stored once).
(function () {
  "use strict";
  var root = document.getElementById("room");
  if (!root || !window.WebSocket) return;
  var list = document.getElementById("messages");
  var form = document.getElementById("send-form");
  var stateEl = document.getElementById("conn-state");
  var presenceEl = document.getElementById("presence");
  // The no-JavaScript way to newer messages: hidden while live, kept current for when it is not.
  var newer = document.getElementById("newer");
  var newerLink = document.getElementById("newer-link");
  var lastSeq = parseInt(root.dataset.last || "0", 10);
  var me = parseInt(root.dataset.me, 10);
  var socket = null, delay = 500, pending = {};

  function setState(name) {
    stateEl.textContent = root.dataset["state" + name] || "";
    if (newer) newer.hidden = name === "Live";
  }

  function pointNewer(anchorId) {
    if (!newerLink) return;
    newerLink.href = "/rooms/" + root.dataset.room + "?after=" + lastSeq + "#" + anchorId;
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function userText(tag, cls, text) {
    var node = el(tag, cls, text);
    node.dir = "auto";
    if (root.dataset.lang) node.lang = root.dataset.lang;
    return node;
  }

  function render(m) {
    var item = el("li", "message");
    item.id = "m" + m.id;
    item.dataset.id = m.id;
    var meta = el("p", "meta");
    var author = el("strong", "", m.author || root.dataset.former);
    author.dir = "auto";
    meta.appendChild(author);
    if (m.edited) { meta.appendChild(document.createTextNode(" ")); meta.appendChild(el("em", "muted", root.dataset.edited)); }
    item.appendChild(meta);
    if (m.status === "deleted") {
      item.appendChild(el("p", "muted", root.dataset.deleted));
    } else if (m.content_warning) {
      var details = el("details");
      var summary = el("summary");
      summary.appendChild(userText("span", "", m.content_warning));
      details.appendChild(summary);
      details.appendChild(userText("p", "body", m.body));
      item.appendChild(details);
    } else {
      item.appendChild(userText("p", "body", m.body));
    }
    return item;
  }

  function upsert(m) {
    var existing = document.getElementById("m" + m.id);
    var node = render(m);
    if (existing) { existing.replaceWith(node); return; }
    list.appendChild(node);
    pointNewer(node.id);
    node.scrollIntoView({ block: "end" });
  }

  function onFrame(frame) {
    if (typeof frame.seq === "number" && frame.seq > lastSeq) lastSeq = frame.seq;
    if (frame.type === "message" || frame.type === "edited" || frame.type === "redacted") upsert(frame.message);
    else if (frame.type === "reset") { location.reload(); }
    else if (frame.type === "reconnecting") setState("Reconnecting");
    else if (frame.type === "synced") setState("Live");
    else if (frame.type === "deleted") {
      var d = document.getElementById("m" + frame.id);
      if (d) { d.querySelectorAll(".body, details").forEach(function (n) { n.remove(); }); d.appendChild(el("p", "muted", root.dataset.deleted)); }
    } else if (frame.type === "hidden") {
      var h = document.getElementById("m" + frame.id);
      if (h) h.remove();
    } else if (frame.type === "presence") presenceEl.textContent = "\u25CF " + frame.count;
    else if (frame.type === "ack") {
      delete pending[frame.client_id];
      if (frame.status === "held") showNote(frame.message || root.dataset.held, false);
      else {
        var stale = form.querySelector(".live-note");
        if (stale) stale.remove();
        form.elements.body.removeAttribute("aria-invalid"); form.elements.body.removeAttribute("aria-describedby");
      }
    } else if (frame.type === "error") {
      var refused = frame.client_id && pending[frame.client_id];
      if (frame.client_id) delete pending[frame.client_id];
      showNote(frame.message, true);
      if (refused) giveBack(refused);
    }
  }

  function showNote(text, isError) {
    var note = form.querySelector(".live-note") || el("p", "live-note");
    note.id = "live-note";
    note.className = "live-note " + (isError ? "field-error" : "notice");
    note.setAttribute("role", isError ? "alert" : "status");
    note.textContent = text;
    form.insertBefore(note, form.firstChild);
    var body = form.elements.body;
    if (isError) { body.setAttribute("aria-invalid", "true"); body.setAttribute("aria-describedby", "live-note"); }
    else { body.removeAttribute("aria-invalid"); body.removeAttribute("aria-describedby"); }
  }

  // A refused send puts its words back, unless something new was typed meanwhile: nothing is lost.
  function giveBack(sent) {
    var body = form.elements.body, warning = form.elements.content_warning;
    if (body.value) return;
    body.value = sent.body || "";
    if (warning && sent.content_warning) warning.value = sent.content_warning;
    body.focus();
  }

  function connect() {
    setState("Connecting");
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + "/rooms/" + root.dataset.room + "/ws?after=" + lastSeq);
    socket.onopen = function () {
      setState("Live"); delay = 500;
      Object.keys(pending).forEach(function (id) { socket.send(JSON.stringify(pending[id])); });
    };
    socket.onmessage = function (event) {
      try { onFrame(JSON.parse(event.data)); } catch (e) { /* a bad frame is ignored */ }
    };
    socket.onclose = function (event) {
      socket = null;
      setState("Offline");
      if (event.code === 4403 || event.code === 4401) return;  // refused: no point retrying
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 15000);
    };
  }

  form.addEventListener("submit", function (event) {
    if (!socket || socket.readyState !== WebSocket.OPEN) return;  // the plain form post still works
    event.preventDefault();
    var data = new FormData(form);
    var frame = { type: "send", body: data.get("body"), content_warning: data.get("content_warning") || "",
                  client_id: Date.now().toString(36) + Math.random().toString(36).slice(2) };
    pending[frame.client_id] = frame;
    socket.send(JSON.stringify(frame));
    form.reset();
  });

  setInterval(function () {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send('{"type":"ping"}');
  }, 25000);
  connect();
})();
