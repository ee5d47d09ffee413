#!/bin/sh
# Redraws the charts of docs/benchmarks.md from the raw runs next to this file.
set -e
cd "$(dirname "$0")"
CHARTS=../../scripts/bench/charts.mjs
node $CHARTS --in 2026-12-05-fanout-round2.jsonl --groups "vxcable=final-,before this round=basef-,Node AnyCable=mockf-,bare ws=wsf-" \
  --values latency_ms.p50,latency_ms.p99 --names p50,p99 --unit ms \
  --title "Fan-out to 5,000 clients at 4 broadcasts/s (../shared/bench, 2026-12-05)" \
  --note "Median per server of alternating runs on one 2-core VM; raw: results/2026-12-05-fanout-round2.jsonl" --out fanout-5000.svg
node $CHARTS --in 2026-12-05-idle-defaults.jsonl --groups "vxcable before issue 19=default,vxcable now (README command)=sf-idle,bare ws=ws-idle" \
  --values server_memory.kb_per_conn --names "RSS per idle connection" --unit KB \
  --title "Memory per idle subscribed connection at 19,000 (../shared/bench idle)" \
  --note "After a full GC at both ends; raw: results/2026-12-05-idle-defaults.jsonl" --out idle-19000.svg
node $CHARTS --in 2026-12-05-fanout-defaults.jsonl --groups "vxcable now=sat-sf,vxcable before=sat-vx,bare ws=sat-ws" \
  --values throughput.deliveries_per_sec --names "deliveries/s" \
  --title "Saturation: 1,000 clients, 200 broadcasts/s offered (../shared/bench fanout)" \
  --note "Bare ws took 69 of the 200 broadcasts/s offered (its HTTP handler fans out before answering); raw: results/2026-12-05-fanout-defaults.jsonl" \
  --out saturation-1000.svg
node $CHARTS --in 2026-12-05-drops.jsonl --groups "vxcable (extended protocol; memory broker)=vxcable,bare ws=ws,Socket.IO=socketio" \
  --values delivered_ratio,worst_client_ratio --names "all clients,worst client" \
  --title "Delivery under drops: 100 clients cut for 2 s every 3 s, 100 broadcasts (share delivered, 1 = all)" \
  --note "cable-bench drops via scripts/bench/compare.mjs --modes drops, 3 runs each; raw: results/2026-12-05-drops.jsonl" \
  --out drops-100.svg
node $CHARTS --in 2026-12-06-fanout-lean-client.jsonl \
  --groups "vxcable (lean client)=cb-vx-5000,bare ws (lean client)=cb-ws-5000,Node AnyCable (lean client)=cb-mock-5000,vxcable (Node clients)=sb-vx-5000,bare ws (Node clients)=sb-ws-5000" \
  --values latency_ms.p50,latency_ms.p99 --names p50,p99 --unit ms \
  --title "Fan-out to 5,000 clients at 4 broadcasts/s: cable-bench lean client and ../shared/bench Node clients (2026-12-06)" \
  --note "Median of three alternating rounds per server on one 2-core VM; raw: results/2026-12-06-fanout-lean-client.jsonl" --out fanout-5000-lean.svg
