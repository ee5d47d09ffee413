// JWT identification and signed streams: server started with --secret=<SECRET> --norpc --enforce_jwt.
// Broadcasts go to the main port (a key is derived from the secret) and are forwarded to the intake.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import WebSocket from 'ws'
import { createCable, SubscriptionRejectedError } from '@anycable/core'
import jwt from 'jsonwebtoken'
import { createHmac } from 'node:crypto'
import { env, RawClient, broadcast, publication, signStream, signedPubsub, pubsub, token } from './lib/cable.mjs'

const welcomeOf = async (c) => c.next((m) => m.type === 'welcome' || m.type === 'disconnect')

test('a token in the query, the X-JID header or the sub-protocol is accepted', async () => {
  const t = token({ uid: '42' })
  const viaQuery = await RawClient.connect(`${env.url}?jid=${t}`)
  assert.equal((await welcomeOf(viaQuery)).type, 'welcome')
  const viaHeader = await RawClient.connect(env.url, ['actioncable-v1-json'], { headers: { 'X-JID': t } })
  assert.equal((await welcomeOf(viaHeader)).type, 'welcome')
  const viaProtocol = await RawClient.connect(env.url, ['actioncable-v1-json', `anycable-token.${t}`])
  assert.equal(viaProtocol.ws.protocol, 'actioncable-v1-json') // the token is never echoed
  assert.equal((await welcomeOf(viaProtocol)).type, 'welcome')
  for (const c of [viaQuery, viaHeader, viaProtocol]) c.close()
})

test('an expired token gets token_expired and a normal close', async () => {
  const expired = jwt.sign({ ext: '{}', exp: Math.floor(Date.now() / 1000) - 10 }, env.secret, { algorithm: 'HS256' })
  const c = await RawClient.connect(`${env.url}?jid=${expired}`)
  assert.deepEqual(await c.next(), { type: 'disconnect', reason: 'token_expired', reconnect: false })
  assert.equal((await c.closed).code, 1000)
})

test('a forged token or no token is unauthorized', async () => {
  const forged = jwt.sign({ ext: '{}' }, 'not-the-secret', { algorithm: 'HS256' })
  const c = await RawClient.connect(`${env.url}?jid=${forged}`)
  assert.deepEqual(await c.next(), { type: 'disconnect', reason: 'unauthorized', reconnect: false })
  assert.equal((await c.closed).code, 1000)
  const none = await RawClient.connect(env.url)
  assert.deepEqual(await none.next(), { type: 'disconnect', reason: 'unauthorized', reconnect: false })
})

test('@anycable/core: connect is refused without a token, with reason unauthorized', async () => {
  const cable = createCable(env.url, { websocketImplementation: WebSocket, logLevel: 'error', lazy: false })
  await assert.rejects(cable.connect(), (err) => err.reason === 'unauthorized')
  cable.disconnect()
})

test('@anycable/core: a signed stream is confirmed and receives broadcasts sent to the main port', async () => {
  const cable = createCable(env.url, {
    websocketImplementation: WebSocket, logLevel: 'error', auth: { token: token({ uid: '7' }) },
  })
  const channel = cable.streamFromSigned(signStream('chat/2'))
  await channel.ensureSubscribed()
  const got = new Promise((resolve) => channel.on('message', resolve))
  assert.equal(await broadcast(publication('chat/2', { text: 'signed hello' })), 201)
  assert.deepEqual(await got, { text: 'signed hello' })
  const forged = cable.streamFromSigned(signStream('chat/2', 'wrong-secret'))
  await assert.rejects(forged.ensureSubscribed(), SubscriptionRejectedError)
  cable.disconnect()
})

test('broadcasts to the main port need the derived key', async () => {
  assert.equal(await broadcast(publication('x', 1), { key: '' }), 401)
  assert.equal(await broadcast(publication('x', 1), { key: 'wrong' }), 401)
  assert.equal(await broadcast(publication('x', 1)), 201)
})

test('unsigned streams are rejected without --public_streams, and signed ones ignore whispers', async () => {
  const t = token({ uid: '1' })
  const a = await RawClient.connect(`${env.url}?jid=${t}`)
  const b = await RawClient.connect(`${env.url}?jid=${t}`)
  await welcomeOf(a)
  await welcomeOf(b)
  assert.equal((await a.subscribe(pubsub('open'))).type, 'reject_subscription')
  const id = signedPubsub(signStream('room/9'))
  assert.equal((await a.subscribe(id)).type, 'confirm_subscription')
  assert.equal((await b.subscribe(id)).type, 'confirm_subscription')
  a.send({ command: 'whisper', identifier: id, data: { event: 'typing' } })
  await b.expectNothing(500)
  a.close()
  b.close()
})

test('the REST API needs hex(HMAC-SHA256(secret, "api-cable")); without a broker presence is 501', async () => {
  const api = `http://127.0.0.1:${env.port}/api`
  const key = createHmac('sha256', env.secret).update('api-cable').digest('hex')
  assert.equal((await fetch(`${api}/presence/room/users`)).status, 401)
  assert.equal((await fetch(`${api}/presence/room/users`, { headers: { Authorization: 'Bearer wrong' } })).status, 401)
  assert.equal((await fetch(`${api}/presence/room/users`, { headers: { Authorization: `Bearer ${key}` } })).status, 501)
  const publish = (auth) => fetch(`${api}/publish`, { method: 'POST', headers: auth ? { Authorization: auth } : {},
    body: JSON.stringify({ stream: 'x', data: '1' }) })
  assert.equal((await publish()).status, 401)
  assert.equal((await publish(`Bearer ${key}`)).status, 201)
})
