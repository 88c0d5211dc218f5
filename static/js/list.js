// On a phone the case list's filters fold away under their summary, so the first case is on the first
// screen; without JS (or on a wider screen) they stay open.
(function () {
  "use strict";
  if (window.matchMedia("(max-width: 700px)").matches) {
    document.querySelectorAll("details[data-fold-on-phone]").forEach(function (box) {
      box.open = false;
    });
  }
})();
