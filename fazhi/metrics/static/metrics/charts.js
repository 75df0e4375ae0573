/* Charts of the cockpit and unit pages (ECharts). Data comes from the page's JSON; every point,
   slice and cell carries the URL of the records behind it, and a click opens that list. */
(function () {
  "use strict";
  var source = document.getElementById("metric-charts");
  if (!source || typeof echarts === "undefined") return;
  var data = JSON.parse(source.textContent);
  var charts = [];

  function open(params) {
    var url = params.data && params.data.url;
    if (url) window.location.href = url;
  }

  function make(el, option) {
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option);
    chart.on("click", open);
    charts.push(chart);
  }

  function trend(el, spec) {
    var hasRate = spec.series.some(function (s) { return s.rate; });
    make(el, {
      tooltip: {
        trigger: "axis",
        formatter: function (items) {
          return items[0].axisValue + "<br>" + items.map(function (i) {
            return i.marker + i.seriesName + "：" + (i.data ? i.data.text : "—");
          }).join("<br>");
        }
      },
      legend: { top: 0 },
      grid: { left: 48, right: hasRate ? 48 : 16, top: 36, bottom: 28 },
      xAxis: { type: "category", data: spec.months },
      yAxis: [
        { type: "value", name: "件", minInterval: 1 },
        { type: "value", name: "%", min: 0, max: 100, show: hasRate }
      ],
      series: spec.series.map(function (s) {
        return {
          name: s.name,
          type: s.rate ? "line" : "bar",
          yAxisIndex: s.rate ? 1 : 0,
          data: s.points,
          cursor: "pointer"
        };
      })
    });
  }

  function mix(el, spec) {
    make(el, {
      tooltip: {
        trigger: "item",
        formatter: function (i) { return i.name + "：" + i.data.value + "件（" + i.percent + "%）"; }
      },
      series: [{ type: "pie", radius: ["35%", "70%"], data: spec.slices, cursor: "pointer" }]
    });
  }

  function heat(el, spec) {
    make(el, {
      tooltip: {
        formatter: function (i) {
          return spec.units[i.data.value[1]] + " · " + spec.months[i.data.value[0]] + "收到：超期未办结" + i.data.value[2] + "件";
        }
      },
      grid: { left: 150, right: 16, top: 8, bottom: 64 },
      xAxis: { type: "category", data: spec.months, splitArea: { show: true } },
      yAxis: { type: "category", data: spec.units, splitArea: { show: true } },
      visualMap: {
        min: 0, max: Math.max(spec.max, 1), calculable: true, orient: "horizontal", left: "center", bottom: 0,
        inRange: { color: ["#fff5f5", "#feb2b2", "#c53030"] }
      },
      series: [{
        type: "heatmap",
        cursor: "pointer",
        label: { show: true },
        data: spec.cells.map(function (c) { return { value: [c.x, c.y, c.value], url: c.url }; })
      }]
    });
  }

  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var kind = el.getAttribute("data-chart");
    if (kind === "trend") trend(el, data.trends[Number(el.getAttribute("data-index"))]);
    else if (kind === "mix") mix(el, data.mix);
    else if (kind === "heat") heat(el, data.heat);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
