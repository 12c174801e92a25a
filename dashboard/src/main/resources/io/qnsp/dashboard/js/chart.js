// Time-series charts drawn as SVG with DOM calls, each with its numbers in a table for screen readers (and tests).
import { h, uid } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 640;
const HEIGHT = 220;
const PAD = { left: 48, right: 12, top: 12, bottom: 28 };

function s(tag, attrs = {}, text) {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  if (text !== undefined) el.textContent = text;
  return el;
}

function niceMax(value) {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (step * power >= value) return step * power;
  }
  return 10 * power;
}

function label(date, spanMs) {
  return spanMs > 2 * 86400000
    ? date.toLocaleDateString([], { month: 'short', day: 'numeric' })
    : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/**
 * A chart of series over time. points: [{t: Date|string, values: [n, …]}] in time order; series: [{name}];
 * kind 'line' or 'bars' (stacked); format formats a value (percent, counts).
 */
export function timeChart({ title, series, points, kind = 'line', format = (v) => String(Math.round(v)), id, max }) {
  const titleId = uid('chart-title');
  const times = points.map((p) => new Date(p.t));
  const totals = points.map((p) => (kind === 'bars' ? p.values.reduce((a, b) => a + b, 0) : Math.max(0, ...p.values)));
  const top = max !== undefined ? max : niceMax(Math.max(0, ...totals));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const n = points.length;
  const x = (i) => PAD.left + (n <= 1 ? plotW / 2 : (i * plotW) / (n - 1));
  const y = (v) => PAD.top + plotH - (Math.min(v, top) / top) * plotH;

  const svg = s('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-labelledby': titleId, focusable: 'false' });
  // the ends first: a midpoint whose label rounds onto one of them (counts up to 1) is left out, not shown twice
  const ticks = new Set();
  for (const fraction of [0, 1, 0.5]) {
    const value = top * fraction;
    const text = format(value);
    if (ticks.has(text)) continue;
    ticks.add(text);
    svg.append(s('line', { class: 'grid', x1: PAD.left, x2: WIDTH - PAD.right, y1: y(value), y2: y(value) }));
    svg.append(s('text', { class: 'tick', x: PAD.left - 6, y: y(value) + 4, 'text-anchor': 'end' }, text));
  }
  svg.append(s('line', { class: 'axis', x1: PAD.left, x2: WIDTH - PAD.right, y1: PAD.top + plotH, y2: PAD.top + plotH }));
  if (n > 0) {
    const span = times[n - 1] - times[0];
    const marks = n === 1 ? [0] : [0, Math.floor((n - 1) / 2), n - 1];
    for (const i of marks) {
      const anchor = i === 0 && n > 1 ? 'start' : i === n - 1 && n > 1 ? 'end' : 'middle';
      svg.append(s('text', { class: 'tick', x: x(i), y: HEIGHT - 8, 'text-anchor': anchor }, label(times[i], span)));
    }
  }
  if (kind === 'bars') {
    const barW = Math.max(1, (plotW / Math.max(n, 1)) * 0.7);
    points.forEach((p, i) => {
      let base = 0;
      p.values.forEach((value, k) => {
        if (value <= 0) return;
        const cx = n <= 1 ? PAD.left + plotW / 2 : PAD.left + (i + 0.5) * (plotW / n);
        svg.append(s('rect', {
          class: `series-${k}`, x: cx - barW / 2, y: y(base + value), width: barW, height: y(base) - y(base + value),
        }));
        base += value;
      });
    });
  } else {
    series.forEach((_, k) => {
      const coords = points.map((p, i) => `${x(i).toFixed(1)},${y(p.values[k]).toFixed(1)}`).join(' ');
      if (n > 1) svg.append(s('polyline', { class: `line series-${k}`, points: coords }));
      if (n === 1) svg.append(s('circle', { class: `series-${k}`, cx: x(0), cy: y(points[0].values[k]), r: 3 }));
    });
  }

  const legend = h('div', { class: 'legend' }, series.map((serie, k) => h('span', {},
    h('span', { class: `swatch series-${k}`, 'aria-hidden': 'true' }), serie.name)));
  const data = h('details', {},
    h('summary', { text: 'Show the numbers' }),
    h('table', {},
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Time' }), series.map((serie) => h('th', { scope: 'col', text: serie.name })))),
      h('tbody', {}, points.map((p, i) => h('tr', {},
        h('td', { text: times[i].toLocaleString() }),
        p.values.map((value, k) => h('td', { text: format(value), dataset: { series: String(k), value: String(value) } })))))));
  const sums = series.map((_, k) => points.reduce((sum, p) => sum + (Number(p.values[k]) || 0), 0));
  return h('figure', { class: 'chart', id, dataset: { points: String(n), totals: sums.join(',') } },
    h('figcaption', { id: titleId, text: title }), svg, legend, data);
}

/**
 * Points for every period from start to end, filling periods missing from a sparse series with zeros. items carry a
 * timestamp (ISO) and the fields pick reads.
 */
export function everyPeriod(items, start, end, stepMs, pick) {
  const byTime = new Map(items.map((item) => [Math.floor(new Date(item.timestamp).getTime() / stepMs) * stepMs, item]));
  const points = [];
  for (let t = Math.floor(start.getTime() / stepMs) * stepMs; t <= end.getTime(); t += stepMs) {
    const item = byTime.get(t);
    points.push({ t: new Date(t), values: pick(item) });
  }
  return points;
}
