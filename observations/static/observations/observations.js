// Observations: small helpers; every page works without them too.
(function () {
  "use strict";
  // Filter a <select> by typing (the salesperson picker).
  document.querySelectorAll("[data-filter-select]").forEach(function (input) {
    var select = document.getElementById(input.getAttribute("data-filter-select"));
    if (!select) return;
    input.addEventListener("input", function () {
      var needle = input.value.trim().toLowerCase();
      var firstMatch = null;
      Array.prototype.forEach.call(select.options, function (option) {
        if (!option.value) return;
        var match = option.text.toLowerCase().indexOf(needle) !== -1;
        option.hidden = !match;
        if (match && !firstMatch) firstMatch = option;
      });
      if (needle && firstMatch && (select.selectedIndex < 0 || select.options[select.selectedIndex].hidden || !select.value)) {
        select.value = firstMatch.value;
      }
    });
  });
  // A second click on a submit button while the first post is on its way does nothing.
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sending) { event.preventDefault(); return; }
      form.dataset.sending = "1";
      setTimeout(function () { delete form.dataset.sending; }, 8000);
    });
  });
  // Copy the mystery link.
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    button.addEventListener("click", function () {
      var field = document.getElementById(button.getAttribute("data-copy-target"));
      field.select();
      var done = function () { button.textContent = button.getAttribute("data-copied-text"); };
      if (navigator.clipboard) { navigator.clipboard.writeText(field.value).then(done, done); }
      else { document.execCommand("copy"); done(); }
    });
  });
})();
