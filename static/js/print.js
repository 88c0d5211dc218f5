// Print buttons on document pages (no inline handlers: the CSP allows only our own scripts).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
