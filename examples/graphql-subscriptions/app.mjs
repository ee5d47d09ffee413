// A GraphqlChannel application over AnyCable HTTP RPC, with node:http only. The server calls
// POST <base>/connect, /command and /disconnect; this app answers them the way graphql-anycable
// does: a query gets its final result ({result, more: false}), a subscription gets {data: null}
// with more: true and its operation streams from "graphql/messageAdded", where publish.mjs sends
// the events. The schema is tiny and hand-written: { hello } and subscription { messageAdded { text } }.
// Env: PORT (default 3000).
import http from 'node:http'

const PORT = Number(process.env.PORT || 3000)
const SUCCESS = 1
const FAILURE = 2
const STREAM = 'graphql/messageAdded'

const reply = (transmissions = [], streams = []) => ({ status: SUCCESS, transmissions, streams, stopped_streams: [] })
const result = (identifier, res, more) => JSON.stringify({ identifier, message: { result: res, more } })

// Executes one operation: the action "execute" of the channel, with the client's query,
// variables and operationName.
function execute(identifier, { query }) {
  const text = String(query || '').trim()
  if (/^subscription\b/.test(text)) {
    if (!/\bmessageAdded\b/.test(text)) {
      return reply([result(identifier, { errors: [{ message: 'unknown subscription field' }] }, false)])
    }
    console.log(`[app] operation ${JSON.parse(identifier).channelId} subscribed to ${STREAM}`)
    return reply([result(identifier, { data: null }, true)], [STREAM])
  }
  if (/\bhello\b/.test(text)) {
    return reply([result(identifier, { data: { hello: 'world' } }, false)])
  }
  return reply([result(identifier, { errors: [{ message: `cannot execute: ${text}` }] }, false)])
}

function command(req) {
  const { identifier } = req
  const channel = JSON.parse(identifier).channel
  if (req.command === 'subscribe') {
    if (channel !== 'GraphqlChannel') {
      return { status: FAILURE, transmissions: [JSON.stringify({ identifier, type: 'reject_subscription' })] }
    }
    return reply([JSON.stringify({ identifier, type: 'confirm_subscription' })])
  }
  if (req.command === 'unsubscribe') return { ...reply(), stop_streams: true }
  const data = JSON.parse(req.data || '{}')
  if (data.action === 'execute') return execute(identifier, data)
  return { status: 0, error_msg: `unknown action ${data.action}` }
}

const server = http.createServer(async (req, res) => {
  const chunks = []
  for await (const chunk of req) chunks.push(chunk)
  const body = JSON.parse(Buffer.concat(chunks).toString() || '{}')
  const method = req.url.split('?')[0].split('/').pop()
  let answer
  if (method === 'connect') {
    // graphql-ws connection params arrive as the x-apollo-connection header (JSON).
    const params = JSON.parse(body.env?.headers?.['x-apollo-connection'] || '{}')
    console.log('[app] connect', JSON.stringify(params))
    answer = { status: SUCCESS, identifiers: JSON.stringify({ user: params.user || 'anonymous' }),
      transmissions: [JSON.stringify({ type: 'welcome' })] }
  } else if (method === 'command') {
    answer = command(body)
  } else if (method === 'disconnect') {
    console.log('[app] disconnect')
    answer = { status: SUCCESS }
  } else {
    res.writeHead(404).end()
    return
  }
  res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer))
})

server.listen(PORT, '127.0.0.1', () => console.log(`[app] GraphqlChannel RPC on http://127.0.0.1:${PORT}/_anycable`))
