// Publications/s through the HTTP intake with and without the memory broker, and heap per stored
// message (jcmd, after a full GC). Bounded: a fixed number of publications per run.
//   node scripts/bench/broker-load.mjs [--publications 100000] [--streams 100] [--batch 100]
import { spawn, execFileSync } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []))
const total = Number(args.publications || 100000)
const streams = Number(args.streams || 100)
const batch = Number(args.batch || 100)

const freePort = () => new Promise((resolve) => { const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)) }) })
const heapUsedKb = (pid) => {
  execFileSync('jcmd', [String(pid), 'GC.run'])
  const out = execFileSync('jcmd', [String(pid), 'GC.heap_info']).toString()
  return Number(/used (\d+)K/.exec(out)[1])
}

async function run(broker) {
  const [port, bport] = [await freePort(), await freePort()]
  const flags = ['--host=127.0.0.1', `--port=${port}`, `--http_broadcast_port=${bport}`, '--public', '--log_level=warn',
    `--history_limit=${Math.ceil(total / streams)}`, '--history_ttl=3600']
  if (broker) flags.push('--broker=memory')
  const server = spawn('java', ['-Xmx1g', '-jar', path.join(root, 'modules/launcher/target/vxcable.jar'), ...flags], { stdio: 'ignore' })
  for (let i = 0; i < 200; i++) {
    try { if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) break } catch {}
    await new Promise((r) => setTimeout(r, 100))
  }
  const before = heapUsedKb(server.pid)
  const payload = JSON.stringify({ text: 'x'.repeat(64) })
  const t0 = performance.now()
  const inFlight = []
  for (let i = 0; i < total; i += batch) {
    const body = JSON.stringify(Array.from({ length: batch }, (_, j) => ({ stream: `s${(i + j) % streams}`, data: payload })))
    inFlight.push(fetch(`http://127.0.0.1:${bport}/_broadcast`, { method: 'POST', body }).then((r) => { if (r.status !== 201) throw new Error(`HTTP ${r.status}`) }))
    if (inFlight.length >= 8) await inFlight.shift()
  }
  await Promise.all(inFlight)
  const seconds = (performance.now() - t0) / 1000
  const after = heapUsedKb(server.pid)
  server.kill('SIGTERM')
  await new Promise((r) => server.once('exit', r))
  return { broker: broker ? 'memory' : 'none', publications: total, publications_per_s: Math.round(total / seconds),
    heap_growth_kb: after - before, bytes_per_stored_message: broker ? Math.round(((after - before) * 1024) / total) : null }
}

for (const broker of [false, true]) console.log(JSON.stringify(await run(broker)))
