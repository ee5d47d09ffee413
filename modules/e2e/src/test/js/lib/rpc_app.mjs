// A test application speaking AnyCable RPC over gRPC (@grpc/grpc-js) or HTTP (node:http), with the
// connect handlers and channels of AnyCable's conformance scenarios (anyt). It records every call.
import grpc from '@grpc/grpc-js'
import protoLoader from '@grpc/proto-loader'
import http from 'node:http'
import { fileURLToPath } from 'node:url'
import { broadcast } from './cable.mjs'

const PROTO = fileURLToPath(new URL('../../../../../../proto/anycable/rpc.proto', import.meta.url))
const SUCCESS = 1
const FAILURE = 2

export const calls = { connect: [], command: [], disconnect: [] }

const query = (url) => new URL(url).searchParams
const cookie = (header, name) => {
  for (const part of (header || '').split(';')) {
    const [k, v] = part.split('=')
    if (k && k.trim() === name) return decodeURIComponent((v || '').trim())
  }
  return undefined
}

function connect(req, sid) {
  calls.connect.push({ req, sid })
  const env = req.env || {}
  const q = query(env.url)
  const headers = env.headers || {}
  const reject = {
    status: FAILURE,
    transmissions: [JSON.stringify({ type: 'disconnect', reason: 'unauthorized', reconnect: false })],
  }
  const tag = q.get('test')
  if (tag === 'reasons' && q.get('reason') === 'unauthorized') return reject
  if (tag === 'request_url' && !/test=request_url/.test(env.url)) return reject
  if (tag === 'cookies' && cookie(headers.cookie, 'username') !== 'john green') return reject
  if (tag === 'headers' && headers['x-api-token'] !== 'abc') return reject
  if (tag === 'uid' && !q.get('uid')) return reject
  const uid = q.get('uid') || q.get('user_id') || ''
  return {
    status: SUCCESS,
    identifiers: JSON.stringify({ uid }),
    transmissions: [JSON.stringify({ type: 'welcome', sid })],
    env: { cstate: { token: q.get('token') || '' } },
  }
}

const confirm = (identifier) => JSON.stringify({ identifier, type: 'confirm_subscription' })
const rejectSub = (identifier) => JSON.stringify({ identifier, type: 'reject_subscription' })
const transmit = (identifier, message) => JSON.stringify({ identifier, message })

function command(req, sid) {
  calls.command.push({ req, sid })
  const { command: cmd, identifier, data } = req
  const env = req.env || {}
  const params = JSON.parse(identifier)
  const channel = params.channel
  const istate = env.istate || {}
  const ok = (extra = {}) => ({ status: SUCCESS, transmissions: [], streams: [], stopped_streams: [], ...extra })
  if (cmd === 'unsubscribe') return ok({ stop_streams: true })
  if (cmd === 'subscribe') {
    switch (channel) {
      case 'Rejector': return { status: FAILURE, transmissions: [rejectSub(identifier)] }
      case 'Transmitter': return ok({ transmissions: [transmit(identifier, 'hello'), transmit(identifier, 'world'), confirm(identifier)] })
      case 'Streams': return ok({ transmissions: [confirm(identifier)], streams: params.multi ? ['a', 'b'] : ['a'] })
      case 'State':
        return ok({
          transmissions: [confirm(identifier)], streams: ['state_counts'],
          env: { istate: { user: JSON.stringify({ name: params.name }), count: '1' } },
        })
      case 'LeftNotifier': return ok({ transmissions: [confirm(identifier)], streams: [`request_${params.id ? 'c' : params.x || 'a'}`] })
      case 'RequestCheck':
        return query(env.url).get('token') === 'secret' ? ok({ transmissions: [confirm(identifier)] }) : { status: FAILURE, transmissions: [rejectSub(identifier)] }
      case 'Whisper': return ok({ transmissions: [confirm(identifier)], streams: ['w'], env: { istate: { $w: 'w' } } })
      case 'Benchmark': return ok({ transmissions: [confirm(identifier)], streams: [`all${params.id ?? ''}`] })
      case 'Presence': {
        // Implicit join on subscribe (anyt's PresenceImplicitChannel) when asked for.
        const uid = JSON.parse(req.connection_identifiers || '{}').uid
        const join = params.join ? { presence: { type: 'join', id: uid, info: JSON.stringify({ name: params.name }) } } : {}
        return ok({ transmissions: [confirm(identifier)], streams: ['presence_room'], env: { istate: { $p: 'presence_room' } }, ...join })
      }
      default: return ok({ transmissions: [confirm(identifier)] })
    }
  }
  const payload = JSON.parse(data || '{}')
  if (channel === 'Presence') {
    const uid = JSON.parse(req.connection_identifiers || '{}').uid
    if (payload.action === 'follow') return ok({ presence: { type: 'join', id: uid, info: JSON.stringify({ name: payload.name }) } })
    if (payload.action === 'unfollow') return ok({ presence: { type: 'leave', id: uid } })
  }
  switch (payload.action) {
    case 'tick':
      if (channel === 'State') {
        const count = Number(istate.count || 0) + 2
        const { name } = JSON.parse(istate.user || '{}')
        return ok({ transmissions: [transmit(identifier, { count, name })], env: { istate: { count: String(count) } } })
      }
      return ok({ transmissions: [transmit(identifier, 'tock')] })
    case 'echo':
      if (channel === 'Benchmark') return ok({ transmissions: [transmit(identifier, payload)] })
      return ok({ transmissions: [transmit(identifier, { response: payload.text })] })
    case 'broadcast': {
      const { action, ...data } = payload
      broadcast({ stream: `all${params.id ?? ''}`, data: JSON.stringify(data) })
      return ok({ transmissions: [transmit(identifier, { ...data, action: 'broadcastResult' })] })
    }
    case 'counter': {
      const num = payload.num || 100
      const batch = Array.from({ length: num }, (_, i) => ({ stream: 'all', data: JSON.stringify({ text: `Count: ${i}` }) }))
      broadcast(batch)
      return ok()
    }
    case 'follow': return ok({ streams: [payload.name] })
    case 'unfollow': return ok({ stopped_streams: [payload.name] })
    case 'stopAll': return ok({ stop_streams: true })
    case 'speak':
      broadcast({ stream: 'a', data: JSON.stringify({ content: payload.content }), meta: { exclude_socket: sid } })
      return ok()
    default: return { status: 0, error_msg: `unknown action ${payload.action}` }
  }
}

