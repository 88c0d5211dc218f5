// The case page: bring a refusal's summary into view, confirm steps that end the case, and mark the
// fields that one choice makes required (e.g. the §29 contents of a written agreement).
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.scrollIntoView({ block: "start" });
    summary.focus({ preventScroll: true });
  }

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  });

  document.querySelectorAll("[data-required-when]").forEach(function (input) {
    var rule = input.getAttribute("data-required-when").split("=");
    var control = document.getElementById(rule[0]);
    var box = input.closest(".field");
    if (!control || !box) {
      return;
    }
    function sync() {
      var needed = control.value === rule[1];
      input.required = needed;
      input.setAttribute("aria-required", needed ? "true" : "false");
      box.hidden = !needed && !input.value && !box.querySelector(".field-error");
    }
    control.addEventListener("change", sync);
    sync();
  });
})();
