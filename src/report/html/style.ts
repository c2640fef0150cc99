/** The page's one stylesheet, inline: the report must open offline, from a mail attachment too. */
import { stateCss } from './states.js';

const BASE = `
*{box-sizing:border-box}
body{margin:0;background:#f4f6f9;color:#1f2937;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif}
code,.mono,.val,.num,.where,.addr{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:12.5px}
main{max-width:1120px;margin:0 auto;padding:20px 24px 60px}
header.page{background:#111827;color:#f9fafb;padding:18px 24px}
header.page .inner{max-width:1120px;margin:0 auto;padding:0 24px}
header.page h1{margin:0 0 4px;font-size:20px;font-weight:600}
header.page h1 span{color:#93c5fd}
header.page p{margin:0;color:#d1d5db}
nav.toc table{width:100%;margin:0}
section.map,nav.toc{background:#fff;border:1px solid #e5e7eb;border-radius:10px;padding:18px 20px;margin:22px 0;box-shadow:0 1px 2px rgba(0,0,0,.04)}
section.map>h2{margin:0;font-size:18px;display:flex;gap:10px;align-items:baseline;flex-wrap:wrap}
section.map>h2 code.expr{font-size:18px;color:#111827}
.type{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:13px;color:#4b5563;font-weight:400}
.addr{margin:2px 0 10px;color:#6b7280}
h3{font-size:14px;text-transform:uppercase;letter-spacing:.04em;color:#374151;margin:22px 0 8px;border-bottom:1px solid #e5e7eb;padding-bottom:4px}
.badge{display:inline-block;font-size:11px;font-weight:600;padding:1px 7px;border-radius:9px;background:#e5e7eb;color:#374151;vertical-align:middle}
.impl-classic{background:#ede9fe;color:#5b21b6}.impl-swiss{background:#dbeafe;color:#1e40af}
.badge.ok{background:#dcfce7;color:#166534}.badge.bad{background:#fee2e2;color:#991b1b}.dim{color:#9ca3af}
.cards{display:flex;gap:10px;flex-wrap:wrap;margin:6px 0 4px}
.card{flex:1 1 140px;border:1px solid #e5e7eb;border-radius:8px;padding:8px 12px;background:#f9fafb}
.card .cv{font-size:20px;font-weight:600;color:#111827}.card .cl{font-size:12px;color:#6b7280;text-transform:uppercase;letter-spacing:.03em}
.card .cs{font-size:12px;color:#4b5563}
.cols{display:flex;gap:24px;flex-wrap:wrap;align-items:flex-start}.cols>div{flex:1 1 420px;min-width:0}
table{border-collapse:collapse;margin:4px 0 10px}
caption{text-align:left;font-weight:600;padding:2px 0 6px;color:#111827}
th,td{padding:3px 10px 3px 0;text-align:left;vertical-align:top;border-bottom:1px solid #f1f5f9}
thead th{font-size:12px;color:#6b7280;font-weight:600;border-bottom:1px solid #e5e7eb}
tbody th{font-weight:500;color:#374151}
td.num{text-align:right;white-space:nowrap}td.share{white-space:nowrap}
tfoot th,tfoot td{border-top:1px solid #e5e7eb;font-weight:600}
.meter{display:inline-block;width:90px;height:8px;background:#eef2f7;border-radius:4px;margin-right:6px;vertical-align:middle;overflow:hidden}
.meter span{display:block;height:100%;background:#60a5fa}
.note,.hint{color:#6b7280;font-size:13px;margin:4px 0}
.ok{color:#166534}
.error{background:#fef2f2;border:1px solid #fecaca;color:#991b1b;padding:8px 12px;border-radius:6px}
ul.warnings{background:#fffbeb;border:1px solid #fde68a;border-radius:6px;padding:6px 12px 6px 28px;color:#92400e}
ul.findings{list-style:none;padding:0;margin:0}
.finding{border-left:4px solid #f59e0b;background:#fffbeb;padding:6px 10px;margin:6px 0;border-radius:0 6px 6px 0}
.finding .kind{font-weight:700;font-family:ui-monospace,"DejaVu Sans Mono",monospace;color:#92400e;margin-right:6px}
.num-chip{display:inline-block;font-size:12px;background:#fff;border:1px solid #fde68a;border-radius:10px;padding:0 8px;margin:4px 6px 0 0}
.num-chip b{font-weight:600;color:#6b7280}
ul.legend{list-style:none;padding:0;margin:6px 0 10px;display:flex;flex-wrap:wrap;gap:4px 18px;font-size:13px}
ul.legend li{display:flex;align-items:center;gap:6px}
ul.legend small{color:#6b7280;font-size:11.5px;max-width:260px}
.swatch{display:inline-block;width:12px;height:12px;border-radius:2px;flex:none}
figure{margin:8px 0 14px}
figcaption{font-size:13px;color:#374151;margin-bottom:6px;font-family:ui-monospace,"DejaVu Sans Mono",monospace}
.scroll{overflow-x:auto}
svg{display:block}
svg text{font-family:ui-monospace,"DejaVu Sans Mono",monospace}
canvas.heatmap{display:block;cursor:crosshair;margin:6px 0 4px}
.units{border-top:1px solid #eef2f7}
details.unit{border-bottom:1px solid #eef2f7}
details.unit>summary{cursor:pointer;padding:2px 0;font-size:12.5px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
details.unit>summary:hover{background:#f8fafc}
details.unit[open]>summary{font-weight:600}
.ulabel{font-family:ui-monospace,"DejaVu Sans Mono",monospace}.ucounts{color:#4b5563}
form.jump{display:flex;flex-wrap:wrap;gap:6px 8px;align-items:center;margin:4px 0 10px;font-size:13px}
form.jump input{font:inherit;padding:2px 6px;border:1px solid #cbd5e1;border-radius:4px}
form.jump button{font:inherit;padding:2px 10px;border:1px solid #cbd5e1;border-radius:4px;background:#f8fafc;cursor:pointer}
form.jump output{color:#374151}
.tip{position:fixed;z-index:10;max-width:640px;background:#111827;color:#f9fafb;padding:6px 9px;border-radius:6px;font:12px/1.45 ui-monospace,"DejaVu Sans Mono",monospace;white-space:pre-wrap;word-break:break-all;pointer-events:none;box-shadow:0 4px 14px rgba(0,0,0,.25)}
.tip.pinned{pointer-events:auto;user-select:text;outline:2px solid #dc2626}
svg .idx{font-size:9px;fill:#9ca3af;text-anchor:end}
svg .box{fill:#fff;stroke:#cbd5e1;stroke-width:1}
svg .box.ovf{stroke:#64748b;stroke-dasharray:2 1.5}
svg .link{fill:none;stroke:#64748b;stroke-width:1.2}
svg .seg-ctrl{fill:#fbbf24}svg .seg-key{fill:#60a5fa;stroke:#fff;stroke-width:.5}svg .seg-elem{fill:#34d399;stroke:#fff;stroke-width:.5}
svg .seg-ptr{fill:#f472b6}svg .seg-pad{fill:#f3f4f6;stroke:#d1d5db;stroke-width:.5}
svg .seglabel{font-size:9px;text-anchor:middle;fill:#0f172a}
svg .region{font-size:10px;fill:#374151}svg .bracket{fill:none;stroke:#9ca3af}
svg .line64{stroke:#ef4444;stroke-dasharray:3 2}svg .tick{font-size:9px;fill:#ef4444;text-anchor:middle}svg .tick.end{fill:#6b7280;text-anchor:end}
.charts{display:flex;flex-wrap:wrap;gap:6px 30px}
svg .bar{fill:#60a5fa}svg .bar.warn{fill:#f97316}svg .track{fill:#f3f4f6}
svg .blabel{font-size:11px;text-anchor:end;fill:#374151}svg .bval{font-size:11px;fill:#374151}
svg .hval{font-size:10px;text-anchor:middle;fill:#374151}svg .hlabel{font-size:10px;text-anchor:middle;fill:#6b7280}
svg .axis{stroke:#9ca3af}svg .marker{stroke:#dc2626;stroke-dasharray:3 2}svg .mlabel{font-size:10px;fill:#dc2626;text-anchor:middle}
svg .pw{fill:#db2777}svg .sw{fill:#fff;stroke:#cbd5e1}
.pmap{margin:0 0 12px}.pmap small{color:#6b7280}
details.entries{margin-top:18px}
details.entries summary{cursor:pointer;font-weight:600;color:#374151;text-transform:uppercase;font-size:14px;letter-spacing:.04em}
table.entries td code{white-space:pre-wrap;word-break:break-all}
table.entries .where{color:#6b7280;white-space:nowrap}
footer{color:#9ca3af;font-size:12px;text-align:center;margin-top:30px}
`;

export function css(): string {
  return BASE + stateCss();
}
