// Pusher compatibility: the published `pusher-js` client and the official `pusher` server SDK
// against the packaged server. Env: CABLE_PORT, PUSHER_API_PORT (default: CABLE_PORT). Server flags:
// --pusher_app_id=my-test-id --pusher_app_key=detox --pusher_secret=oaugc1 --broker=memory (presence)
// --norpc [--pusher_api_port=<PUSHER_API_PORT>]
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import Pusher from 'pusher-js'
import PusherServer from 'pusher'

const port = Number(process.env.CABLE_PORT)
const apiPort = Number(process.env.PUSHER_API_PORT || port)
const server = new PusherServer({ appId: 'my-test-id', key: 'detox', secret: 'oaugc1', host: '127.0.0.1', port: String(apiPort), useTLS: false })
const clients = []
const client = (name) => {
  const c = new Pusher('detox', {
    cluster: 'mt1', wsHost: '127.0.0.1', wsPort: port, forceTLS: false, enabledTransports: ['ws'], disableStats: true,
    // The application's auth endpoint, as a handler: the SDK signs the socket id (and the member).
    channelAuthorization: { customHandler: ({ socketId, channelName }, cb) => cb(null, channelName.startsWith('presence-')
      ? server.authorizeChannel(socketId, channelName, { user_id: name, user_info: { name } })
      : server.authorizeChannel(socketId, channelName)) },
  })
  clients.push(c)
  return c
}
const once = (ch, ev, what = ev) => Promise.race([new Promise((resolve) => ch.bind(ev, resolve)),
  new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 10000))])

after(() => clients.forEach((c) => c.disconnect()))

test('public channels: subscribe, then trigger (one channel, several, batch) with the server SDK', async () => {
  const a = client('alice')
  const news = a.subscribe('test-channel')
  await once(news, 'pusher:subscription_succeeded')
  const got = once(news, 'test-event')
  await server.trigger('test-channel', 'test-event', { message: 'hi' })
  assert.deepEqual(await got, { message: 'hi' })
  const several = once(news, 'several')
  await server.trigger(['test-channel', 'other'], 'several', { n: 2 })
  assert.deepEqual(await several, { n: 2 })
  const batched = once(news, 'batched')
  const res = await server.triggerBatch([{ channel: 'test-channel', name: 'batched', data: { n: 1 } }])
  assert.equal(res.status, 200)
  assert.deepEqual(await batched, { n: 1 })
})

test('private channels: signed subscribe; client events reach the other member, not the sender', async () => {
  const a = client('alice')
  const b = client('bob')
  const pa = a.subscribe('private-room')
  const pb = b.subscribe('private-room')
  await Promise.all([once(pa, 'pusher:subscription_succeeded'), once(pb, 'pusher:subscription_succeeded')])
  let echoed = false
  pa.bind('client-typing', () => { echoed = true })
  const whisper = once(pb, 'client-typing')
  assert.equal(pa.trigger('client-typing', { who: 'alice' }), true)
  assert.deepEqual(await whisper, { who: 'alice' })
  // A trigger after the client event: once it is in, the echo would have been too.
  const after = once(pa, 'after')
  await server.trigger('private-room', 'after', {})
  await after
  assert.equal(echoed, false)
})

test('presence channels: members, arrivals, departures, and the users API', async () => {
  const a = client('carol')
  const b = client('dave')
  const ra = a.subscribe('presence-room')
  const members = await once(ra, 'pusher:subscription_succeeded', 'carol subscribed')
  assert.equal(members.count, 1)
  assert.equal(members.me.id, 'carol')
  const added = once(ra, 'pusher:member_added')
  const rb = b.subscribe('presence-room')
  const mb = await once(rb, 'pusher:subscription_succeeded', 'dave subscribed')
  assert.equal(mb.count, 2)
  assert.deepEqual((await added), { id: 'dave', info: { name: 'dave' } })
  const users = await (await server.get({ path: '/channels/presence-room/users' })).json()
  assert.deepEqual(users.users.map((u) => u.id).sort(), ['carol', 'dave'])
  const removed = once(ra, 'pusher:member_removed')
  b.unsubscribe('presence-room')
  assert.equal((await removed).id, 'dave')
  await assert.rejects(server.get({ path: '/channels/test-channel/users' }), (e) => e.status === 400)
})
