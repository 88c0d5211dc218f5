// A live character count under every textarea with a maxlength, saying when the limit is hit: the browser
// cuts pasted text at maxlength without a word. The server checks the same limit for clients without JS.
// Its words come from the script tag's data-text (templates/base.html), in the page's language.
(function () {
  "use strict";
  var words = JSON.parse(document.currentScript.getAttribute("data-text"));

  function say(text, values) {
    return text.replace(/\{(\w+)\}/g, function (_, name) { return values[name]; });
  }

  function setUp(field) {
    var max = parseInt(field.getAttribute("maxlength"), 10);
    if (!(max > 0)) {
      return;
    }
    var note = document.createElement("p");
    note.className = "char-count";
    note.id = (field.id || field.name) + "-count";
    note.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", note);
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", described ? described + " " + note.id : note.id);
    var dropped = 0;

    function show() {
      var length = field.value.length;
      var text = say(words.count, { length: length, max: max });
      var state = "";
      if (length > max) {
        text += say(words.over, { n: length - max });
        state = "over";
      } else if (dropped > 0) {
        text += say(words.dropped, { n: dropped });
        state = "over";
      } else if (length === max) {
        text += words.full;
        state = "full";
      }
      note.textContent = text;
      note.setAttribute("data-state", state);
    }

    field.addEventListener("paste", function (event) {
      var pasted = event.clipboardData ? event.clipboardData.getData("text").length : 0;
      var selected = (field.selectionEnd || 0) - (field.selectionStart || 0);
      dropped = Math.max(0, field.value.length - selected + pasted - max);
    });
    field.addEventListener("input", function () {
      show();
      dropped = 0;
    });
    show();
  }

  document.querySelectorAll("textarea[maxlength]").forEach(setUp);
})();
