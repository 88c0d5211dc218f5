// A live character count under every textarea with a maxlength, saying when the limit is hit: the browser
// cuts pasted text at maxlength without a word. The server checks the same limit for clients without JS.
(function () {
  "use strict";

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
      var text = length + " / " + max + " 字";
      var state = "";
      if (length > max) {
        text += "，超出 " + (length - max) + " 字，请删减后再提交";
        state = "over";
      } else if (dropped > 0) {
        text += "，已达上限：粘贴的文字有 " + dropped + " 字超出上限，没有输入";
        state = "over";
      } else if (length === max) {
        text += "，已达上限，不能再输入";
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
