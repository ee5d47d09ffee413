// Laravel Echo (the published `laravel-echo` on `pusher-js`) against the packaged server, the way a
// Laravel application uses it: private and presence channels authorised by an HTTP auth endpoint
// (`/broadcasting/auth`, answered here with the official `pusher` SDK as Laravel's broadcaster does),
// events named by class (`App\Events\...`), whispers, `toOthers()` (the sender's socket id excluded).
// Env: CABLE_PORT, CABLE_PORT_2 (a second node for the second user; default CABLE_PORT),
// PUSHER_API_PORT (default CABLE_PORT). Server flags: --pusher_app_id=my-test-id
// --pusher_app_key=detox --pusher_secret=oaugc1 --broker=memory|hazelcast --norpc
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import Echo from 'laravel-echo'
import Pusher from 'pusher-js'
import PusherServer from 'pusher'

const ports = [Number(process.env.CABLE_PORT), Number(process.env.CABLE_PORT_2 || process.env.CABLE_PORT)]
const apiPort = Number(process.env.PUSHER_API_PORT || ports[0])
const server = new PusherServer({ appId: 'my-test-id', key: 'detox', secret: 'oaugc1', host: '127.0.0.1', port: String(apiPort), useTLS: false })

// The application's auth endpoint: the bearer token names the user; private-secret.* is nobody's.
const authorized = []
const app = http.createServer((req, res) => {
  let body = ''
  req.on('data', (c) => { body += c })
  req.on('end', () => {
    const form = new URLSearchParams(body)
    const user = (req.headers.authorization || '').replace(/^Bearer /, '')
    const channel = form.get('channel_name')
    if (req.url !== '/broadcasting/auth' || !user || channel.startsWith('private-secret.')) {
      res.writeHead(403).end('{"message":"This action is unauthorized."}')
      return
    }
    authorized.push(`${user} ${channel}`)
    const signed = channel.startsWith('presence-')
      ? server.authorizeChannel(form.get('socket_id'), channel, { user_id: user, user_info: { name: user.toUpperCase() } })
      : server.authorizeChannel(form.get('socket_id'), channel)
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(signed))
  })
})
let authUrl
const echoes = []
const echo = (user, node = 0) => {
  const e = new Echo({
    broadcaster: 'pusher', Pusher, key: 'detox', cluster: 'mt1', wsHost: '127.0.0.1', wsPort: ports[node],
    forceTLS: false, enabledTransports: ['ws'], disableStats: true, authEndpoint: authUrl,
    // Echo's bearerToken option writes into its shared default headers: with two users in one
    // process the last one would win, so each instance gets headers of its own.
    auth: { headers: { Authorization: `Bearer ${user}` } },
  })
  echoes.push(e)
  return e
}
const waitFor = (what, register) => Promise.race([new Promise(register),
  new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 10000))])
const subscribed = (channel, what) => waitFor(`${what} subscribed`, (resolve) => channel.subscribed(resolve))
const connected = (e) => waitFor('connected', (resolve) => {
  if (e.socketId()) resolve(e.socketId())
  else e.connector.pusher.connection.bind('connected', () => resolve(e.socketId()))
})

before(() => new Promise((resolve) => app.listen(0, '127.0.0.1', () => {
  authUrl = `http://127.0.0.1:${app.address().port}/broadcasting/auth`
  resolve()
})))
after(() => {
  echoes.forEach((e) => e.disconnect())
  app.close()
})

test('private channel: an event broadcast as App\\Events\\OrderShipped reaches listen(\'OrderShipped\')', async () => {
  const alice = echo('alice')
  const orders = alice.private('orders.1')
  await subscribed(orders, 'alice')
  assert.ok(authorized.includes('alice private-orders.1'), authorized.join(', '))
  const shipped = waitFor('OrderShipped', (resolve) => orders.listen('OrderShipped', resolve))
  const custom = waitFor('.status', (resolve) => orders.listen('.status', resolve))
  await server.trigger('private-orders.1', 'App\\Events\\OrderShipped', { order: { id: 1 } })
  await server.trigger('private-orders.1', 'status', { state: 'shipped' })
  assert.deepEqual(await shipped, { order: { id: 1 } })
  assert.deepEqual(await custom, { state: 'shipped' })
})

test('a channel the auth endpoint refuses: error() is called and nothing is subscribed', async () => {
  const mallory = echo('mallory')
  const channel = mallory.private('secret.1')
  const error = await waitFor('the subscription error', (resolve) => channel.error(resolve))
  assert.equal(error.type, 'AuthError')
  assert.equal(error.status, 403)
  assert.equal(mallory.connector.pusher.channel('private-secret.1').subscribed, false)
})

test('presence channel across nodes: here, joining, whispers to the others only, toOthers(), leaving', async () => {
  const carol = echo('carol', 0)
  const dave = echo('dave', 1)
  const carolRoom = carol.join('chat.1')
  const here = await waitFor('carol here', (resolve) => carolRoom.here(resolve))
  assert.deepEqual(here, [{ name: 'CAROL' }])
  const joining = waitFor('dave joining', (resolve) => carolRoom.joining(resolve))
  const daveRoom = dave.join('chat.1')
  const daveHere = await waitFor('dave here', (resolve) => daveRoom.here(resolve))
  assert.deepEqual(daveHere.map((m) => m.name).sort(), ['CAROL', 'DAVE'])
  assert.deepEqual(await joining, { name: 'DAVE' })

  // A whisper goes to the other member, not back to its sender.
  let echoed = 0
  carolRoom.listenForWhisper('typing', () => { echoed++ })
  const whisper = waitFor('whisper', (resolve) => daveRoom.listenForWhisper('typing', resolve))
  carolRoom.whisper('typing', { name: 'CAROL' })
  assert.deepEqual(await whisper, { name: 'CAROL' })

  // broadcast(new MessageSent)->toOthers(): the X-Socket-ID of the sender is excluded.
  const carolSocket = await connected(carol)
  let toSender = 0
  carolRoom.listen('.message.sent', () => { toSender++ })
  const toDave = waitFor('message.sent', (resolve) => daveRoom.listen('.message.sent', resolve))
  await server.trigger('presence-chat.1', 'message.sent', { text: 'hello' }, { socket_id: carolSocket })
  assert.deepEqual(await toDave, { text: 'hello' })
  // Something everyone gets, after: once carol has it, the excluded copy would have come first.
  const marker = waitFor('marker', (resolve) => carolRoom.listen('.marker', resolve))
  await server.trigger('presence-chat.1', 'marker', {})
  await marker
  assert.equal(toSender, 0)
  assert.equal(echoed, 0)

  const users = await (await server.get({ path: '/channels/presence-chat.1/users' })).json()
  assert.deepEqual(users.users.map((u) => u.id).sort(), ['carol', 'dave'])
  const leaving = waitFor('dave leaving', (resolve) => carolRoom.leaving(resolve))
  dave.leave('chat.1')
  assert.deepEqual(await leaving, { name: 'DAVE' })
})
