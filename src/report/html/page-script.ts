/**
 * The page's one script, inline and allowed by its hash in the Content-Security-Policy (nothing
 * else may run, and it loads nothing). It draws a fold's slots into a canvas when the fold opens,
 * answers hovers from the fold's data (the byte, and the key and value of a live slot, looked up
 * in the fold's data block only then), and runs the Go to / Find box.
 *
 * Text from the target is only ever set as textContent, never parsed as markup. Keys and values
 * are shown as the JSON text they were written as (a parse would round 64-bit integers): a data
 * block's line `{"key":K,"value":V}` cut at the key's end, the page writer's `\u003c` turned back
 * into `<`.
 *
 * The geometry is the one the SVG heatmap had: blocks (a bucket with its overflow chain, or a
 * group) of 8 cells in as many columns as fit 1020 px, a chain wrapping onto continuation lines.
 */
import { createHash } from 'node:crypto';
import { CLASSIC_STATES, SWISS_STATES } from './states.js';

const COLOURS = JSON.stringify(Object.fromEntries([...CLASSIC_STATES, ...SWISS_STATES].map((s) => [s.state, s.colour])));

const SOURCE = String.raw`(function () {
'use strict';
var COLOURS = __COLOURS__;
var CLASSIC = ['emptyRest', 'emptyOne', 'evacuatedX', 'evacuatedY', 'evacuatedEmpty'];
var CELL = 10, PITCH = 11, BOX = 8 * PITCH - 1, LINK = 14, ROW = 15, COL_GAP = 16, WIDTH = 1020, TOP = 2;
var MAX_CHARS = 160;
var units = new WeakMap();
var texts = new WeakMap();
var tip = document.createElement('div');
tip.className = 'tip';
tip.hidden = true;
tip.setAttribute('role', 'tooltip');
document.body.appendChild(tip);
var pinned = false;

function stateOf(classic, b) {
  if (classic) return b < 5 ? CLASSIC[b] : 'live';
  if (b === 0x80) return 'empty';
  if (b === 0xfe) return 'deleted';
  return b < 0x80 ? 'full' : 'invalid';
}
function isLive(classic, b) { return classic ? b >= 5 : b < 0x80; }
function bytesOf(s) {
  var bin = atob(s || ''), out = new Uint8Array(bin.length);
  for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
function pairs(s) {
  var out = [];
  if (!s) return out;
  s.split(',').forEach(function (p) { var k = p.indexOf(':'); out.push([Number(p.slice(0, k)), Number(p.slice(k + 1))]); });
  return out;
}
function int(n) { return n.toLocaleString('en-US'); }

function unitOf(d) {
  var u = units.get(d);
  if (u) return u;
  var classic = d.closest('section.map').getAttribute('data-implementation') === 'classic';
  var from = Number(d.dataset.from), n = Number(d.dataset.to) - from;
  var bytes = bytesOf(d.dataset.cells);
  var extra = new Uint32Array(n), boxFrom = new Uint32Array(n + 1);
  pairs(d.dataset.chains).forEach(function (p) { if (p[0] < n) extra[p[0]] = p[1]; });
  for (var j = 0; j < n; j++) boxFrom[j + 1] = boxFrom[j] + 1 + extra[j];
  var rank = new Int32Array(bytes.length), live = 0;
  for (var c = 0; c < bytes.length; c++) rank[c] = isLive(classic, bytes[c]) ? live++ : -1;
  var entry = new Int32Array(live).fill(-1), at = 0;
  pairs(d.dataset.runs).forEach(function (r) { for (var i = 0; i < r[1] && at < live; i++) entry[at++] = r[0] < 0 ? -1 : r[0] + i; });
  u = {
    d: d, classic: classic, array: d.dataset.array, table: d.dataset.table, from: from, n: n, bytes: bytes,
    boxFrom: boxFrom, ovf: d.dataset.ovf ? d.dataset.ovf.split(',') : [], rank: rank, entry: entry, lines: null,
    base: BigInt(d.dataset.base), stride: Number(d.dataset.stride), geo: null, canvas: null, mark: null, rect: null, rectAt: -1
  };
  units.set(d, u);
  return u;
}
function boxes(u, j) { return u.boxFrom[j + 1] - u.boxFrom[j]; }

function geometry(u) {
  var labelW = 10 + 6 * String(u.from + u.n - 1).length;
  var perLine = Math.max(1, Math.floor((WIDTH - labelW + LINK) / (BOX + LINK)));
  var widest = 1;
  for (var j = 0; j < u.n; j++) widest = Math.max(widest, boxes(u, j));
  var bpl = Math.min(widest, perLine);
  var colW = labelW + bpl * BOX + (bpl - 1) * LINK + COL_GAP;
  var cols = Math.max(1, Math.floor((WIDTH + COL_GAP) / colW));
  var rows = Math.ceil(u.n / cols), rowY = new Float64Array(rows + 1), y = TOP;
  for (var r = 0; r < rows; r++) {
    rowY[r] = y;
    var lines = 1;
    for (var col = 0; col < cols && r * cols + col < u.n; col++) lines = Math.max(lines, Math.ceil(boxes(u, r * cols + col) / bpl));
    y += lines * ROW;
  }
  rowY[rows] = y;
  return { labelW: labelW, bpl: bpl, colW: colW, cols: cols, rows: rows, rowY: rowY, width: Math.min(u.n, cols) * colW - COL_GAP + 2, height: y + 1 };
}
/** Top-left corner of box k of block j. */
function boxAt(u, j, k) {
  var g = u.geo, x0 = (j % g.cols) * g.colW + g.labelW;
  return { x: x0 + (k % g.bpl) * (BOX + LINK), y: g.rowY[Math.floor(j / g.cols)] + Math.floor(k / g.bpl) * ROW };
}

function draw(u) {
  if (u.n === 0) return;
  var g = u.geo || (u.geo = geometry(u));
  var cv = u.canvas;
  if (!cv) {
    cv = u.canvas = document.createElement('canvas');
    cv.className = 'heatmap';
    cv.setAttribute('role', 'img');
    cv.setAttribute('aria-label', u.d.querySelector('summary').textContent);
    cv.addEventListener('mousemove', function (ev) { hover(u, ev); });
    cv.addEventListener('click', function (ev) { var h = hitAt(u, ev); pinned = !!h && !pinned; if (h) show(u, h, ev.clientX, ev.clientY); });
    cv.addEventListener('mouseleave', function () { if (!pinned) tip.hidden = true; });
    u.d.querySelector('.cv').appendChild(cv);
  }
  var dpr = window.devicePixelRatio || 1;
  cv.width = Math.ceil(g.width * dpr);
  cv.height = Math.ceil(g.height * dpr);
  cv.style.width = g.width + 'px';
  cv.style.height = g.height + 'px';
  moved++;
  var ctx = cv.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.font = '9px ui-monospace, "DejaVu Sans Mono", monospace';
  ctx.textAlign = 'right';
  ctx.lineWidth = 1;
  for (var j = 0; j < u.n; j++) {
    var nb = boxes(u, j), first = boxAt(u, j, 0);
    ctx.fillStyle = '#9ca3af';
    ctx.fillText(String(u.from + j), first.x - 5, first.y + 9);
    for (var k = 0; k < nb; k++) {
      var at = boxAt(u, j, k);
      ctx.strokeStyle = k > 0 ? '#64748b' : '#cbd5e1';
      if (k > 0) {
        var x1 = k % u.geo.bpl > 0 ? at.x - LINK + 2 : first.x - 12, ym = at.y + CELL / 2;
        ctx.setLineDash([]);
        ctx.beginPath();
        ctx.moveTo(x1, ym); ctx.lineTo(at.x - 2, ym);
        ctx.moveTo(at.x - 5, ym - 3); ctx.lineTo(at.x - 2, ym); ctx.lineTo(at.x - 5, ym + 3);
        ctx.stroke();
      }
      ctx.setLineDash(k > 0 ? [2, 1.5] : []);
      ctx.strokeRect(at.x - 1.5, at.y - 1.5, BOX + 3, CELL + 3);
      var c0 = (u.boxFrom[j] + k) * 8;
      for (var s = 0; s < 8; s++) {
        ctx.fillStyle = COLOURS[stateOf(u.classic, u.bytes[c0 + s])];
        ctx.fillRect(at.x + s * PITCH, at.y, CELL, CELL);
      }
    }
  }
  ctx.setLineDash([]);
  if (u.mark) {
    var m = u.mark, b = boxAt(u, m.j, m.k || 0);
    ctx.strokeStyle = '#dc2626';
    ctx.lineWidth = 2;
    if (m.s === undefined) ctx.strokeRect(b.x - 3, b.y - 3, BOX + 6, CELL + 6);
    else ctx.strokeRect(b.x + m.s * PITCH - 2, b.y - 2, CELL + 4, CELL + 4);
  }
}

/** Where canvases are on screen changes only on scroll, resize or a fold opening or closing. */
var moved = 0;
window.addEventListener('resize', function () { moved++; });
window.addEventListener('load', function () { moved++; });
function rectOf(u) {
  if (u.rectAt !== moved) { u.rect = u.canvas.getBoundingClientRect(); u.rectAt = moved; }
  return u.rect;
}
function hitAt(u, ev) {
  var g = u.geo, rect = rectOf(u);
  var x = ev.clientX - rect.left, y = ev.clientY - rect.top;
  var lo = 0, hi = g.rows;
  while (lo < hi) { var mid = (lo + hi) >> 1; if (g.rowY[mid] <= y) lo = mid + 1; else hi = mid; }
  var r = lo - 1, col = Math.floor(x / g.colW);
  if (r < 0 || col < 0 || col >= g.cols) return null;
  var j = r * g.cols + col;
  if (j >= u.n) return null;
  var rx = x - col * g.colW - g.labelW, ry = y - g.rowY[r], line = Math.floor(ry / ROW);
  if (rx < 0 || ry - line * ROW > CELL + 1) return null;
  var pos = Math.floor(rx / (BOX + LINK)), px = rx - pos * (BOX + LINK);
  if (pos >= g.bpl || px > BOX) return null;
  var k = line * g.bpl + pos;
  if (k >= boxes(u, j)) return null;
  var s = Math.min(7, Math.floor(px / PITCH));
  return { j: j, k: k, s: s, cell: (u.boxFrom[j] + k) * 8 + s };
}

function textOf(d) {
  var t = texts.get(d);
  if (t === undefined) { t = d.querySelector('script').textContent; texts.set(d, t); }
  return t;
}
/** The JSON text as written, with the writer's \u003c back to "<" (an escaped backslash is left alone). */
function unescapeLt(s) {
  return s.indexOf('\\u003c') < 0 ? s : s.replace(/\\\\|\\u003c/g, function (m) { return m === '\\u003c' ? '<' : m; });
}
function valueEnd(s, i) {
  var depth = 0, str = false;
  for (; i < s.length; i++) {
    var c = s.charCodeAt(i);
    if (str) { if (c === 92) i++; else if (c === 34) str = false; }
    else if (c === 34) str = true;
    else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) { if (depth === 0) return i; depth--; }
    else if (c === 44 && depth === 0) return i;
  }
  return i;
}
function clip(s) { return s.length <= MAX_CHARS ? s : s.slice(0, MAX_CHARS) + '… (' + int(s.length) + ' chars)'; }

function describe(u, h) {
  var b = u.bytes[h.cell], index = u.from + h.j, lines = [];
  if (u.array === 'groups') lines.push('table ' + u.table + ' · group ' + index + ' · slot ' + h.s);
  else if (u.array === 'small') lines.push('small group · slot ' + h.s);
  else lines.push((u.array === 'oldbuckets' ? 'old bucket ' : 'bucket ') + index + (h.k ? ' · overflow ' + h.k : '') + ' · slot ' + h.s);
  lines.push(stateOf(u.classic, b) + ' · ' + (u.classic ? 'tophash' : 'ctrl') + ' 0x' + (b < 16 ? '0' : '') + b.toString(16) + ' (' + b + ')');
  var r = u.rank[h.cell];
  if (r >= 0) {
    if (!u.lines) u.lines = textOf(u.d).split('\n');
    var e = u.entry[r], item = u.lines[r] || '';
    if (item) {
      item = unescapeLt(item);
      var end = valueEnd(item, 7);
      lines.push('key: ' + clip(item.slice(7, end)), 'value: ' + clip(item.slice(end + 9, item.length - 1)));
      if (e >= 0) lines.push('entry #' + int(e) + ' in memory order');
    } else if (e >= 0) lines.push('entry #' + e + ' (not rendered: beyond --limit)');
  }
  if (h.k) lines.push('overflow bucket @0x' + u.ovf[u.boxFrom[h.j] - h.j + h.k - 1]);
  else lines.push((u.classic ? 'bucket' : 'group') + ' @0x' + (u.base + BigInt(index * u.stride)).toString(16));
  return lines.join('\n');
}

var shownUnit = null, shownCell = -1;
function show(u, h, x, y) {
  shownUnit = u;
  shownCell = h.cell;
  tip.textContent = describe(u, h);
  tip.hidden = false;
  tip.classList.toggle('pinned', pinned);
  // Placed away from the nearer edges, without measuring it (a measure is a layout per move).
  var st = tip.style, right = x > window.innerWidth / 2, below = y < window.innerHeight / 2;
  st.left = right ? '' : x + 14 + 'px';
  st.right = right ? window.innerWidth - x + 14 + 'px' : '';
  st.top = below ? y + 16 + 'px' : '';
  st.bottom = below ? '' : window.innerHeight - y + 10 + 'px';
}
function hover(u, ev) {
  if (pinned) return;
  var h = hitAt(u, ev);
  // Within the cell already shown the hover stays put: no new text, no layout per mouse move.
  if (h && !(u === shownUnit && h.cell === shownCell && !tip.hidden)) show(u, h, ev.clientX, ev.clientY);
  else if (!h && !tip.hidden) tip.hidden = true;
}
document.addEventListener('keydown', function (ev) { if (ev.key === 'Escape') { pinned = false; tip.hidden = true; } });
window.addEventListener('scroll', function () { moved++; if (!pinned) tip.hidden = true; }, { passive: true });

function open(d) {
  var u = unitOf(d);
  if (!d.open) d.open = true;
  if (!u.canvas) draw(u);
  return u;
}
document.addEventListener('toggle', function (ev) {
  var d = ev.target;
  moved++;
  if (d.classList && d.classList.contains('unit') && d.open) open(d);
}, true);
document.querySelectorAll('details.unit[open]').forEach(open);

/** Scrolls to cell (or block) of a drawn unit, marks it, and with a slot pins its hover beside it. */
function reveal(u, j, k, s) {
  u.mark = { j: j, k: k, s: s };
  draw(u);
  var b = boxAt(u, j, k), rect = u.canvas.getBoundingClientRect();
  window.scrollTo({ top: window.scrollY + rect.top + b.y - window.innerHeight / 3 });
  if (s !== undefined) {
    rect = u.canvas.getBoundingClientRect();
    pinned = true;
    show(u, { j: j, k: k, s: s, cell: (u.boxFrom[j] + k) * 8 + s }, rect.left + b.x + s * PITCH + CELL, rect.top + b.y + CELL);
  }
}

function goTo(sec, text) {
  var m = /^\s*(old\s*)?(\d+)(?:\s*[\/ ,.:]\s*(\d+))?\s*$/i.exec(text);
  if (!m) return 'Give a number: ' + (sec.dataset.implementation === 'classic' ? 'a bucket (old N for the old array).' : 'a table, or table/group.');
  var a = Number(m[2]), b = m[3] === undefined ? undefined : Number(m[3]), list, d, j;
  if (sec.dataset.implementation === 'classic') {
    list = sec.querySelectorAll('details.unit[data-array="' + (m[1] ? 'oldbuckets' : 'buckets') + '"]');
    d = Array.prototype.find.call(list, function (x) { return Number(x.dataset.from) <= a && a < Number(x.dataset.to); });
    if (!d) return 'No ' + (m[1] ? 'old ' : '') + 'bucket ' + a + '.';
    j = a - Number(d.dataset.from);
    reveal(open(d), j, 0, undefined);
    return (m[1] ? 'old bucket ' : 'bucket ') + a;
  }
  d = sec.querySelector('details.unit[data-array="small"]');
  if (d) { reveal(open(d), 0, 0, Math.min(7, a)); return 'small group · slot ' + Math.min(7, a); }
  d = sec.querySelector('details.unit[data-table="' + a + '"]');
  if (!d) return 'No table ' + a + '.';
  j = b === undefined ? 0 : b;
  if (j >= Number(d.dataset.to)) return 'Table ' + a + ' has ' + d.dataset.to + ' groups.';
  reveal(open(d), j, 0, undefined);
  return 'table ' + a + (b === undefined ? '' : ' · group ' + b);
}

var finds = new WeakMap();
function find(sec, form, text) {
  if (!text) return 'Type some text of a key or value.';
  var needle = JSON.stringify(text).slice(1, -1).replace(/</g, '\\u003c');
  var st = finds.get(form);
  if (!st || st.needle !== needle) st = { needle: needle, unit: 0, pos: 0, hits: 0 };
  finds.set(form, st);
  var list = sec.querySelectorAll('details.unit');
  for (; st.unit < list.length; st.unit++, st.pos = 0) {
    var d = list[st.unit], t = textOf(d), at = t.indexOf(needle, st.pos);
    if (at < 0) continue;
    var start = t.lastIndexOf('\n', at) + 1, line = 0;
    for (var i = t.indexOf('\n'); i >= 0 && i < start; i = t.indexOf('\n', i + 1)) line++;
    var end = t.indexOf('\n', at);
    st.pos = end < 0 ? t.length : end + 1;
    st.hits++;
    var u = open(d), cell = -1;
    for (var c = 0; c < u.rank.length; c++) if (u.rank[c] === line) { cell = c; break; }
    if (cell < 0) continue;
    var box = Math.floor(cell / 8), jj = 0;
    while (u.boxFrom[jj + 1] <= box) jj++;
    reveal(u, jj, box - u.boxFrom[jj], cell % 8);
    return 'match ' + st.hits + ' (Find next for the next one)';
  }
  var hits = st.hits;
  finds.delete(form);
  return hits ? 'No more matches (' + hits + ' found); Find next starts again.' : 'No key or value holds that text.';
}

document.addEventListener('submit', function (ev) {
  var form = ev.target;
  if (!form.classList || !form.classList.contains('jump')) return;
  ev.preventDefault();
  var sec = form.closest('section.map'), out = form.querySelector('output');
  moved++;
  var findIt = (ev.submitter && ev.submitter.name === 'next') || document.activeElement === form.elements.text;
  out.textContent = findIt ? find(sec, form, form.elements.text.value) : goTo(sec, form.elements.goto.value);
});
document.addEventListener('click', function (ev) {
  var b = ev.target;
  if (!b || b.name !== 'fold' || !b.form || !b.form.classList.contains('jump')) return;
  b.closest('section.map').querySelectorAll('details.unit[open]').forEach(function (d) { d.open = false; });
  pinned = false;
  tip.hidden = true;
});
})();`;

/** The script as it goes into the page. */
export const PAGE_SCRIPT = SOURCE.replace('__COLOURS__', COLOURS);

/** Its CSP source: the page runs this script and no other. */
export const SCRIPT_HASH = `'sha256-${createHash('sha256').update(PAGE_SCRIPT, 'utf8').digest('base64')}'`;
