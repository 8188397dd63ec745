// 知识库: drag and drop onto the upload box, and the indexing progress of an upload.
(function () {
  "use strict";
  var cfg = window.PARTYBOT;
  var zone = document.getElementById("drop"), input = document.getElementById("files");
  if (zone && input) {
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (e) {
      input.files = e.dataTransfer.files;
      var names = Array.prototype.map.call(input.files, function (f) { return f.name; });
      document.getElementById("chosen").textContent = "已选：" + names.join("、");
    });
  }
  var list = document.getElementById("job");
  if (!list) { return; }
  var labels = {waiting: "等待中", indexing: "正在编入", done: "完成", failed: "失败"};
  function poll() {
    fetch(cfg.base + "/api/documents/jobs/" + list.dataset.job, {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (job) {
        if (!job) { return; }
        list.innerHTML = "";
        job.files.forEach(function (f) {
          var li = document.createElement("li");
          li.className = f.status;
          li.textContent = f.name + "：" + labels[f.status] + (f.message ? "。" + f.message : "");
          list.appendChild(li);
        });
        if (job.finished) {
          document.getElementById("job-done").hidden = false;
        } else {
          setTimeout(poll, 1000);
        }
      });
  }
  if (list.dataset.finished !== "true") { setTimeout(poll, 500); }
})();
