// The call reports' charts: calls offered, answered and abandoned per interval (bars) and
// the service level per interval (lines). The figures come from the page (json_script);
// the tables below the charts carry the same numbers for those who can't see them.
(function () {
  "use strict";

  var COLOURS = {
    offered: "#2b6cb0",
    answered: "#2f855a",
    abandoned: "#c53030",
    serviceLevel: "#2b6cb0",
    withAbandoned: "#dd6b20",
  };

  function data() {
    var node = document.getElementById("call-report-chart");
    return node ? JSON.parse(node.textContent) : null;
  }

  function bars(label, values, colour) {
    return { label: label, data: values, backgroundColor: colour, borderColor: colour };
  }

  function line(label, values, colour) {
    // A gap where an interval had no answered call: no service level to draw.
    return {
      label: label, data: values, borderColor: colour, backgroundColor: colour,
      spanGaps: false, tension: 0, pointRadius: values.length > 60 ? 0 : 3,
    };
  }

  function draw() {
    var chart = data();
    var volume = document.getElementById("call-report-volume");
    var service = document.getElementById("call-report-service");
    if (!chart || !volume || !service) return;
    if (typeof Chart === "undefined") {
      document.getElementById("call-report-chart-status").textContent = chart.text.failed || "";
      return;
    }
    var text = chart.text;
    var common = { responsive: true, maintainAspectRatio: false, animation: false,
                   interaction: { mode: "index", intersect: false } };
    new Chart(volume, {
      type: "bar",
      data: {
        labels: chart.labels,
        datasets: [
          bars(text.offered, chart.offered, COLOURS.offered),
          bars(text.answered, chart.answered, COLOURS.answered),
          bars(text.abandoned, chart.abandoned, COLOURS.abandoned),
        ],
      },
      options: Object.assign({}, common, {
        scales: {
          y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: text.calls } },
        },
      }),
    });
    new Chart(service, {
      type: "line",
      data: {
        labels: chart.labels,
        datasets: [
          line(text.service_level, chart.service_level, COLOURS.serviceLevel),
          line(text.service_level_with_abandoned, chart.service_level_with_abandoned,
               COLOURS.withAbandoned),
        ],
      },
      options: Object.assign({}, common, {
        scales: {
          y: { min: 0, max: 100, ticks: { callback: function (value) { return value + " %"; } } },
        },
        plugins: {
          tooltip: {
            callbacks: {
              label: function (item) {
                return item.dataset.label + ": " + (item.raw === null ? "—" : item.raw + " %");
              },
            },
          },
        },
      }),
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
