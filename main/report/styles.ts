// Print CSS for the report. A4, generous type, tables that break between rows and repeat their
// header on every page. Kept in code (not a file) so the HTML is one self-contained string.
export const REPORT_CSS = `
@page { size: A4; margin: 16mm 14mm 17mm 14mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; color: #1b1f24; font: 10pt/1.45 "Inter", "Segoe UI", "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif; }
h1 { font-size: 21pt; line-height: 1.15; margin: 0 0 2mm; color: #13263f; font-weight: 700; }
h2 { font-size: 14pt; margin: 0 0 3mm; padding-bottom: 1.5mm; border-bottom: 1.5pt solid #1f3a5f; color: #13263f; break-after: avoid; }
h3 { font-size: 11pt; margin: 5mm 0 1.5mm; color: #1f3a5f; break-after: avoid; }
p { margin: 0 0 2.5mm; }
section { margin-top: 8mm; }
section.newpage { break-before: page; margin-top: 0; }
section.keep, div.keep { break-inside: avoid; }
/* A section's heading and its introduction go to the next page with the table they introduce, never alone at a page's foot. */
p.intro { break-inside: avoid; break-after: avoid; }
table { table-layout: fixed; }
.mono { font-family: "DejaVu Sans Mono", "Liberation Mono", Consolas, Menlo, monospace; font-size: 8pt; }
.muted { color: #5b6570; }
.small { font-size: 8.5pt; }
.wrap { overflow-wrap: anywhere; word-break: break-word; }
.nowrap { white-space: nowrap; }
.hash { white-space: nowrap; font-size: 7.5pt; margin-top: .4mm; }
.hash .mono { font-size: 7pt; }

.cover { border-left: 4pt solid #1f3a5f; padding: 1mm 0 1mm 5mm; margin-bottom: 6mm; }
.cover .kicker { text-transform: uppercase; letter-spacing: .08em; font-size: 8.5pt; color: #5b6570; font-weight: 600; }
.cover .case { font-size: 13pt; font-weight: 600; margin-bottom: 3mm; }
.cover dl { display: grid; grid-template-columns: 34mm 1fr; gap: .6mm 4mm; margin: 0; font-size: 9pt; }
.cover dt { color: #5b6570; }
.cover dd { margin: 0; }
.banner { background: #fdf1dc; border: 1pt solid #e0a040; color: #6b4300; padding: 2mm 3mm; margin: 0 0 5mm; font-weight: 600; font-size: 9pt; }

.figures { display: grid; grid-template-columns: repeat(4, 1fr); gap: 2.5mm; margin: 4mm 0 5mm; }
.figure { background: #f1f4f8; border-radius: 2mm; padding: 2.5mm 3mm; }
.figure .n { font-size: 16pt; font-weight: 700; color: #13263f; line-height: 1.1; }
.figure .l { font-size: 8pt; color: #5b6570; }
.figure.alert { background: #fbe4e1; }
.figure.alert .n { color: #9b2a1d; }

ol.summary { margin: 0; padding-left: 5.5mm; }
ol.summary > li { margin-bottom: 3mm; break-inside: avoid; }
ol.summary .sentence { font-size: 11pt; line-height: 1.45; }
ol.summary ul.basis { margin: 1mm 0 0; padding-left: 4mm; font-size: 8pt; color: #5b6570; list-style: square; }

table { width: 100%; border-collapse: collapse; font-size: 8.3pt; margin: 1mm 0 3mm; }
thead { display: table-header-group; }
tfoot { display: table-footer-group; }
tr { break-inside: avoid; }
/* The downloads table: one dense line per download, no zebra, exposure rows shaded. */
table.dl { font-size: 7.6pt; line-height: 1.3; }
table.dl td { padding: .5mm 1.3mm; white-space: nowrap; font-variant-numeric: tabular-nums; }
table.dl td.wrap { white-space: normal; }
table.dl tbody tr:nth-child(even) td { background: none; }
table.dl tr.x td { background: #fcefed; }
table.dl tr.b td { background: repeating-linear-gradient(135deg, #fcefed 0 3px, #fff 3px 6px); }
th { text-align: left; font-weight: 600; color: #fff; background: #1f3a5f; padding: 1.3mm 1.6mm; vertical-align: bottom; }
td { padding: 1.1mm 1.6mm; border-bottom: .5pt solid #d6dce3; vertical-align: top; }
tbody tr:nth-child(even) td { background: #f7f9fb; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th.num { white-space: normal; }
td.num .small { white-space: normal; }
td.time { white-space: nowrap; font-variant-numeric: tabular-nums; }
caption { caption-side: top; text-align: left; font-weight: 600; color: #1f3a5f; padding: 2mm 0 1.2mm; font-size: 9.5pt; break-after: avoid; }
.yes { color: #9b2a1d; font-weight: 600; }
.tag { display: inline-block; font-size: 7pt; font-weight: 600; padding: 0 1.2mm; border-radius: 1mm; background: #fbe4e1; color: #9b2a1d; }
.tag.blue { background: #e3ebf5; color: #1f3a5f; }

.chart { width: 100%; height: auto; display: block; margin: 2mm 0; }
.legend { display: flex; flex-wrap: wrap; gap: 2mm 6mm; font-size: 8pt; color: #333; margin-bottom: 3mm; }
.legend span::before { content: ""; display: inline-block; width: 3mm; height: 3mm; margin-right: 1.5mm; vertical-align: -0.4mm; border-radius: .5mm; }
.legend .l-band::before { background: #f6d5d1; border-left: 1.2pt solid #c0392b; }
.legend .l-all::before { background: #9db4d0; }
.legend .l-complete::before { background: #1f3a5f; }
.legend .l-open::before { background: #fff; border: 1.2pt solid #1f3a5f; border-radius: 50%; }
.legend .l-full::before { background: #1f3a5f; border-radius: 50%; }

ul.gaps, ul.derivation { padding-left: 5mm; margin: 0; }
ul.gaps li, ul.derivation li { margin-bottom: 1.8mm; break-inside: avoid; }
.note { border-left: 2.5pt solid #9db4d0; padding: 1mm 0 1mm 3mm; margin-bottom: 3mm; break-inside: avoid; }
.note .text { white-space: pre-wrap; }
.empty { color: #5b6570; font-style: italic; }

.verdict { border-left: 3pt solid #8a94a0; background: #f1f4f8; padding: 2mm 3mm; margin: 1mm 0 2.5mm; font-weight: 600; break-inside: avoid; }
.verdict.ok { border-color: #2f7d4f; background: #e6f2ea; color: #1d4d31; }
.verdict.bad { border-color: #9b1c1c; background: #fbe4e1; color: #6e1414; }
.verdict.warn { border-color: #c8961e; background: #fcf3dc; color: #5c4305; }
.two-tables { display: grid; grid-template-columns: 1fr 1fr; gap: 5mm; align-items: start; break-inside: avoid; }
.coverage { width: 100%; height: auto; display: block; margin: 1mm 0; break-inside: avoid; }
.coverage-legend span::before { display: none; }
.coverage-legend .swatch { width: 4mm; height: 3mm; margin-right: 1.5mm; vertical-align: -0.5mm; }
ol.problems { padding-left: 6mm; margin: 0 0 2mm; font-size: 8.3pt; }
ol.problems li { margin-bottom: 1mm; break-inside: avoid; }
`;
