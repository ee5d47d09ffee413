// Load through the RPC bridge: connects/s (each one a Connect RPC) and commands/s (perform RPCs),
// with the packaged server and the conformance test application on this machine.
//   node scripts/bench/rpc-load.mjs [--mode grpc|http] [--connections 500] [--commands 20000] [--concurrency 200]
// Needs `mvn -DskipTests package` (the jar) and `npm ci` in modules/e2e/src/test/js (ws, grpc-js).
// Prints one JSON line. Bounded: every phase has a fixed amount of work and a deadline.
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const js = path.join(root, 'modules/e2e/src/test/js')
const { default: WebSocket } = await import(path.join(js, 'node_modules/ws/index.js'))
const { startApp } = await import(path.join(js, 'lib/rpc_app.mjs'))

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []))
const mode = args.mode || 'grpc'
const connections = Number(args.connections || 500)
const commands = Number(args.commands || 20000)
const inFlight = Number(args.concurrency || 200)

const freePort = () => new Promise((resolve) => { const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)) }) })
const [port, appPort, bport] = [await freePort(), await freePort(), await freePort()]
const rpcHost = mode === 'http' ? `http://127.0.0.1:${appPort}/_anycable` : `127.0.0.1:${appPort}`

const stopApp = await startApp({ mode, port: appPort })
const server = spawn('java', ['-Xmx512m', '-jar', path.join(root, 'modules/launcher/target/vxcable.jar'), '--host=127.0.0.1',
  `--port=${port}`, `--rpc_host=${rpcHost}`, `--http_broadcast_port=${bport}`, '--log_level=warn', '--disconnect_mode=never'],
{ stdio: ['ignore', 'ignore', 'inherit'] })
for (let i = 0; i < 200; i++) {
  try { if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) break } catch {}
  await new Promise((r) => setTimeout(r, 100))
}

function open() {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/cable?uid=load`, ['actioncable-v1-json'])
    const pending = new Map()
    ws.on('message', (d) => {
      const m = JSON.parse(d)
      if (m.type === 'welcome') resolve({ ws, pending })
      else if (m.type === 'confirm_subscription') pending.get('sub')?.()
      else if (m.message && m.message.response) pending.get(m.message.response)?.()
    })
    ws.on('error', reject)
  })
}

const deadline = (ms) => new Promise((_, reject) => setTimeout(() => reject(new Error('deadline')), ms))
const identifier = JSON.stringify({ channel: 'Perform' })

// Phase 1: connects (Connect RPC each), `inFlight` at a time.
const clients = []
let t0 = performance.now()
await Promise.race([(async () => {
  while (clients.length < connections) {
    const batch = Math.min(inFlight, connections - clients.length)
    clients.push(...await Promise.all(Array.from({ length: batch }, open)))
  }
})(), deadline(120000)])
const connectSeconds = (performance.now() - t0) / 1000

await Promise.all(clients.map((c) => new Promise((resolve) => {
  c.pending.set('sub', resolve)
  c.ws.send(JSON.stringify({ command: 'subscribe', identifier }))
})))

// Phase 2: performs (Command RPC each), `inFlight` outstanding across all connections.
let sent = 0
let done = 0
t0 = performance.now()
await Promise.race([new Promise((resolve) => {
  const next = () => {
    if (sent >= commands) return
    const c = clients[sent % clients.length]
    const tag = `r${sent++}`
    c.pending.set(tag, () => { c.pending.delete(tag); done++; if (done === commands) resolve(); else next() })
    c.ws.send(JSON.stringify({ command: 'message', identifier, data: JSON.stringify({ action: 'echo', text: tag }) }))
  }
  for (let i = 0; i < Math.min(inFlight, commands); i++) next()
}), deadline(300000)])
const commandSeconds = (performance.now() - t0) / 1000

console.log(JSON.stringify({
  mode, connections, commands, concurrency: inFlight,
  connects_per_s: Math.round(connections / connectSeconds),
  commands_per_s: Math.round(commands / commandSeconds),
  connect_seconds: +connectSeconds.toFixed(2), command_seconds: +commandSeconds.toFixed(2),
}))
clients.forEach((c) => c.ws.close())
server.kill('SIGTERM')
await new Promise((r) => server.once('exit', r))
await stopApp()
process.exit(0)
