# serve.sh - sourced by the tests that talk to server.py (the scripted
# stand-in for OpenRouter's API on 127.0.0.1): 'serve SCENARIO' starts it
# with the scenario (JSON, see server.py) in the current folder and sets
# $api to its URL; 'stop' ends it. The sourcing script defines fail().
server=""
serve_py=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/server.py
stop() {
  if [ -n "$server" ]; then
    kill "$server" 2>/dev/null
    wait "$server" 2>/dev/null
    server=""
  fi
}
serve() {
  stop
  printf '%s\n' "$1" >scenario.json
  rm -f port log
  python3 "$serve_py" scenario.json log port 2>server.err &
  server=$!
  for _ in $(seq 200); do
    [ -s port ] && break
    sleep 0.05
  done
  [ -s port ] || { fail "the server did not start: $(cat server.err)"; return 1; }
  api=http://127.0.0.1:$(cat port)/api/v1
}
