/* Draw the statistics charts from the JSON embedded in the page (no inline scripts); the series' names
   come with it, in the page's language. */
(function () {
  "use strict";
  var source = document.getElementById("stats-data");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var red = "#8b1a1a";
  var green = "#2f7d4f";
  var palette = ["#8b1a1a", "#c2410c", "#2f7d4f", "#1d4ed8", "#8a6d00", "#6b21a8", "#0f766e", "#be185d",
    "#4b5563", "#b45309", "#15803d", "#1e40af", "#9f1239", "#3f6212", "#57534e"];
  var common = { responsive: true, maintainAspectRatio: false, animation: false };

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (canvas) {
      new window.Chart(canvas, config);
    }
  }

  draw("chart-trend", {
    type: "line",
    data: {
      labels: data.trend.labels,
      datasets: [
        { label: data.names.accepted, data: data.trend.accepted, borderColor: red, backgroundColor: red, tension: 0.2 },
        { label: data.names.success, data: data.trend.success, borderColor: green, backgroundColor: green, tension: 0.2 }
      ]
    },
    options: Object.assign({ scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }, common)
  });

  // Every category keeps its label: one bar row of 26px each (never fewer than the box's 260px), and no
  // skipping of labels by Chart.js, whatever the width of the screen.
  var categoriesBox = document.getElementById("chart-categories");
  if (categoriesBox) {
    categoriesBox.parentElement.style.height = Math.max(260, 40 + 26 * data.categories.labels.length) + "px";
  }
  draw("chart-categories", {
    type: "bar",
    data: {
      labels: data.categories.labels,
      datasets: [{ label: data.names.accepted, data: data.categories.accepted, backgroundColor: red }]
    },
    options: Object.assign({ indexAxis: "y", plugins: { legend: { display: false } },
      scales: { x: { beginAtZero: true, ticks: { precision: 0 } }, y: { ticks: { autoSkip: false } } } }, common)
  });

  draw("chart-tiers", {
    type: "doughnut",
    data: {
      labels: data.tiers.labels,
      datasets: [{ label: data.names.accepted, data: data.tiers.accepted, backgroundColor: palette.slice(0, data.tiers.labels.length) }]
    },
    options: common
  });
})();
