// Draw every plotly figure on the page: <div data-plotly-src="ID"> reads the figure JSON from
// the <script type="application/json" id="ID"> that Django's json_script wrote. No inline script,
// so the Content Security Policy can stay strict.
(function () {
  "use strict";
  function draw(root) {
    if (typeof Plotly === "undefined") { return; }
    root.querySelectorAll("[data-plotly-src]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-plotly-src"));
      if (!source) { return; }
      var figure = JSON.parse(source.textContent);
      // No mode bar: its buttons cover labels and legends (on a phone the plot itself).
      var config = Object.assign(
        { responsive: true, displaylogo: false, displayModeBar: false }, figure.config || {}
      );
      Plotly.newPlot(el, figure.data || [], figure.layout || {}, config);
    });
  }
  window.asiakaskuntoCharts = { draw: draw };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { draw(document); });
  } else {
    draw(document);
  }
})();
