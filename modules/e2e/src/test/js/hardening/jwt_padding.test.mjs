// JWT segments with base64 padding (--secret --norpc --enforce_jwt; broadcasts on the main port with
// the derived key): JWTs are unpadded base64url (RFC 7515), so a valid token whose signature (or
// payload) segment gets `=` padding is a different, invalid token: disconnect unauthorized.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { env, Canary, sampleRss, afterAttack, Problems, RawClient } from './lib.mjs'
import { token, signStream, signedPubsub } from '../lib/cable.mjs'

const RSS_LIMIT_MIB = Number(process.env.RSS_LIMIT_MIB || 100)
const UNAUTHORIZED = { type: 'disconnect', reason: 'unauthorized', reconnect: false }

async function firstFrame(jwt) {
  const c = await RawClient.connect(`${env.url}?jid=${encodeURIComponent(jwt)}`)
  const m = await c.next((f) => f.type === 'welcome' || f.type === 'disconnect').catch((e) => ({ error: e.message }))
  c.close()
  return m
}

test('a token with = padding in a segment is unauthorized', async () => {
  const canary = await Canary.start({ url: `${env.url}?jid=${token({ uid: 'canary' }, { expiresIn: 600 })}`, identifier: signedPubsub(signStream('canary-jwt')), stream: 'canary-jwt' })
  const sampler = sampleRss()
  const problems = new Problems()

  // A payload whose length is not a multiple of 4, so that it can be padded too.
  let valid = token({ uid: '42' })
  for (let uid = '42'; valid.split('.')[1].length % 4 === 0; uid += '0') valid = token({ uid })
  const [header, payload, signature] = valid.split('.')
  assert.equal(signature.length, 43, 'an HS256 signature is 43 unpadded base64url characters')
  // Control: the untouched token is accepted, so a refusal below is about the padding alone.
  assert.equal((await firstFrame(valid)).type, 'welcome', 'the valid token is welcomed')

  const padded = {
    'signature padded': `${header}.${payload}.${signature}=`,
    'signature padded twice': `${header}.${payload}.${signature}==`,
  }
  padded['payload padded'] = `${header}.${payload}${'='.repeat(4 - (payload.length % 4))}.${signature}`
  for (const [name, jwt] of Object.entries(padded)) {
    const got = await firstFrame(jwt)
    console.log(`${name}: ${JSON.stringify(got)}`)
    problems.expect(JSON.stringify(got) === JSON.stringify(UNAUTHORIZED), `${name}: expected ${JSON.stringify(UNAUTHORIZED)}, got ${JSON.stringify(got)}`)
  }

  await afterAttack({ canary, sampler, rssLimitMiB: RSS_LIMIT_MIB, extra: problems })
})
