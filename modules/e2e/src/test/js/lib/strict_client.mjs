// The reliability tests' strict extended-protocol client of one stream: it recovers as the
// benchmarks' clients do (reconnect with ?sid=, then `history` from its last position for a
// restored subscription, or `subscribe` with it), and holds the harness's strict rule: a message
// at or below the last offset it saw (same epoch) is a duplicate and is dropped.
import WebSocket from 'ws'

export class StrictClient {
  /** Subclasses set their own state, then call `open()`; `url()` names where to connect. */
  constructor(stream, identifier) {
    this.stream = stream
    this.identifier = identifier
    this.sid = null
    this.position = null
    this.seqs = []
    this.welcomes = 0
    this.subscribed = false
    this.restores = 0
    this.rejects = 0
    this.slowest = 0
    this.welcomedAt = 0
    this.stopped = false
  }

  open() {
    const base = this.url()
    const ws = new WebSocket(this.sid ? `${base}?sid=${this.sid}` : base, ['actioncable-v1-ext-json'], { handshakeTimeout: 5000 })
    this.ws = ws
    ws.on('message', (data) => this.frame(JSON.parse(data.toString())))
    ws.on('error', () => this.failed(ws))
    ws.on('close', () => { if (!this.stopped) this.closed() })
  }

  /** A connection error (the socket closes next). */
  failed(ws) {}

  history() {
    return this.position ? { streams: { [this.stream]: this.position } } : { since: Math.floor(Date.now() / 1000) - 60 }
  }

  send(obj) {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(obj))
  }

  /** The protocol part of a frame; subclasses look at frames first and call this. */
  frame(m) {
    if (m.type === 'confirm_subscription' && m.identifier === this.identifier) this.subscribed = true
    if (m.type === 'confirm_history') this.slowest = Math.max(this.slowest, Date.now() - this.welcomedAt)
    if (m.type === 'welcome') {
      this.welcomes++
      this.welcomedAt = Date.now()
      const restored = m.restored && (m.restored_ids || []).includes(this.identifier)
      this.sid = m.sid
      if (restored) {
        this.restores++
        this.send({ command: 'history', identifier: this.identifier, history: this.history() })
      } else {
        this.send({ command: 'subscribe', identifier: this.identifier, ...(this.position ? { history: this.history() } : {}) })
      }
      return
    }
    if (m.identifier === this.identifier && m.message !== undefined && m.offset !== undefined) {
      if (this.position && this.position.epoch === m.epoch && m.offset <= this.position.offset) {
        this.duplicate(m)
        return
      }
      if (this.position && this.position.epoch !== m.epoch) this.epochChanged(m)
      this.position = { epoch: m.epoch, offset: m.offset }
      this.seqs.push(this.sequence(m))
    }
  }

  /** The publisher's number in a message. */
  sequence(m) {
    return m.message.seq
  }

  duplicate(m) {}

  epochChanged(m) {}

  stop() {
    this.stopped = true
    this.ws.terminate()
  }
}
