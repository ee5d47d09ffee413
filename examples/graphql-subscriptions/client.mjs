// A graphql-ws client: runs the query { hello }, then subscribes to messageAdded and prints every
// event. Usage: node client.mjs [count] — exits after `count` events (default: runs until Ctrl-C).
// Env: GRAPHQL_URL (default ws://localhost:8080/graphql).
import WebSocket from 'ws'
import { createClient } from 'graphql-ws'

const url = process.env.GRAPHQL_URL || 'ws://localhost:8080/graphql'
const count = Number(process.argv[2] || 0)

const client = createClient({ url, webSocketImpl: WebSocket, connectionParams: { user: 'demo' },
  lazy: false, retryAttempts: 0 })

// A query: one result, then the operation completes.
for await (const result of client.iterate({ query: '{ hello }' })) {
  console.log('query result:', JSON.stringify(result))
}

// A subscription: a result per published event.
console.log('subscribed to messageAdded; publish with: node publish.mjs "some text"')
let seen = 0
for await (const event of client.iterate({ query: 'subscription { messageAdded { text } }' })) {
  console.log('messageAdded:', JSON.stringify(event))
  seen += 1
  if (count > 0 && seen >= count) break
}
await client.dispose()
