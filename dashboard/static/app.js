/* Pantau dashboard behaviour. No inline scripts anywhere (CSP script-src 'self'): pages carry
   their data in <script type="application/json"> blocks which this file reads.

   A chart is <canvas data-chart="ID"> plus a JSON block with id ID:
     {"type": "line"|"bar"|"doughnut", "labels": [...], "stacked": bool, "horizontal": bool,
      "series": [{"label": str, "data": [num], "color": str, "links": [url per point]}],
      "links": [url per label]}
   Clicking a point, bar or slice opens its link: a search filtered to what was clicked. */
(function () {
  "use strict";

  function readJson(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function linkFor(spec, datasetIndex, index) {
    var series = spec.series[datasetIndex];
    if (series && series.links && series.links[index]) return series.links[index];
    return spec.links ? spec.links[index] : null;
  }

  function drawChart(canvas) {
    var spec = readJson(canvas.getAttribute("data-chart"));
    if (!spec || typeof Chart === "undefined") return;
    var round = spec.type === "doughnut";
    var chart = new Chart(canvas, {
      type: spec.type,
      data: {
        labels: spec.labels,
        datasets: spec.series.map(function (s) {
          return {
            label: s.label, data: s.data, borderColor: s.color, backgroundColor: s.colors || s.color,
            fill: false, tension: 0.25, pointRadius: spec.labels.length > 60 ? 0 : 2, borderWidth: round ? 1 : 2
          };
        })
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        indexAxis: spec.horizontal ? "y" : "x",
        interaction: { mode: round ? "nearest" : "index", intersect: round },
        plugins: { legend: { display: spec.series.length > 1 || round, position: "bottom" } },
        scales: round ? {} : {
          x: { stacked: !!spec.stacked, ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 8 } },
          y: { stacked: !!spec.stacked, beginAtZero: true, ticks: { precision: 0 } }
        },
        onHover: function (evt, elements) {
          evt.native.target.style.cursor = elements.length ? "pointer" : "default";
        },
        onClick: function (evt, elements) {
          var hit = chart.getElementsAtEventForMode(evt.native, "nearest", { intersect: round }, true)[0] || elements[0];
          if (!hit) return;
          var url = linkFor(spec, hit.datasetIndex, hit.index);
          if (url) window.location.assign(url);
        }
      }
    });
    canvas.setAttribute("data-ready", "1");
  }

  /* The query box: put the caret where the parser stopped. */
  function focusQueryError() {
    var input = document.querySelector("input[data-error-at]");
    if (!input) return;
    var at = parseInt(input.getAttribute("data-error-at"), 10);
    input.focus();
    input.setSelectionRange(at, Math.min(at + 1, input.value.length));
  }

  /* Forms that ask before doing something that cannot be undone (removing a rule). */
  function bindConfirm() {
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (evt) {
        if (!window.confirm(form.getAttribute("data-confirm"))) evt.preventDefault();
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("canvas[data-chart]").forEach(drawChart);
    focusQueryError();
    bindConfirm();
  });
})();
