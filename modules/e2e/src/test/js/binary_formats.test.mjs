// AnyCable Pro's binary formats (msgpack, protobuf) with @anycable/core and the published encoders'
// code, next to JSON clients. Server flags: --public
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import WebSocket from 'ws'
import { createCable } from '@anycable/core'
import { env, broadcast, publication, pubsub } from './lib/cable.mjs'
import { BinaryClient, encoderFor } from './lib/encoders.mjs'

const BINARY = ['actioncable-v1-msgpack', 'actioncable-v1-ext-msgpack', 'actioncable-v1-protobuf', 'actioncable-v1-ext-protobuf']
const ALL = ['actioncable-v1-json', 'actioncable-v1-ext-json', ...BINARY]

const cables = []
const cable = (protocol) => {
  const c = createCable(env.url, {
    websocketImplementation: WebSocket, logLevel: 'error', lazy: false, protocol, encoder: encoderFor(protocol),
  })
  cables.push(c)
  return c
}
after(() => cables.forEach((c) => c.disconnect()))

/** Collects a channel's messages and resolves once `n` have arrived. */
function collect(channel, n, timeoutMs = 15000) {
  const got = []
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`got ${got.length}/${n}: ${JSON.stringify(got.slice(-3))}`)), timeoutMs)
    channel.on('message', (msg) => {
      got.push(msg)
      if (got.length === n) {
        clearTimeout(timer)
        resolve(got)
      }
    })
  })
}

test('each binary sub-protocol is selected and spoken in binary frames only', async () => {
  for (const protocol of BINARY) {
    const c = await BinaryClient.connect(env.url, protocol)
    assert.equal(c.ws.protocol, protocol)
    const welcome = await c.next()
    assert.equal(welcome.type, 'welcome', protocol)
    if (protocol.includes('-ext-')) assert.match(welcome.sid, /^[A-Za-z0-9_-]{21}$/, protocol)
    const id = pubsub(`raw/${protocol}`)
    c.send({ command: 'subscribe', identifier: id })
    const confirmation = await c.next()
    assert.equal(confirmation.type, 'confirm_subscription', protocol)
    assert.equal(confirmation.identifier, id, protocol)
    await broadcast(publication(`raw/${protocol}`, { n: 1 }))
    const data = await c.next()
    assert.equal(data.identifier, id, protocol)
    assert.deepEqual(data.message, { n: 1 }, protocol)
    assert.equal(c.textFrames, 0, `${protocol}: no text frame`)
    c.close()
  }
})

test('a client offering only unknown sub-protocols is served plain JSON, with no sub-protocol answered', async () => {
  // ws sends the header as given and, having asked for no protocol itself, accepts an answer with none.
  const ws = new WebSocket(env.url, [], { headers: { 'Sec-WebSocket-Protocol': 'actioncable-v1-cbor, actioncable-v2-x' } })
  const [data, isBinary] = await new Promise((resolve, reject) => {
    ws.once('message', (d, b) => resolve([d, b]))
    ws.once('error', reject)
  })
  assert.equal(ws.protocol, '')
  assert.equal(isBinary, false)
  assert.equal(JSON.parse(data.toString()).type, 'welcome')
  ws.close()
})

test('@anycable/core over actioncable-v1-ext-msgpack subscribes and receives every payload shape', async () => {
  const c = cable('actioncable-v1-ext-msgpack')
  const channel = c.streamFrom('shapes/msgpack')
  await channel.ensureSubscribed()
  assert.match(c.sessionId, /^[A-Za-z0-9_-]{21}$/)
  const received = collect(channel, 5)
  await broadcast(publication('shapes/msgpack', { text: 'hi ✓', nested: { n: [1, -2, 2.5, 2 ** 40] } }))
  await broadcast({ stream: 'shapes/msgpack', data: JSON.stringify('hello') })
  await broadcast({ stream: 'shapes/msgpack', data: 'not json' })
  await broadcast({ stream: 'shapes/msgpack', data: '42' })
  await broadcast(publication('shapes/msgpack', [true, null, 'x']))
  assert.deepEqual(await received, [
    { text: 'hi ✓', nested: { n: [1, -2, 2.5, 2 ** 40] } }, 'hello', 'not json', 42, [true, null, 'x'],
  ])
})

test('JSON, msgpack and protobuf clients on one stream see the same messages in the same order', async () => {
  const stream = `mixed/${Date.now()}`
  const channels = ALL.map((protocol) => cable(protocol).streamFrom(stream))
  await Promise.all(channels.map((ch) => ch.ensureSubscribed()))
  const total = 60
  const received = channels.map((ch) => collect(ch, total, 30000))
  const expected = []
  for (let seq = 1; seq <= total; seq++) {
    const shape = seq % 4 === 0 ? `text ${seq}` : seq % 4 === 1 ? { seq, list: [seq, 0.5, false, null], deep: { a: { b: 'ü' } } }
      : seq % 4 === 2 ? [seq, 'x'] : seq
    expected.push(shape)
  }
  // One batch of ten, then one by one.
  await broadcast(expected.slice(0, 10).map((m) => publication(stream, m)))
  for (const m of expected.slice(10)) await broadcast(publication(stream, m))
  const got = await Promise.all(received)
  got.forEach((messages, i) => assert.deepEqual(messages, expected, ALL[i]))
})

test('whispers from msgpack and protobuf clients reach a JSON client as the object sent', async () => {
  const stream = `whisper/${Date.now()}`
  const listener = cable('actioncable-v1-json').streamFrom(stream)
  await listener.ensureSubscribed()
  for (const protocol of BINARY) {
    const whisperer = cable(protocol).streamFrom(stream)
    await whisperer.ensureSubscribed()
    const heard = collect(listener, 1)
    await whisperer.whisper({ event: 'typing', user: protocol, n: 1 })
    assert.deepEqual(await heard, [{ event: 'typing', user: protocol, n: 1 }], protocol)
  }
})
