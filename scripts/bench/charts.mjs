#!/usr/bin/env node
// Bar charts (SVG, no dependency) from the JSONL runs that ../shared/bench and cable-bench write,
// each server beside its peers, for docs/benchmarks.md:
//
//   node scripts/bench/charts.mjs --in docs/results/2026-12-05-fanout-round2.jsonl \
//     --groups "vxcable=final-,bare ws=wsf-" --values latency_ms.p50,latency_ms.p99 --names p50,p99 \
//     --unit ms --title "Fan-out to 5,000 clients at 4/s" --out docs/results/fanout-5000.svg
//
// --groups: "<name>=<label prefix>" pairs; a run belongs to the first group whose prefix starts its
// `label` (or `target`). --values: dotted paths into a run; each group shows the median of each value
// over its runs (and how many runs). Prints one line per bar on stdout.
import { readFileSync, writeFileSync } from 'node:fs'

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) =>
  (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []))
for (const required of ['in', 'groups', 'values', 'out']) {
  if (!args[required]) {
    console.error(`missing --${required}; see the header of ${process.argv[1]}`)
    process.exit(2)
  }
}

const runs = args.in.split(',').flatMap((file) => readFileSync(file, 'utf8').split('\n').filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l)))
const groups = args.groups.split(',').map((g) => {
  const [name, prefix] = g.split('=')
  return { name: name.trim(), prefix: (prefix ?? name).trim() }
})
const paths = args.values.split(',')
const names = (args.names ?? args.values).split(',')
const unit = args.unit ?? ''

const at = (obj, path) => path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj)
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

const rows = groups.map((g) => {
  const mine = runs.filter((r) => groups.find((h) => String(r.label ?? r.target ?? '').startsWith(h.prefix)) === g)
  const values = paths.map((p) => {
    const xs = mine.map((r) => Number(at(r, p))).filter((x) => Number.isFinite(x))
    return xs.length ? median(xs) : null
  })
  return { name: g.name, runs: mine.length, values }
})
for (const r of rows) {
  if (r.runs === 0) {
    console.error(`no run has a label starting with "${groups.find((g) => g.name === r.name).prefix}"`)
    process.exit(1)
  }
}

// Layout: one cluster of bars per group, one bar per value, a value label above each bar.
const colors = ['#3465a4', '#f57900', '#4e9a06', '#75507b']
const barW = 34
const gap = 10
const clusterW = paths.length * barW + (paths.length - 1) * 4
const left = 60
// Each group's slot: its bars, or its name (about 6.5 px a character), whichever is wider.
const slotW = Math.max(clusterW + gap * 3, 6.5 * Math.max(...groups.map((g) => g.name.length)) + 16)
const top = 50
const plotH = 220
// Wide enough for the bars, the title (about 8 px a character) and the note (about 6 px).
const width = Math.max(left + groups.length * slotW + 20,
  left + 8 * String(args.title ?? '').length + 20, left + 6 * String(args.note ?? '').length + 20)
const height = top + plotH + 70
const max = Math.max(...rows.flatMap((r) => r.values.filter((v) => v != null)))
const scale = max > 0 ? plotH / (max * 1.12) : 1
const fmt = (v) => (v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(1))
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;')

const out = []
out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`)
out.push(`<rect width="100%" height="100%" fill="white"/>`)
out.push(`<text x="${left}" y="20" font-size="14" font-weight="bold">${esc(args.title ?? '')}</text>`)
names.forEach((n, i) => {
  const x = left + i * 90
  out.push(`<rect x="${x}" y="30" width="12" height="12" fill="${colors[i % colors.length]}"/>`)
  out.push(`<text x="${x + 16}" y="40">${esc(n)}${unit ? ` (${esc(unit)})` : ''}</text>`)
})
out.push(`<line x1="${left - 5}" y1="${top + plotH}" x2="${width - 10}" y2="${top + plotH}" stroke="#555"/>`)
rows.forEach((r, gi) => {
  const x0 = left + gi * slotW + (slotW - clusterW) / 2 - gap
  r.values.forEach((v, vi) => {
    if (v == null) return
    const h = v * scale
    const x = x0 + vi * (barW + 4)
    out.push(`<rect x="${x}" y="${(top + plotH - h).toFixed(1)}" width="${barW}" height="${h.toFixed(1)}" fill="${colors[vi % colors.length]}"/>`)
    out.push(`<text x="${x + barW / 2}" y="${(top + plotH - h - 4).toFixed(1)}" text-anchor="middle" font-size="11">${fmt(v)}</text>`)
    console.log(`${r.name}\t${names[vi]}\t${fmt(v)}${unit}\t(median of ${r.runs})`)
  })
  out.push(`<text x="${x0 + clusterW / 2}" y="${top + plotH + 18}" text-anchor="middle">${esc(r.name)}</text>`)
  out.push(`<text x="${x0 + clusterW / 2}" y="${top + plotH + 33}" text-anchor="middle" fill="#777" font-size="10">${r.runs} run${r.runs === 1 ? '' : 's'}</text>`)
})
if (args.note) out.push(`<text x="${left}" y="${height - 8}" fill="#555" font-size="10">${esc(args.note)}</text>`)
out.push('</svg>')
writeFileSync(args.out, out.join('\n') + '\n')
