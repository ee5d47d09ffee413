// A Laravel-style application behind vxcable's Pusher mode, in plain Node (node:http only):
// - GET /?user=<name>   the chat page; the name becomes the session cookie (Laravel's login, shrunk);
// - POST /broadcasting/auth   Laravel's channel authorization endpoint, signed with the official
//   `pusher` SDK: presence-chat.<room> for anyone logged in (with the user as member),
//   private-App.Models.User.<name> only for that user;
// - POST /messages   what a controller's `broadcast(new MessageSent($message))->toOthers()` does:
//   triggers `MessageSent` on presence-chat.<room> over the Pusher HTTP API, without the sender's
//   socket (X-Socket-ID), and a private `App\Events\MessageDelivered` receipt to the sender;
// - GET /vendor/*   the browser builds of pusher-js and laravel-echo from node_modules.
// Env: PORT (3000), PUSHER_APP_ID (app-id), PUSHER_APP_KEY (app-key), PUSHER_APP_SECRET (app-secret),
// PUSHER_HOST (127.0.0.1), PUSHER_PORT (8080: the API; vxcable serves it on its main port by
// default), PUSHER_WS_PORT (the port the page connects to, PUSHER_PORT by default).
import http from 'node:http'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { randomUUID } from 'node:crypto'
import Pusher from 'pusher'

const env = process.env
const config = {
  appId: env.PUSHER_APP_ID || 'app-id', key: env.PUSHER_APP_KEY || 'app-key', secret: env.PUSHER_APP_SECRET || 'app-secret',
  host: env.PUSHER_HOST || '127.0.0.1', port: env.PUSHER_PORT || '8080',
}
const wsPort = Number(env.PUSHER_WS_PORT || config.port)
const pusher = new Pusher({ ...config, useTLS: false })
const here = (path) => fileURLToPath(new URL(path, import.meta.url))
const vendor = {
  '/vendor/pusher.min.js': here('./node_modules/pusher-js/dist/web/pusher.min.js'),
  '/vendor/echo.js': here('./node_modules/laravel-echo/dist/echo.js'),
}
const NAME = /^[A-Za-z0-9_-]{1,32}$/
const ROOM = /^[a-z0-9-]{1,32}$/

const userOf = (req) => {
  const m = /(?:^|;\s*)user=([^;]+)/.exec(req.headers.cookie || '')
  return m && NAME.test(decodeURIComponent(m[1])) ? decodeURIComponent(m[1]) : null
}
const body = (req) => new Promise((resolve, reject) => {
  let data = ''
  req.setEncoding('utf8')
  req.on('data', (c) => { data += c; if (data.length > 65536) req.destroy() })
  req.on('end', () => resolve(data))
  req.on('error', reject)
})
const send = (res, status, type, payload, headers = {}) =>
  res.writeHead(status, { 'content-type': type, ...headers }).end(payload)
const json = (res, status, value) => send(res, status, 'application/json', JSON.stringify(value))

// Laravel's routes/channels.php, as a function: the member data for presence channels, true for
// a private channel the user may hear, false otherwise.
const authorizeChannel = (user, channel) => {
  const room = /^presence-chat\.(.+)$/.exec(channel)
  if (room && ROOM.test(room[1])) return { user_id: user, user_info: { name: user } }
  return channel === `private-App.Models.User.${user}`
}

const routes = {
  'GET /': async (req, res, url) => {
    const user = url.searchParams.get('user')
    if (user && !NAME.test(user)) return send(res, 400, 'text/plain', 'user: letters, digits, - and _ (at most 32)')
    const page = (await readFile(here('./public/index.html'), 'utf8'))
      .replace('__CONFIG__', JSON.stringify({ key: config.key, wsPort }))
    const cookie = user ? { 'set-cookie': `user=${encodeURIComponent(user)}; Path=/; HttpOnly; SameSite=Lax` } : {}
    send(res, 200, 'text/html; charset=utf-8', page, cookie)
  },
  'GET /me': (req, res) => json(res, 200, { user: userOf(req) }),
  'POST /broadcasting/auth': async (req, res) => {
    const user = userOf(req)
    const form = new URLSearchParams(await body(req))
    const socketId = form.get('socket_id')
    const channel = form.get('channel_name') || ''
    const allowed = user && socketId ? authorizeChannel(user, channel) : false
    if (!allowed) return json(res, 403, { message: 'This action is unauthorized.' })
    json(res, 200, allowed === true ? pusher.authorizeChannel(socketId, channel)
      : pusher.authorizeChannel(socketId, channel, allowed))
  },
  'POST /messages': async (req, res) => {
    const user = userOf(req)
    if (!user) return json(res, 401, { message: 'Unauthenticated.' })
    let input
    try { input = JSON.parse(await body(req)) } catch { return json(res, 422, { message: 'JSON body expected' }) }
    const text = String(input.text || '').trim().slice(0, 500)
    if (!text || !ROOM.test(String(input.room))) return json(res, 422, { message: 'text and room are required' })
    const message = { id: randomUUID(), user, text, at: new Date().toISOString() }
    const socketId = req.headers['x-socket-id']
    await pusher.trigger(`presence-chat.${input.room}`, 'App\\Events\\MessageSent', { message },
      socketId ? { socket_id: socketId } : {})
    await pusher.trigger(`private-App.Models.User.${user}`, 'App\\Events\\MessageDelivered', { id: message.id })
    json(res, 201, { message })
  },
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://localhost')
  try {
    const route = routes[`${req.method} ${url.pathname}`]
    if (route) return await route(req, res, url)
    if (req.method === 'GET' && vendor[url.pathname]) {
      return send(res, 200, 'text/javascript', await readFile(vendor[url.pathname]))
    }
    send(res, 404, 'text/plain', 'not found')
  } catch (e) {
    console.error(`${req.method} ${url.pathname}: ${e.message}`)
    if (!res.headersSent) json(res, 502, { message: e.message })
  }
})
server.listen(Number(env.PORT || 3000), () => {
  console.log(`pusher-chat on http://localhost:${server.address().port}/?user=alice ` +
    `(Pusher API at http://${config.host}:${config.port}/apps/${config.appId}, WebSocket port ${wsPort})`)
})
