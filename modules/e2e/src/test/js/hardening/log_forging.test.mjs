// Log forging (--public --debug): client-controlled values that reach the log (a ?pi= query value,
// an unknown command, an unknown subscription, a malformed frame) carry CR/LF followed by a fake log
// line `<timestamp> INFO forged-<FORGE_NONCE>`. This file only delivers them and makes sure the
// server processed each; the JUnit side then checks that no log line starts with the forgery.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { env, Canary, sampleRss, afterAttack, Problems, RawClient, pubsub } from './lib.mjs'

const nonce = process.env.FORGE_NONCE
const RSS_LIMIT_MIB = Number(process.env.RSS_LIMIT_MIB || 100)
const stamp = () => new Date().toISOString().replace('T', ' ').replace('Z', '')
const forged = (eol) => `${eol}${stamp()} INFO forged-${nonce} component=AnyCableCli${eol}`

test('newlines in logged client values do not forge log lines', async () => {
  assert.ok(nonce, 'FORGE_NONCE is set')
  const canary = await Canary.start()
  const sampler = sampleRss()
  const problems = new Problems()

  for (const eol of ['\n', '\r\n', '\r']) {
    // A ?pi= that is not an integer is logged at debug level during the handshake (before the welcome).
    const c = await RawClient.connect(`${env.url}?pi=${encodeURIComponent(`x${forged(eol)}`)}`)
    await c.next((m) => m.type === 'welcome')
    // Command and identifier strings echoed in debug lines.
    c.send({ command: `nope${forged(eol)}`, identifier: pubsub('x') })
    c.send({ command: 'unsubscribe', identifier: `id${forged(eol)}` })
    c.send({ command: 'message', identifier: `id${forged(eol)}`, data: '{}' })
    c.send(`{"command":"subscribe"${forged(eol)}`) // not JSON at all
    // Commands are handled in order: once this one is confirmed, every line above has been logged.
    const done = await c.subscribe(pubsub(`after-${eol.length}`))
    problems.expect(done.type === 'confirm_subscription', `a valid subscribe after the forged commands: ${JSON.stringify(done)}`)
    c.close()
    await c.closed
  }

  await afterAttack({ canary, sampler, rssLimitMiB: RSS_LIMIT_MIB, extra: problems })
})
