// The case page's upload form: say which files were chosen (and refuse too many or too large ones before
// sending), then send them with a progress bar; the answer (the case page) replaces this page.
// Its words come from the script tag's data-text (templates/cases/show.html), in the page's language.
(function () {
  "use strict";
  var words = JSON.parse(document.currentScript.getAttribute("data-text"));
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

  function say(text, values) {
    return text.replace(/\{(\w+)\}/g, function (_, name) { return values[name]; });
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
      return say(words.tooMany, {n: maxFiles});
    }
    var big = list.filter(function (f) { return f.size > maxBytes; });
    if (big.length) {
      return say(words.tooBig, {name: big[0].name, size: mb(big[0].size), most: mb(maxBytes)});
    }
    var empty = list.filter(function (f) { return f.size === 0; });
    return empty.length ? say(words.empty, {name: empty[0].name}) : "";
  }

  function describe() {
    var list = files();
    var total = list.reduce(function (n, f) { return n + f.size; }, 0);
    var why = problem(list);
    var names = list.map(function (f) { return f.name; }).join(words.comma);
    chosen.textContent = list.length ? say(words.chosen, {n: list.length, size: mb(total), names: names}) : "";
    chosen.classList.toggle("field-error", Boolean(why));
    if (why) {
      chosen.textContent += words.stop + why;
    }
  }

  inputs.forEach(function (input) { input.addEventListener("change", describe); });

  form.addEventListener("submit", function (event) {
    var list = files();
    if (!window.XMLHttpRequest || !window.FormData) {
      return; // an old browser posts the form itself
    }
    event.preventDefault();
    var why = list.length ? problem(list) : words.none;
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
        barText.textContent = say(words.sending, {pct: pct, sent: mb(e.loaded), size: mb(e.total)});
      }
    });
    xhr.upload.addEventListener("load", function () {
      barText.textContent = words.checking;
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
      barText.textContent = words.failed;
    });
    xhr.send(new FormData(form));
  });
})();
