// Keyboard access to tables that scroll sideways (a wide table on a phone): a region that
// scrolls must be focusable so that the arrow keys can scroll it (WCAG 2.1.1). Only regions
// that really overflow get a tab stop.
(function () {
  "use strict";
  function focusable() {
    document.querySelectorAll(".table-responsive").forEach(function (region) {
      if (region.scrollWidth > region.clientWidth) {
        region.setAttribute("tabindex", "0");
      } else if (region.getAttribute("tabindex") === "0") {
        region.removeAttribute("tabindex");
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusable);
  } else {
    focusable();
  }
  window.addEventListener("resize", focusable);
})();
