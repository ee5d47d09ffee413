// Runs the load generator against vxcable and its peers (a bare `ws` server and Socket.IO 4) in
// one go on this machine, one JSON line per run, then a Markdown table.
//   node scripts/bench/compare.mjs [--modes fanout,idle,connect,throughput,drops] [--targets vxcable,ws,socketio]
//     [--fanout-clients 1000] [--broadcasts 200] [--rate 20] [--idle-clients 5000] [--connect-clients 2000]
//     [--server-java-opts "-Xmx512m"]
// Every server is started fresh for each mode and stopped after it (only processes this script started).
import { spawn, spawnSync, execFileSync } from 'node:child_process'
import { createServer } from 'node:net'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const peers = path.join(root, 'scripts/bench/peers')
const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []))
const modes = (args.modes || 'fanout,idle,connect').split(',')
const targets = (args.targets || 'vxcable,ws,socketio').split(',')
const serverJavaOpts = (args['server-java-opts'] || '').split(' ').filter(Boolean)

const freePort = () => new Promise((resolve) => { const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)) }) })
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

if (!existsSync(path.join(peers, 'node_modules'))) execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: peers, stdio: 'inherit' })
for (const jar of ['modules/launcher/target/vxcable.jar', 'modules/bench/target/vxcable-bench.jar']) {
  if (!existsSync(path.join(root, jar))) execFileSync('mvn', ['-B', '-q', '-DskipTests', 'package'], { cwd: root, stdio: 'inherit' })
}

async function start(target, mode) {
  const port = await freePort()
  let child
  let endpoints
  if (target === 'vxcable') {
    const bport = await freePort()
    // As the README starts it (scripts/anycable: the launcher's JVM defaults); --server-java-opts go in JAVA_OPTS.
    child = spawn(path.join(root, 'scripts/anycable'), ['--host=127.0.0.1',
      `--port=${port}`, `--http_broadcast_port=${bport}`, '--public', '--log_level=warn', ...(mode === 'drops' ? ['--broker=memory'] : [])],
      { stdio: 'ignore', env: { ...process.env, JAVA_OPTS: serverJavaOpts.join(' ') } })
    endpoints = { protocol: mode === 'drops' ? 'actioncable-ext' : 'actioncable', url: `ws://127.0.0.1:${port}/cable`, broadcast: `http://127.0.0.1:${bport}/_broadcast`, jvm: true }
  } else if (target === 'ws') {
    child = spawn('node', [path.join(peers, 'ws-server.mjs'), '--port', String(port)], { stdio: 'ignore' })
    endpoints = { protocol: 'ws', url: `ws://127.0.0.1:${port}/`, broadcast: `http://127.0.0.1:${port}/_broadcast`, jvm: false }
  } else if (target === 'socketio') {
    child = spawn('node', [path.join(peers, 'socketio-server.mjs'), '--port', String(port)], { stdio: 'ignore' })
    endpoints = { protocol: 'socketio', url: `ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`, broadcast: `http://127.0.0.1:${port}/_broadcast`, jvm: false }
  } else {
    throw new Error(`unknown target ${target}`)
  }
  for (let i = 0; i < 300; i++) {
    const ok = await new Promise((resolve) => { const s = createServer(); s.once('error', () => resolve(true)); s.listen(port, '127.0.0.1', () => s.close(() => resolve(false))) })
    if (ok) break
    await sleep(100)
  }
  await sleep(500)
  return { child, ...endpoints }
}

async function stop(server) {
  server.child.kill('SIGTERM')
  await new Promise((r) => (server.child.exitCode !== null ? r() : server.child.once('exit', r)))
}

function bench(mode, target, server) {
  const common = ['--target', target, '--protocol', server.protocol, '--url', server.url]
  const perMode = {
    fanout: ['--broadcast-url', server.broadcast, '--clients', args['fanout-clients'] || '1000', '--broadcasts', args.broadcasts || '200',
      '--rate', args.rate || '20'],
    idle: ['--clients', args['idle-clients'] || '5000', '--pid', String(server.child.pid), '--jvm', String(server.jvm)],
    connect: ['--clients', args['connect-clients'] || '2000'],
    drops: ['--broadcast-url', server.broadcast, '--clients', args['drops-clients'] || '100', '--broadcasts', '100', '--rate', '10'],
    throughput: ['--broadcast-url', server.broadcast, '--clients', args['throughput-clients'] || '1000', '--throughput',
      '--rate', args.rate || '20', '--step-seconds', '4', '--max-p99-ms', args['max-p99-ms'] || '100'],
  }[mode]
  const r = spawnSync(path.join(root, 'scripts/bench/cable-bench'), [mode === 'throughput' ? 'fanout' : mode, ...common, ...perMode], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`${mode} on ${target} failed: ${r.stderr}`)
  return JSON.parse(r.stdout.trim().split('\n').pop())
}

const results = []
for (const mode of modes) {
  for (const target of targets) {
    const server = await start(target, mode)
    try {
      const result = bench(mode, target, server)
      results.push(result)
      console.log(JSON.stringify(result))
    } finally {
      await stop(server)
    }
  }
}

const row = (r) => {
  if (r.throughput) {
    const s = r.sustained
    return `| throughput | ${r.target} | ${r.clients} clients, p99 ≤ ${r.max_p99_ms} ms | ${s ? `${s.rate_per_s} broadcasts/s, p99 ${s.latency_ms.p99} ms` : 'none held'} | ${s ? `${s.deliveries_per_s}/s` : ''} |`
  }
  if (r.mode === 'fanout') return `| fanout | ${r.target} | ${r.clients} clients, ${r.broadcasts} × ${r.rate_per_s}/s | ${r.latency_ms.p50} / ${r.latency_ms.p95} / ${r.latency_ms.p99} / ${r.latency_ms.max} ms | ${r.deliveries_per_s}/s, ${(r.delivered_ratio * 100).toFixed(1)}% |`
  if (r.mode === 'idle') return `| idle | ${r.target} | ${r.connected} clients | RSS ${r.rss_per_connection_kb} KB/conn${r.heap_per_connection_kb !== undefined ? `, heap ${r.heap_per_connection_kb} KB/conn` : ''} | |`
  if (r.mode === 'drops') return `| drops | ${r.target} | ${r.clients} ${r.protocol} clients cut ${r.cut_ms} ms every ${r.cut_every_ms} ms | ${(r.delivered_ratio * 100).toFixed(1)}% delivered, worst client ${(r.worst_client_ratio * 100).toFixed(1)}% | ${r.restored_sessions} sessions restored |`
  return `| connect | ${r.target} | ${r.connected} clients | ${r.connects_per_s} connects/s | |`
}
console.log('\n| mode | target | load | result | deliveries |\n|---|---|---|---|---|')
for (const r of results) console.log(row(r))
