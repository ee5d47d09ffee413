// Subscriptions per connection (--public, default --max_subscriptions_per_connection=1000): one
// connection subscribing to 1,001 distinct public streams gets 1,000 confirm_subscription and then
// reject_subscription; once it unsubscribes one, it may subscribe again. The server stays healthy.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Canary, sampleRss, afterAttack, Problems, RawClient, pubsub, eventually } from './lib.mjs'

const CAP = 1000
const RSS_LIMIT_MIB = Number(process.env.RSS_LIMIT_MIB || 100)

test('one connection holds at most 1,000 subscriptions', async () => {
  const canary = await Canary.start()
  const sampler = sampleRss()
  const problems = new Problems()

  const c = await RawClient.connect()
  await c.next((m) => m.type === 'welcome')
  const ids = Array.from({ length: CAP + 1 }, (_, i) => pubsub(`cap-${i}-${'s'.repeat(100)}`))
  for (const identifier of ids) c.send({ command: 'subscribe', identifier })
  const replies = new Map()
  const isReply = (m) => /subscription$/.test(m.type || '') && m.identifier
  await eventually(() => {
    for (const m of c.frames.filter(isReply)) replies.set(m.identifier, m.type)
    return replies.size === ids.length
  }, { timeoutMs: 15_000, what: `replies to all ${ids.length} subscribe commands` }).catch((e) => problems.push(e.message))
  const confirmed = ids.filter((id) => replies.get(id) === 'confirm_subscription').length
  const last = replies.get(ids[CAP])
  console.log(`${confirmed} confirmed; the ${CAP + 1}st: ${last}`)
  problems.expect(confirmed === CAP, `expected the first ${CAP} subscriptions confirmed, got ${confirmed}`)
  problems.expect(ids.slice(0, CAP).every((id) => replies.get(id) === 'confirm_subscription'), 'one of the first 1,000 was not confirmed')
  problems.expect(last === 'reject_subscription', `expected the ${CAP + 1}st subscription rejected, got ${last}`)

  // The cap counts subscriptions held: after an unsubscribe there is room for one more.
  c.frames.length = 0
  c.send({ command: 'unsubscribe', identifier: ids[0] })
  const again = await c.subscribe(ids[CAP]).catch((e) => ({ type: e.message }))
  problems.expect(again.type === 'confirm_subscription', `after an unsubscribe, expected the subscription confirmed, got ${again.type}`)
  c.close()

  await afterAttack({ canary, sampler, rssLimitMiB: RSS_LIMIT_MIB, extra: problems })
  assert.ok(true)
})
