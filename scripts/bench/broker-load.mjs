// Publications/s through the HTTP intake without a broker, with the memory broker, with the
// hazelcast broker (two processes: the one taking publications and a second member holding the
// backups), and with the redis and nats brokers (a private redis-server / nats-server -js started
// here, the pub/sub bridge on as a user gets it), and heap per stored message (jcmd, after a full
// GC; for hazelcast both members, so primary and backup copies; none for redis and nats, which
// store outside the JVM). Bounded: a fixed number of publications per run.
//   node scripts/bench/broker-load.mjs [--publications 100000] [--streams 100] [--batch 100] [--brokers none,memory,hazelcast,redis,nats] [--members 1|2]
import { spawn, execFileSync } from 'node:child_process'
import { createServer, connect } from 'node:net'
import { fileURLToPath } from 'node:url'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []))
const total = Number(args.publications || 100000)
const streams = Number(args.streams || 100)
const batch = Number(args.batch || 100)
const brokers = (args.brokers || 'none,memory,hazelcast').split(',')

const freePort = () => new Promise((resolve) => { const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)) }) })
const heapUsedKb = (pid) => {
  execFileSync('jcmd', [String(pid), 'GC.run'])
  const out = execFileSync('jcmd', [String(pid), 'GC.heap_info']).toString()
  return Number(/used (\d+)K/.exec(out)[1])
}

async function clusterConfig() {
  const [p1, p2] = [await freePort(), await freePort()]
  const xml = readFileSync(path.join(root, 'conf/cluster.xml'), 'utf8')
    .replace('<cluster-name>vxcable</cluster-name>', `<cluster-name>bench-${process.pid}-${Date.now()}</cluster-name>`)
    .replace('<port auto-increment="true" port-count="20">5701</port>', `<port auto-increment="true" port-count="2">${p1}</port>`)
    .replace('<member>127.0.0.1</member>', `<member>127.0.0.1:${p1}</member><member>127.0.0.1:${p2}</member>`)
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'vxcable-bench-')), 'cluster.xml')
  writeFileSync(file, xml)
  return file
}

/** A private redis-server or nats-server -js for the redis and nats brokers: its flags and how to stop it. */
async function service(broker) {
  if (broker !== 'redis' && broker !== 'nats') return { flags: [], stop: async () => {} }
  const port = await freePort()
  const proc = broker === 'redis'
    ? spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
    : spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', mkdtempSync(path.join(os.tmpdir(), 'vxcable-js-'))], { stdio: 'ignore' })
  for (let i = 0; i < 100; i++) {
    const up = await new Promise((resolve) => { const c = connect(port, '127.0.0.1', () => { c.end(); resolve(true) }).on('error', () => resolve(false)) })
    if (up) break
    await new Promise((r) => setTimeout(r, 100))
  }
  const flags = broker === 'redis' ? [`--redis_url=redis://127.0.0.1:${port}`] : ['--pubsub=nats', `--nats_servers=nats://127.0.0.1:${port}`]
  return { flags, stop: async () => { proc.kill('SIGTERM'); await new Promise((r) => proc.once('exit', r)) } }
}

async function startServer(flags, jvm = []) {
  const port = await freePort()
  const bport = await freePort()
  const all = ['--host=127.0.0.1', `--port=${port}`, `--http_broadcast_port=${bport}`, '--public', '--log_level=warn', ...flags]
  const server = spawn('java', ['-Xmx1g', ...jvm, '-jar', path.join(root, 'modules/launcher/target/vxcable.jar'), ...all], { stdio: 'ignore' })
  for (let i = 0; i < 600; i++) {
    try { if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) break } catch {}
    await new Promise((r) => setTimeout(r, 100))
  }
  return { server, port, bport }
}

async function run(broker) {
  const flags = [`--history_limit=${args.history_limit || Math.ceil(total / streams)}`, '--history_ttl=3600']
  if (broker !== 'none') flags.push(`--broker=${broker}`)
  const jvm = broker === 'hazelcast' ? [`-Dvertx.hazelcast.config=${await clusterConfig()}`] : []
  const backing = await service(broker)
  flags.push(...backing.flags)
  const nodes = [await startServer(flags, jvm)]
  if (broker === 'hazelcast' && args.members !== '1') {
    nodes.push(await startServer(flags, jvm))
    await new Promise((r) => setTimeout(r, 3000)) // shard ownership settles between the two members
  }
  const { bport } = nodes[0]
  const heap = () => nodes.reduce((sum, n) => sum + heapUsedKb(n.server.pid), 0)
  const before = heap()
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
  const after = heap()
  for (const n of nodes.reverse()) {
    n.server.kill('SIGTERM')
    await new Promise((r) => n.server.once('exit', r))
  }
  await backing.stop()
  const inJvm = broker === 'memory' || broker === 'hazelcast'
  return { broker, processes: nodes.length, publications: total, publications_per_s: Math.round(total / seconds),
    heap_growth_kb: after - before, bytes_per_stored_message: inJvm ? Math.round(((after - before) * 1024) / total) : null }
}

for (const broker of brokers) console.log(JSON.stringify(await run(broker)))
