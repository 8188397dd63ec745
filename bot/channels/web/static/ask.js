// 问答: posts what is typed (and photos) to the conversation API and draws the replies.
(function () {
  "use strict";
  var cfg = window.PARTYBOT, log = document.getElementById("log");
  var form = document.getElementById("say"), input = document.getElementById("text");
  var photos = document.getElementById("photos");

  function call(path, body) {
    var headers = {"X-CSRF-Token": cfg.csrf, "Accept": "application/json"};
    if (!(body instanceof FormData)) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(body);
    }
    return fetch(cfg.base + path, {method: "POST", headers: headers, body: body,
                                   credentials: "same-origin"})
      .then(function (r) {
        if (r.status === 401) { location.href = cfg.base + "/login?next=/ask"; return []; }
        return r.json().then(function (data) {
          if (!r.ok) { return [{text: data.detail || "出错了，请稍后重试。", buttons: [], failed: true}]; }
          return data;
        });
      })
      .catch(function () { return [{text: "网络不通，请稍后重试。您输入的内容还在输入框里。", buttons: [], failed: true}]; });
  }

  function line(cls, text) {
    var box = document.createElement("div");
    box.className = "msg " + cls;
    var t = document.createElement("div");
    t.className = "text";
    t.textContent = text;
    box.appendChild(t);
    log.appendChild(box);
    box.scrollIntoView({block: "end"});
    return box;
  }

  // the answering sentence, in 「」 in the text, in bold instead
  function emphasise(box, text, lead) {
    var mark = "「" + lead + "」", at = lead ? text.indexOf(mark) : -1;
    if (at < 0) { return; }
    var t = box.querySelector(".text"), strong = document.createElement("strong");
    strong.textContent = lead;
    t.textContent = "";
    t.appendChild(document.createTextNode(text.slice(0, at)));
    t.appendChild(strong);
    t.appendChild(document.createTextNode(text.slice(at + mark.length)));
  }

  function buttons(box, rows) {
    Array.prototype.forEach.call(box.querySelectorAll(".buttons"), function (b) { b.remove(); });
    (rows || []).forEach(function (row) {
      var div = document.createElement("div");
      div.className = "buttons";
      row.forEach(function (b) {
        var el = document.createElement("button");
        el.type = "button";
        el.textContent = b.label;
        el.addEventListener("click", function () { press(box, b.action, el); });
        div.appendChild(el);
      });
      box.appendChild(div);
    });
  }

  function draw(replies, pressed) {
    replies.forEach(function (r) {
      if (r.notice) { line("bot notice", r.text); return; }
      if (r.replace && pressed) {
        if (r.text) { pressed.querySelector(".text").textContent = r.text; }
        buttons(pressed, r.buttons);
        return;
      }
      var box = line("bot", r.text || "");
      emphasise(box, r.text || "", r.lead || "");
      if (r.attachment) {
        if (r.attachment.kind === "photo") {
          var img = document.createElement("img");
          img.src = r.attachment.data_url;
          img.alt = r.attachment.name;
          box.appendChild(img);
        }
        var a = document.createElement("a");
        a.className = "file";
        a.href = r.attachment.data_url;
        a.download = r.attachment.name;
        a.textContent = "下载 " + r.attachment.name;
        box.appendChild(a);
      }
      buttons(box, r.buttons);
    });
  }

  function press(box, action, el) {
    el.disabled = true;
    call("/api/conversation/presses", {action: action}).then(function (replies) {
      el.disabled = false;
      draw(replies, box);
    });
  }

  function newToken() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID().replace(/-/g, ""); }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim(), files = photos ? photos.files : [];
    if (!text && !files.length) { input.focus(); return; }
    var request;
    if (files.length) {
      var data = new FormData();
      Array.prototype.forEach.call(files, function (f) { data.append("files", f); });
      data.append("caption", text);
      line("me", (text ? text + " " : "") + "［照片 " + files.length + " 张］");
      request = call("/api/conversation/photos", data);
    } else {
      line("me", text);
      // the same token until the message is answered: a retry after a bad signal stores once
      var token = form.querySelector("#submission");
      request = call("/api/conversation/messages", {text: text, submission: token ? token.value : null});
    }
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    var waiting = line("bot waiting", "……");
    request.then(function (replies) {
      waiting.remove();
      button.disabled = false;
      if (replies.length && replies[0].failed) {  // kept, with its token, for the retry
        draw(replies, null);
        return;
      }
      input.value = "";
      if (photos) { photos.value = ""; }
      var answered = form.querySelector("#submission");
      if (answered) { answered.value = newToken(); }
      draw(replies, null);
      input.focus();
    });
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
})();
