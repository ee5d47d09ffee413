#!/bin/sh
# Runs the chat example next to the server: builds both, starts the RPC application (gRPC :50051,
# page :3000) and vxcable (:8080, broadcasts :8090), and stops both on Ctrl-C.
set -e
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
[ -f examples/rpc-chat/target/rpc-chat.jar ] && [ -f modules/launcher/target/vxcable.jar ] || mvn -B -q -DskipTests package
[ -d examples/rpc-chat/node_modules ] || (cd examples/rpc-chat && npm install --no-audit --no-fund)
java -jar examples/rpc-chat/target/rpc-chat.jar &
APP=$!
trap 'kill $APP 2>/dev/null' EXIT INT TERM
scripts/anycable --rpc_host=127.0.0.1:50051 --http_broadcast_port=8090 "$@"