async function disconnect(req, sid) {
  calls.disconnect.push({ req, sid })
  const istates = (req.env && req.env.istate) || {}
  for (const identifier of req.subscriptions || []) {
    const params = JSON.parse(identifier)
    const state = istates[identifier] ? JSON.parse(istates[identifier]) : {}
    if (params.channel === 'State' && params.notify_disconnect) {
      const { name } = JSON.parse(state.user || '{}')
      await broadcast({ stream: 'state_counts', data: JSON.stringify({ data: `user left: ${name}` }) })
    }
    if (params.channel === 'LeftNotifier') {
      const stream = `request_${params.id ? 'c' : params.x || 'a'}`
      await broadcast({ stream, data: JSON.stringify({ data: `user left${params.id ?? ''}` }) })
    }
  }
  return { status: SUCCESS }
}

/** Starts the application; `mode` is grpc or http. Returns a stop function. */
export async function startApp({ mode, port, secret = '', delayMs = 0 }) {
  if (mode === 'grpc') {
    const def = protoLoader.loadSync(PROTO, { keepCase: true, longs: String, enums: Number, defaults: true, oneofs: true })
    const { anycable } = grpc.loadPackageDefinition(def)
    const server = new grpc.Server()
    const sid = (call) => String(call.metadata.get('sid')[0] || '')
    server.addService(anycable.RPC.service, {
      Connect: (call, cb) => cb(null, connect(call.request, sid(call))),
      Command: (call, cb) => cb(null, command(call.request, sid(call))),
      Disconnect: (call, cb) => disconnect(call.request, sid(call)).then((r) => cb(null, r)),
    })
    await new Promise((resolve, reject) => server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(),
      (err) => (err ? reject(err) : resolve())))
    return () => new Promise((resolve) => server.tryShutdown(resolve))
  }
  const server = http.createServer(async (req, res) => {
    const chunks = []
    for await (const c of req) chunks.push(c)
    if (secret && req.headers.authorization !== `Bearer ${secret}`) {
      res.writeHead(401).end()
      return
    }
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs))
    const body = JSON.parse(Buffer.concat(chunks).toString() || '{}')
    const sid = String(req.headers['x-anycable-meta-sid'] || '')
    const method = req.url.split('/').pop()
    const result = method === 'connect' ? connect(body, sid) : method === 'command' ? command(body, sid) : await disconnect(body, sid)
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(result))
  })
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve))
  return () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve) })
}
