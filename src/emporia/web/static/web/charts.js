/* Small helpers around Chart.js for the dashboards. */
window.emporiaCharts = {
  bar: function (id, labels, datasets, twoAxes, horizontal) {
    var el = document.getElementById(id);
    if (!el || !window.Chart) { return null; }
    var scales = {y: {beginAtZero: true, position: 'left'}};
    if (twoAxes) { scales.y1 = {beginAtZero: true, position: 'right', grid: {drawOnChartArea: false}}; }
    return new Chart(el, {
      type: 'bar',
      data: {labels: labels, datasets: datasets},
      options: {
        indexAxis: horizontal ? 'y' : 'x',
        responsive: true, maintainAspectRatio: false, animation: false,
        scales: horizontal ? {} : scales,
        plugins: {legend: {display: datasets.length > 1}}
      }
    });
  },
  line: function (id, labels, datasets) {
    var el = document.getElementById(id);
    if (!el || !window.Chart) { return null; }
    return new Chart(el, {
      type: 'line',
      data: {labels: labels, datasets: datasets},
      options: {responsive: true, maintainAspectRatio: false, animation: false, scales: {y: {beginAtZero: true}}}
    });
  },
  doughnut: function (id, labels, data) {
    var el = document.getElementById(id);
    if (!el || !window.Chart) { return null; }
    return new Chart(el, {type: 'doughnut', data: {labels: labels, datasets: [{data: data}]},
      options: {responsive: true, maintainAspectRatio: false, animation: false}});
  }
};
