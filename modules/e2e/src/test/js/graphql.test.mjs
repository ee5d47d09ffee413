// Apollo GraphQL: the published `graphql-ws` and legacy `subscriptions-transport-ws` clients against
// the packaged server (--graphql_path=/graphql), with a GraphqlChannel application over HTTP RPC
// defined here (graphql-anycable's conventions: {result, more} transmissions and broadcasts).
// Env: CABLE_PORT, RPC_PORT, BROADCAST_URL. Server flags: --graphql_path=/graphql
// --rpc_host=http://127.0.0.1:<RPC_PORT>
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import WebSocket from 'ws'
import { createClient } from 'graphql-ws'
import legacyPkg from 'subscriptions-transport-ws'
import { broadcast, sleep } from './lib/cable.mjs'

const { SubscriptionClient } = legacyPkg
const SUCCESS = 1
const FAILURE = 2
const URL = `ws://127.0.0.1:${process.env.CABLE_PORT}/graphql`
const calls = { connect: [], command: [] }
const byChannelId = (id, command) => calls.command.filter((c) => c.command === command
  && JSON.parse(c.identifier).channelId === id)

async function until(check, what, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = check()
    if (value) return value
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`)
    await sleep(20)
  }
}

// The application: Connect accepts the connection param token "secret"; GraphqlChannel#execute
// answers a query with a final result and a subscription with {data: null}, streaming it from
// "posts" as graphql-anycable does.
function command(req) {
  calls.command.push(req)
  const { identifier } = req
  const ok = (transmissions = [], streams = []) => ({ status: SUCCESS, transmissions, streams, stopped_streams: [] })
  if (req.command === 'subscribe') {
    if (JSON.parse(identifier).channel !== 'GraphqlChannel') return { status: FAILURE, transmissions: [] }
    return ok([JSON.stringify({ identifier, type: 'confirm_subscription' })])
  }
  if (req.command === 'unsubscribe') return ok()
  const data = JSON.parse(req.data)
  if (data.action !== 'execute') return ok()
  if (data.query.trim().startsWith('subscription')) {
    return ok([JSON.stringify({ identifier, message: { result: { data: null }, more: true } })], ['posts'])
  }
  if (data.query.includes('broken')) {
    return ok([JSON.stringify({ identifier, message: { result: { errors: [{ message: 'Field broken does not exist' }] }, more: false } })])
  }
  const name = data.variables?.name ?? 'world'
  return ok([JSON.stringify({ identifier, message: { result: { data: { hello: name } }, more: false } })])
}

const app = http.createServer(async (req, res) => {
  const chunks = []
  for await (const c of req) chunks.push(c)
  const body = JSON.parse(Buffer.concat(chunks).toString() || '{}')
  const method = req.url.split('/').pop()
  let result
  if (method === 'connect') {
    calls.connect.push(body)
    const header = body.env.headers?.['x-apollo-connection']
    const params = header ? JSON.parse(header) : {}
    result = params.token === 'secret'
      ? { status: SUCCESS, identifiers: JSON.stringify({ user: params.user }), transmissions: [JSON.stringify({ type: 'welcome' })] }
      : { status: FAILURE, transmissions: [JSON.stringify({ type: 'disconnect', reason: 'unauthorized', reconnect: false })] }
  } else if (method === 'command') {
    result = command(body)
  } else {
    result = { status: SUCCESS }
  }
  res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(result))
})
await new Promise((resolve) => app.listen(Number(process.env.RPC_PORT), '127.0.0.1', resolve))
after(() => new Promise((resolve) => { app.closeAllConnections(); app.close(resolve) }))

/** Broadcasts a post until `received` says a client got it (the stream is subscribed after execute). */
async function publishUntil(received, title) {
  const message = JSON.stringify({ result: { data: { postCreated: { title } } }, more: true })
  const deadline = Date.now() + 10000
  while (!received()) {
    if (Date.now() > deadline) assert.fail(`the broadcast "${title}" never arrived`)
    const status = await broadcast({ stream: 'posts', data: message })
    assert.ok(status < 300, `broadcast status ${status}`)
    await sleep(100)
  }
}

const modern = (connectionParams) => createClient({ url: URL, webSocketImpl: WebSocket, connectionParams,
  retryAttempts: 0, lazy: true })

test('graphql-ws: params reach Connect, a query is answered, a subscription takes broadcasts until completed', async () => {
  const client = modern({ token: 'secret', user: 'ann' })
  const got = await new Promise((resolve, reject) => {
    const values = []
    client.subscribe({ query: 'query Hi($name: String) { hello(name: $name) }', variables: { name: 'ann' }, operationName: 'Hi' },
      { next: (v) => values.push(v), error: reject, complete: () => resolve(values) })
  })
  assert.deepEqual(got, [{ data: { hello: 'ann' } }])
  const connect = calls.connect.at(-1)
  assert.deepEqual(JSON.parse(connect.env.headers['x-apollo-connection']), { token: 'secret', user: 'ann' })
  const execute = calls.command.find((c) => c.command === 'message')
  assert.equal(JSON.parse(execute.identifier).channel, 'GraphqlChannel')
  assert.deepEqual(JSON.parse(execute.data), { action: 'execute', query: 'query Hi($name: String) { hello(name: $name) }',
    variables: { name: 'ann' }, operationName: 'Hi' })

  const posts = []
  let failed
  const unsubscribe = client.subscribe({ query: 'subscription { postCreated { title } }' },
    { next: (v) => posts.push(v), error: (e) => { failed = e }, complete: () => {} })
  await publishUntil(() => posts.length > 0, 'first')
  assert.equal(failed, undefined)
  assert.deepEqual(posts[0], { data: { postCreated: { title: 'first' } } })
  const sub = calls.command.filter((c) => c.command === 'subscribe').at(-1)
  const id = JSON.parse(sub.identifier).channelId

  unsubscribe()
  await until(() => byChannelId(id, 'unsubscribe').length === 1, 'the unsubscribe of the completed operation')
  await client.dispose()
})

test('graphql-ws: a request error is an error of the operation', async () => {
  const client = modern({ token: 'secret' })
  const errors = await new Promise((resolve, reject) => {
    client.subscribe({ query: '{ broken }' }, { next: () => reject(new Error('no next expected')), error: resolve,
      complete: () => reject(new Error('no complete expected')) })
  })
  assert.deepEqual(errors.map((e) => e.message), ['Field broken does not exist'])
  await client.dispose()
})

test('graphql-ws: a refused connection is closed with 4403 Forbidden', async () => {
  const client = modern({ token: 'wrong' })
  const closed = new Promise((resolve) => client.on('closed', resolve))
  const err = await new Promise((resolve) => {
    client.subscribe({ query: '{ hello }' }, { next: () => {}, error: resolve, complete: () => resolve(null) })
  })
  assert.equal((await closed).code, 4403)
  assert.equal(err.code, 4403)
  assert.deepEqual(JSON.parse(calls.connect.at(-1).env.headers['x-apollo-connection']), { token: 'wrong' })
  await client.dispose()
})

test('subscriptions-transport-ws: the same flow over the legacy graphql-ws sub-protocol', async () => {
  const client = new SubscriptionClient(URL, { reconnect: false, connectionParams: { token: 'secret', user: 'bob' } }, WebSocket)
  const got = await new Promise((resolve, reject) => {
    const values = []
    client.request({ query: '{ hello }' }).subscribe({ next: (v) => values.push(v), error: reject, complete: () => resolve(values) })
  })
  assert.deepEqual(got, [{ data: { hello: 'world' } }])
  assert.equal(client.client.protocol, 'graphql-ws')
  assert.deepEqual(JSON.parse(calls.connect.at(-1).env.headers['x-apollo-connection']), { token: 'secret', user: 'bob' })

  const posts = []
  const subscription = client.request({ query: 'subscription { postCreated { title } }' })
    .subscribe({ next: (v) => posts.push(v), error: (e) => assert.fail(String(e)) })
  await publishUntil(() => posts.length > 0, 'legacy')
  assert.deepEqual(posts[0], { data: { postCreated: { title: 'legacy' } } })
  const sub = calls.command.filter((c) => c.command === 'subscribe').at(-1)
  const id = JSON.parse(sub.identifier).channelId
  subscription.unsubscribe()
  await until(() => byChannelId(id, 'unsubscribe').length === 1, 'the unsubscribe of the stopped operation')
  client.close()
})

test('subscriptions-transport-ws: a refused connection gets connection_error', async () => {
  const errors = []
  const client = new SubscriptionClient(URL, { reconnect: false, connectionParams: { token: 'nope' },
    connectionCallback: (e) => { if (e) errors.push(e) } }, WebSocket)
  const disconnected = new Promise((resolve) => client.onDisconnected(resolve))
  await until(() => errors.length === 1, 'the connection error')
  assert.deepEqual(errors[0], { message: 'unauthorized' })
  await disconnected
  client.close()
})
