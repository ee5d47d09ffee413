// Handshake checks (--public, broadcasts on their own port, the REST API on a third: API_PORT):
// a WebSocket version other than 13 gets 426 naming version 13, a Sec-WebSocket-Key that is not
// base64 of 16 bytes gets 400, and cleartext HTTP/2 (prior-knowledge preface or Upgrade: h2c) is
// never answered with HTTP/2 on any listener.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import { env, Canary, sampleRss, afterAttack, Problems } from './lib.mjs'

const RSS_LIMIT_MIB = Number(process.env.RSS_LIMIT_MIB || 100)
const listeners = [
  ['main', Number(env.port)],
  ['broadcast', Number(new URL(env.broadcastUrl).port)],
  ['api', Number(process.env.API_PORT)],
]

/**
 * Writes `bytes` on a fresh connection and collects what comes back until the server closes, the
 * response head is complete (for HTTP/1.1) or `ms` pass. Never rejects.
 */
function exchange(port, bytes, ms = 8000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port })
    let data = Buffer.alloc(0)
    let done = false
    const finish = (how) => {
      if (done) return
      done = true
      clearTimeout(timer)
      socket.destroy()
      resolve({ data, how })
    }
    const timer = setTimeout(() => finish('timeout'), ms)
    socket.on('connect', () => socket.write(bytes))
    socket.on('data', (d) => {
      data = Buffer.concat([data, d])
      if (data.toString('latin1').includes('\r\n\r\n') && data.toString('latin1').startsWith('HTTP/1.1 ')) finish('head')
      if (data.length >= 9 && !data.toString('latin1').startsWith('HTTP/')) finish('frames')
    })
    socket.on('error', (e) => finish(e.code))
    socket.on('close', () => finish('closed'))
  })
}

const upgrade = (headers) => Buffer.from(`GET /cable HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`
  + `Sec-WebSocket-Protocol: actioncable-v1-json\r\n${headers}\r\n`)
const statusOf = (r) => /^HTTP\/1\.1 (\d{3})/.exec(r.data.toString('latin1'))?.[1]
const show = (r) => `${JSON.stringify(r.data.toString('latin1').slice(0, 60))} (${r.how})`

// The HTTP/2 connection preface and an empty SETTINGS frame.
const H2_PREFACE = Buffer.concat([Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0])])
const H2C_UPGRADE = Buffer.from('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade, HTTP2-Settings\r\n'
  + 'Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n')

test('malformed WebSocket handshakes are refused and h2c is never spoken', async () => {
  assert.ok(listeners.every(([, p]) => p > 0), 'CABLE_PORT, BROADCAST_URL and API_PORT are set')
  const canary = await Canary.start()
  const sampler = sampleRss()
  const problems = new Problems()

  // Control: a correct handshake is accepted, so the refusals below are about the one header changed.
  const ok = await exchange(Number(env.port), upgrade('Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n'))
  assert.equal(statusOf(ok), '101', `a correct handshake: ${show(ok)}`)

  const v8 = await exchange(Number(env.port), upgrade('Sec-WebSocket-Version: 8\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n'))
  console.log(`version 8: ${show(v8)}`)
  problems.expect(statusOf(v8) === '426' && /\r\nSec-WebSocket-Version: 13\r\n/i.test(v8.data.toString('latin1')),
    `Sec-WebSocket-Version: 8: expected 426 with Sec-WebSocket-Version: 13, got ${show(v8)}`)

  for (const key of ['abc', 'dGhlIHNhbXBsZQ==' /* base64 of 10 bytes */, '!!!!!!!!!!!!!!!!!!!!!!==']) {
    const r = await exchange(Number(env.port), upgrade(`Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${key}\r\n`))
    console.log(`key ${key}: ${show(r)}`)
    problems.expect(statusOf(r) === '400', `Sec-WebSocket-Key: ${key}: expected 400, got ${show(r)}`)
  }

  for (const [name, port] of listeners) {
    const prior = await exchange(port, H2_PREFACE)
    console.log(`h2c prior knowledge on the ${name} port: ${show(prior)}`)
    problems.expect(prior.data.length === 0 ? prior.how !== 'timeout' : prior.data.toString('latin1').startsWith('HTTP/1.1 '),
      `h2c preface on the ${name} port: expected an HTTP/1.1 answer or a close, got ${show(prior)}`)
    const up = await exchange(port, H2C_UPGRADE)
    console.log(`Upgrade: h2c on the ${name} port: ${show(up)}`)
    problems.expect(up.data.length === 0 ? up.how !== 'timeout' : statusOf(up) !== undefined && statusOf(up) !== '101',
      `Upgrade: h2c on the ${name} port: expected an HTTP/1.1 answer other than 101 or a close, got ${show(up)}`)
  }

  await afterAttack({ canary, sampler, rssLimitMiB: RSS_LIMIT_MIB, extra: problems })
})
