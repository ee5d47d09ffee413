#!/bin/sh
# Runs the chat example next to the server: builds both, starts the RPC application (gRPC
# RPC_PORT=50051, page WEB_PORT=3000) and vxcable (CABLE_PORT=8080, broadcasts BROADCAST_PORT=8090)
# with the memory broker (history, resumable sessions, presence), and stops both on Ctrl-C.
# Extra arguments go to the server. Open http://localhost:$WEB_PORT/?cable=$CABLE_PORT.
set -e
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
CABLE_PORT=${CABLE_PORT:-8080}
BROADCAST_PORT=${BROADCAST_PORT:-8090}
export RPC_PORT=${RPC_PORT:-50051}
export WEB_PORT=${WEB_PORT:-3000}
export BROADCAST_URL=${BROADCAST_URL:-http://localhost:$BROADCAST_PORT/_broadcast}
[ -f examples/rpc-chat/target/rpc-chat.jar ] && [ -f modules/launcher/target/vxcable.jar ] || mvn -B -q -DskipTests package
[ -d examples/rpc-chat/node_modules ] || (cd examples/rpc-chat && npm install --no-audit --no-fund)
java -jar examples/rpc-chat/target/rpc-chat.jar &
APP=$!
trap 'kill $APP 2>/dev/null' EXIT INT TERM
echo "chat page: http://localhost:$WEB_PORT/?cable=$CABLE_PORT" >&2
scripts/anycable --rpc_host=127.0.0.1:$RPC_PORT --port=$CABLE_PORT --http_broadcast_port=$BROADCAST_PORT --broker=memory "$@"
