// --public --allowed_origins=example.com,*.trusted.test
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { env, RawClient } from './lib/cable.mjs'

test('origins outside the list are refused with 403', async () => {
  await assert.rejects(RawClient.connect(env.url, ['actioncable-v1-json'], { headers: { Origin: 'http://evil.test' } }),
    (e) => e.status === 403)
  await assert.rejects(RawClient.connect(env.url), (e) => e.status === 403) // no Origin at all
})

test('listed origins and wildcard matches are accepted', async () => {
  for (const origin of ['http://example.com', 'https://app.trusted.test']) {
    const c = await RawClient.connect(env.url, ['actioncable-v1-json'], { headers: { Origin: origin } })
    assert.equal((await c.next()).type, 'welcome')
    c.close()
  }
})
