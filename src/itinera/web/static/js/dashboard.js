// Route page charts (C3): each <canvas data-chart> is drawn with the locally served Chart.js
// from the same figures as the table next to it. Right-to-left pages get rtl legends and tooltips,
// and an x axis that starts on the right.
(function () {
  "use strict";
  var PALETTE = ["#2b7cc9", "#c13838", "#3fa64a", "#e97a2e", "#7e3faf", "#1b9e9e", "#a0761d", "#d1479b"];
  var rtl = document.documentElement.dir === "rtl";

  function draw(canvas) {
    var data = JSON.parse(canvas.dataset.chart);
    var kind = canvas.dataset.kind === "bar" ? "bar" : "line";
    data.datasets.forEach(function (d, i) {
      d.borderColor = PALETTE[i % PALETTE.length];
      d.backgroundColor = PALETTE[i % PALETTE.length];
      d.spanGaps = false;
      d.pointRadius = 2;
    });
    var chart = new Chart(canvas, {
      type: kind,
      data: data,
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        locale: document.documentElement.lang,
        plugins: {
          legend: { display: data.datasets.length > 1, rtl: rtl, textDirection: rtl ? "rtl" : "ltr" },
          tooltip: { rtl: rtl, textDirection: rtl ? "rtl" : "ltr" }
        },
        // a right-to-left reader reads time (and categories) from the right
        // (labels flat there: Chart.js slants them one way only, off the left edge when reversed)
        scales: { x: { reverse: rtl, ticks: { maxRotation: rtl ? 0 : 50 } }, y: { beginAtZero: true, position: rtl ? "right" : "left" } }
      }
    });
    canvas.dataset.rendered = String(chart.data.labels.length);
  }

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    try { draw(canvas); } catch (err) { canvas.dataset.error = String(err); }
  });
})();
