// How a server's fan-out reaches the clients, seen from one client process: N Action Cable
// clients (`ws`, as ../shared/bench's `ac` target) subscribe to one public stream, then numbered
// broadcasts are posted at a fixed rate. Prints one JSON line: the process's CPU per message
// (user, system), the spread from a broadcast's first to last arrival in this process, and how
// many messages each turn of Node's event loop handled (1-3: the client keeps pace with the
// writes; hundreds: it wakes to a backlog). Lives beside the peers to share their pinned `ws`.
//
//   node scripts/bench/peers/client-probe.mjs --url ws://127.0.0.1:8080/cable \
//     --broadcast-url http://127.0.0.1:8090/_broadcast [--clients 2500] [--broadcasts 60] [--rate 4]
import WebSocket from 'ws';

const args = Object.fromEntries(process.argv.slice(2).map((a, i, all) => (a.startsWith('--') ? [a.slice(2), all[i + 1]] : null)).filter(Boolean));
const url = args.url || 'ws://127.0.0.1:8080/cable';
const broadcastUrl = args['broadcast-url'] || 'http://127.0.0.1:8090/_broadcast';
const clients = Number(args.clients || 2500);
const broadcasts = Number(args.broadcasts || 60);
const rate = Number(args.rate || 4);
for (const u of [url, broadcastUrl]) {
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(new URL(u).hostname)) throw new Error(`loopback only: ${u}`);
}

const identifier = JSON.stringify({ channel: '$pubsub', stream_name: 'probe' });
const arrivals = new Map(); // seq -> { first, last, n }
const turns = [];
let subscribed = 0;
let inTurn = 0;
let turnEndQueued = false;

function endTurn() {
  turns.push(inTurn);
  inTurn = 0;
  turnEndQueued = false;
}

function onMessage(raw) {
  const msg = JSON.parse(raw.toString());
  if (msg.type === 'welcome') {
    this.send(JSON.stringify({ command: 'subscribe', identifier }));
  } else if (msg.type === 'confirm_subscription') {
    subscribed++;
  } else if (msg.message && typeof msg.message.seq === 'number') {
    const now = performance.now();
    let a = arrivals.get(msg.message.seq);
    if (!a) arrivals.set(msg.message.seq, (a = { first: now, last: now, n: 0 }));
    a.last = now;
    a.n++;
    inTurn++;
    if (!turnEndQueued) {
      // Runs after this turn's I/O callbacks: the messages counted until then came in one wake-up.
      turnEndQueued = true;
      setImmediate(endTurn);
    }
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const sockets = [];
for (let i = 0; i < clients; i++) {
  const ws = new WebSocket(url, ['actioncable-v1-json'], { perMessageDeflate: false });
  ws.on('message', onMessage);
  ws.on('error', () => {});
  sockets.push(ws);
  if (i % 200 === 199) await sleep(150);
}
const deadline = Date.now() + 60_000;
while (subscribed < clients) {
  if (Date.now() > deadline) throw new Error(`only ${subscribed}/${clients} subscribed`);
  await sleep(100);
}

const cpu0 = process.cpuUsage();
for (let seq = 0; seq < broadcasts; seq++) {
  fetch(broadcastUrl, { method: 'POST', body: JSON.stringify({ stream: 'probe', data: JSON.stringify({ seq, t: Date.now() }) }) })
    .catch((e) => console.error(`broadcast ${seq}: ${e.message}`));
  await sleep(1000 / rate);
}
await sleep(1000);
const cpu = process.cpuUsage(cpu0);
const messages = [...arrivals.values()].reduce((sum, a) => sum + a.n, 0);
const median = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
console.log(JSON.stringify({
  clients,
  broadcasts,
  messages,
  expected: clients * broadcasts,
  user_us_per_message: +(cpu.user / messages).toFixed(2),
  system_us_per_message: +(cpu.system / messages).toFixed(2),
  spread_ms_p50: +median([...arrivals.values()].map((a) => a.last - a.first)).toFixed(1),
  turns: turns.length,
  messages_per_turn_p50: median(turns),
  messages_per_turn_mean: +(messages / turns.length).toFixed(1),
}));
for (const ws of sockets) ws.terminate();
process.exit(0);
