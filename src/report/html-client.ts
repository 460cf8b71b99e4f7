/**
 * The report page's own script: it reads the chart specs (built and tested in charts.ts) from the page and draws
 * each with uPlot, adding stacking, grouped bars and labelled vertical markers. Plain ES5-style JavaScript kept
 * as a string so the report stays one self-contained file; test/report-browser.test.ts runs it in Chromium.
 * It marks its progress on the DOM (`data-charts-drawn`, `data-drawn`, `data-markers-drawn`) for that test.
 */
export const CLIENT_SCRIPT = `(function () {
  'use strict';
  var HEIGHT = 280;
  var specs = JSON.parse(document.getElementById('evkit-charts').textContent || '[]');

  function pxRatio() {
    return uPlot.pxRatio || window.devicePixelRatio || 1;
  }

  function fmt(v) {
    if (v == null || !isFinite(v)) return '–';
    return Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : String(Math.round(v * 100) / 100);
  }

  function rgba(hex, a) {
    var n = parseInt(hex.slice(1), 16);
    return 'rgba(' + ((n >> 16) & 255) + ',' + ((n >> 8) & 255) + ',' + (n & 255) + ',' + a + ')';
  }

  // Areas stack on the ones before them; a hidden area adds nothing, so the areas above it stay correct.
  function chartData(spec, shown) {
    var data = [spec.x.slice()];
    var below = null;
    spec.series.forEach(function (s, i) {
      if (s.style !== 'area') {
        data.push(s.values.slice());
        return;
      }
      var stacked = s.values.map(function (v, j) {
        return (shown[i] && v != null ? v : 0) + (below ? below[j] : 0);
      });
      below = stacked;
      data.push(stacked);
    });
    return data;
  }

  function bands(spec) {
    var out = [];
    var prev = null;
    spec.series.forEach(function (s, i) {
      if (s.style !== 'area') return;
      if (prev != null) out.push({ series: [i + 1, prev], fill: rgba(s.colour, 0.5) });
      prev = i + 1;
    });
    return out;
  }

  function isolated(values) {
    var out = [];
    values.forEach(function (v, i) {
      if (v != null && values[i - 1] == null && values[i + 1] == null) out.push(i);
    });
    return out;
  }

  function seriesOptions(spec) {
    var bars = spec.series.filter(function (s) { return s.style === 'bars'; }).length;
    var barWidth = 0.8 / Math.max(1, bars);
    var barIndex = 0;
    var x = {
      label: spec.xLabel,
      value: function (u, v) {
        return v == null ? '–' : spec.categories ? spec.categories[v] || '' : fmt(v);
      },
    };
    return [x].concat(spec.series.map(function (s) {
      var o = {
        label: s.label,
        stroke: s.colour,
        width: 2,
        points: { show: false },
        // Legends show each series' own value, not the stacked sum.
        value: function (u, v, si, idx) {
          return idx == null ? '–' : fmt(s.values[idx]);
        },
      };
      // A lone value between gaps makes no line: draw it as a point (e.g. a one-second probe of find-limit).
      if (s.style === 'line' || s.style === 'dashed') {
        var lone = isolated(s.values);
        if (lone.length > 0) o.points = { show: true, size: 7, fill: s.colour, filter: lone };
      }
      // No outline on areas: a stacked series with no responses would draw its outline over the one below.
      if (s.style === 'area') {
        o.fill = rgba(s.colour, 0.5);
        o.width = 0;
      }
      if (s.style === 'dashed') o.dash = [8, 5];
      // Points only: one measurement per point, nothing between them (the x order is not a time order).
      if (s.style === 'points') {
        o.points = { show: true, size: 9, stroke: s.colour, fill: rgba(s.colour, 0.85) };
        o.paths = function () { return null; };
      }
      if (s.style === 'bars') {
        var k = barIndex++;
        o.fill = rgba(s.colour, 0.85);
        o.width = 1;
        o.paths = uPlot.paths.bars({
          size: [barWidth],
          disp: {
            x0: { unit: 1, values: function (u) { return u.data[0].map(function (v) { return v - 0.4 + k * barWidth; }); } },
            size: { unit: 1, values: function (u) { return u.data[0].map(function () { return barWidth; }); } },
          },
        });
      }
      return o;
    }));
  }

  function axes(spec) {
    var grid = { stroke: '#e6e8eb', width: 1 };
    var x = { label: spec.xLabel, stroke: '#424a53', grid: grid, ticks: { stroke: '#d0d7de' } };
    if (spec.categories) {
      x.splits = function () { return spec.categories.map(function (_, i) { return i; }); };
      x.values = function (u, splits) { return splits.map(function (i) { return spec.categories[i] || ''; }); };
      x.grid = { show: false };
    }
    var y = { label: spec.yLabel, stroke: '#424a53', grid: grid, ticks: { stroke: '#d0d7de' }, size: 64 };
    return [x, y];
  }

  function scales(spec) {
    var x = spec.categories ? { time: false, range: [-0.5, spec.categories.length - 0.5] } : { time: false };
    var y = {
      range: function (u, min, max) {
        if (min == null || max == null) return [0, 1];
        var lo = Math.min(0, min);
        return [lo, max > lo ? max + (max - lo) * 0.08 : lo + 1];
      },
    };
    return { x: x, y: y };
  }

  // Marker labels go in rows above the plotting area: at most MARKER_ROWS rows, LABEL_ROW CSS px each.
  var MARKER_ROWS = 3;
  var LABEL_ROW = 18;
  function markerRows(spec) {
    return Math.min(MARKER_ROWS, spec.markers.length);
  }

  function markersPlugin(spec, figure) {
    return {
      hooks: {
        draw: [function (u) {
          var ctx = u.ctx;
          var b = u.bbox;
          var pr = pxRatio();
          var drawn = 0;
          ctx.save();
          ctx.font = 12 * pr + 'px system-ui, -apple-system, "Segoe UI", sans-serif';
          ctx.textBaseline = 'top';
          ctx.textAlign = 'left';
          spec.markers.forEach(function (m, i) {
            var x = Math.round(u.valToPos(m.x, 'x', true));
            if (x < b.left || x > b.left + b.width) return;
            ctx.strokeStyle = spec.markerColour;
            ctx.lineWidth = 2 * pr;
            ctx.setLineDash([6 * pr, 4 * pr]);
            ctx.beginPath();
            ctx.moveTo(x, b.top);
            ctx.lineTo(x, b.top + b.height);
            ctx.stroke();
            ctx.setLineDash([]);
            // Labels sit in the strip reserved above the plotting area (see markerRows), never over the data;
            // the line runs up into the strip to its label.
            var pad = 4 * pr;
            var w = ctx.measureText(m.label).width;
            var left = x + pad + w + pad > b.left + b.width ? x - pad - w : x + pad;
            var top = b.top - (markerRows(spec) - (i % MARKER_ROWS)) * LABEL_ROW * pr;
            ctx.strokeStyle = spec.markerColour;
            ctx.lineWidth = 1 * pr;
            ctx.beginPath();
            ctx.moveTo(x, top);
            ctx.lineTo(x, b.top);
            ctx.stroke();
            ctx.fillStyle = spec.markerColour;
            ctx.fillText(m.label, left, top + 2 * pr);
            drawn++;
          });
          ctx.restore();
          figure.dataset.markersDrawn = String(drawn);
        }],
      },
    };
  }

  function draw(figure, spec) {
    var el = figure.querySelector('.plot');
    var shown = spec.series.map(function () { return true; });
    var hooks = {};
    if (spec.series.some(function (s) { return s.style === 'area'; })) {
      hooks.setSeries = [function (u, si) {
        if (si == null) return;
        shown = u.series.slice(1).map(function (s) { return s.show !== false; });
        u.setData(chartData(spec, shown));
      }];
    }
    var u = new uPlot({
      width: Math.max(320, el.clientWidth),
      height: HEIGHT,
      series: seriesOptions(spec),
      axes: axes(spec),
      scales: scales(spec),
      bands: bands(spec),
      legend: { live: true },
      // Room above the plot for the marker labels (uPlot's automatic padding elsewhere).
      padding: [spec.markers.length ? markerRows(spec) * LABEL_ROW + 8 : null, null, null, null],
      cursor: { drag: { x: !spec.categories, y: false } },
      plugins: [markersPlugin(spec, figure)],
      hooks: hooks,
    }, chartData(spec, shown), el);
    if (typeof ResizeObserver === 'function') {
      new ResizeObserver(function () {
        var w = Math.max(320, el.clientWidth);
        if (w !== u.width) u.setSize({ width: w, height: HEIGHT });
      }).observe(el);
    }
    figure.dataset.drawn = 'true';
  }

  var drawn = 0;
  document.querySelectorAll('figure[data-chart]').forEach(function (figure) {
    try {
      draw(figure, specs[Number(figure.dataset.chart)]);
      drawn++;
    } catch (err) {
      figure.classList.add('chart-error');
      figure.querySelector('.plot').textContent = 'This chart could not be drawn: ' + (err && err.message);
      console.error(err);
    }
  });
  document.documentElement.dataset.chartsDrawn = String(drawn);
})();
`;
