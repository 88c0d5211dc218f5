// The case page's upload form: say which files were chosen (and refuse too many or too large ones before
// sending), then send them with a progress bar; the answer (the case page) replaces this page.
(function () {
  "use strict";
  var form = document.querySelector("form[data-upload]");
  if (!form) {
    return;
  }
  var maxBytes = Number(form.getAttribute("data-max-bytes"));
  var maxFiles = Number(form.getAttribute("data-max-files"));
  var inputs = form.querySelectorAll("input[type=file]");
  var chosen = form.querySelector("[data-chosen]");
  var bar = form.querySelector("[data-progress]");
  var barText = form.querySelector("[data-progress-text]");
  var button = form.querySelector("button[type=submit]");

  function mb(bytes) {
    return (bytes / 1048576).toFixed(1) + " MB";
  }

  function files() {
    var all = [];
    inputs.forEach(function (input) {
      Array.prototype.forEach.call(input.files || [], function (f) { all.push(f); });
    });
    return all;
  }

  function problem(list) {
    if (list.length > maxFiles) {
      return "一次最多上传 " + maxFiles + " 个文件。";
    }
    var big = list.filter(function (f) { return f.size > maxBytes; });
    if (big.length) {
      return big[0].name + " 大小 " + mb(big[0].size) + "，超过上限 " + mb(maxBytes) + "。";
    }
    var empty = list.filter(function (f) { return f.size === 0; });
    return empty.length ? empty[0].name + " 是空文件（0 字节）。" : "";
  }

  function describe() {
    var list = files();
    var total = list.reduce(function (n, f) { return n + f.size; }, 0);
    var why = problem(list);
    chosen.textContent = list.length
      ? "已选择 " + list.length + " 个文件（" + mb(total) + "）：" + list.map(function (f) { return f.name; }).join("、")
      : "";
    chosen.classList.toggle("field-error", Boolean(why));
    if (why) {
      chosen.textContent += "。" + why;
    }
  }

  inputs.forEach(function (input) { input.addEventListener("change", describe); });

  form.addEventListener("submit", function (event) {
    var list = files();
    if (!window.XMLHttpRequest || !window.FormData) {
      return; // an old browser posts the form itself
    }
    event.preventDefault();
    var why = list.length ? problem(list) : "请选择要上传的文件。";
    if (why) {
      chosen.textContent = why;
      chosen.classList.add("field-error");
      return;
    }
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    bar.hidden = false;
    button.disabled = true;
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) {
        var pct = Math.round((e.loaded / e.total) * 100);
        bar.value = pct;
        barText.textContent = "正在上传：" + pct + "%（" + mb(e.loaded) + " / " + mb(e.total) + "）";
      }
    });
    xhr.upload.addEventListener("load", function () {
      barText.textContent = "上传完成，正在检查和保存……";
    });
    xhr.addEventListener("load", function () {
      var url = xhr.responseURL || window.location.href;
      if (xhr.status < 400) {
        window.history.replaceState(null, "", url.split("#")[0] + "#attachments");
      }
      document.open();
      document.write(xhr.responseText);
      document.close();
    });
    xhr.addEventListener("error", function () {
      bar.hidden = true;
      button.disabled = false;
      barText.textContent = "网络中断，文件未上传，请重试。";
    });
    xhr.send(new FormData(form));
  });
})();
