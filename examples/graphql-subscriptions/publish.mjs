// Publishes one messageAdded event: a broadcast to the stream the subscriptions stream from, with
// the payload graphql-anycable broadcasts ({result, more: true}); every subscribed client gets `next`.
// Usage: node publish.mjs "some text". Env: BROADCAST_URL (default http://localhost:8090/_broadcast).
const url = process.env.BROADCAST_URL || 'http://localhost:8090/_broadcast'
const text = process.argv[2] || 'hello'

const message = { result: { data: { messageAdded: { text } } }, more: true }
const res = await fetch(url, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ stream: 'graphql/messageAdded', data: JSON.stringify(message) }),
})
console.log(`published "${text}": ${res.status}`)
if (!res.ok) process.exitCode = 1
