#!/usr/bin/env bash
# OFREP over HTTP under load, as issue 4 (Performance) asks: flag-service's trivial constant-JSON endpoint
# (GET /ping), single-flag evaluation and bulk evaluation of 50 flags, each `wrk -t2 -c32 -d20s` after a 10 s
# warm-up, in one run; prints requests/s, p99 and the service's RSS under load with -Xmx128m.
#
#   ./mvnw -B -pl sandbox,flag-service -am package -DskipTests    (builds nothing itself)
#   benchmarks/ofrep-load.sh [PORT]                             (default 18091)
#
# Starts flag-service on a fresh embedded PostgreSQL under /tmp, creates an environment, an SDK key and 50 flags
# through the API (flag-00 has three rules: a segment, the staff ring and a sticky fractional split, plus an
# exclusion), then loads it. Needs wrk (installs it with apt-get when missing and running as root).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PORT=${1:-18091}
BASE=http://127.0.0.1:$PORT
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
WORK=$(mktemp -d /tmp/reefline-ofrep.XXXXXX)
PID=
cleanup() {
  [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

command -v wrk >/dev/null || apt-get install -y wrk >/dev/null
[ -f "$ROOT/flag-service/target/quarkus-app/quarkus-run.jar" ] || { echo "run ./mvnw package first" >&2; exit 1; }

java -jar "$ROOT/sandbox/target/sandbox.jar" keys "$WORK/keys"
ADMIN=$(java -jar "$ROOT/sandbox/target/sandbox.jar" token "$WORK/keys" admin)

"$JAVA" -Xmx128m -Dquarkus.http.port="$PORT" -Dreefline.data-dir="$WORK/data" \
  -Dmp.jwt.verify.publickey.location="file:$WORK/keys/public-key.pem" \
  -jar "$ROOT/flag-service/target/quarkus-app/quarkus-run.jar" >"$WORK/flag.log" 2>&1 &
PID=$!
until [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/q/health/ready")" = 200 ]; do
  kill -0 "$PID" 2>/dev/null || { echo "flag-service exited: $(tail -20 "$WORK/flag.log")" >&2; exit 1; }
  sleep 0.2
done

api() { # method path body
  curl -sf -X "$1" "$BASE$2" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' -H 'If-Match: *' -d "$3"
}

api PUT /api/environments/production '{"name":"Production"}' >/dev/null
SDK_KEY=$(api POST /api/sdk-keys '{"environment":"production"}' | sed -E 's/.*"key":"([^"]+)".*/\1/')
for i in $(seq -w 0 49); do
  api POST /api/flags "{\"key\":\"flag-$i\",\"name\":\"Flag $i\",\"type\":\"boolean\",
    \"variants\":{\"on\":true,\"off\":false},\"defaultVariant\":\"off\"}" >/dev/null
  if [ "$i" = 00 ]; then
    config='{"enabled":true,"defaultVariant":"off","structured":{
      "included":{"mode":"percentage","percent":30},"includedVariant":"on","excludedTenants":["initech"],
      "rules":[
        {"segments":[{"name":"eu-large","conditions":[
          {"attribute":"region","operator":"IN","values":["eu-west","eu-central"]},
          {"attribute":"seats","operator":"GREATER_OR_EQUAL","values":[100]}]}],"variant":"on"},
        {"segments":[{"name":"staff","conditions":[{"attribute":"ring","operator":"EQUALS","values":["staff"]}]}],
         "variant":"on"}]}}'
  else
    config='{"enabled":true,"defaultVariant":"on"}'
  fi
  api PUT "/api/flags/flag-$i/environments/production" "$config" >/dev/null
done
sleep 2 # two snapshot polls: every replica serves the new flags

CONTEXT='{"context":{"targetingKey":"user-42","tenant":"acme","region":"us-east","seats":12,"ring":"ga"}}'
cat >"$WORK/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$CONTEXT'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-Key"] = "$SDK_KEY"
LUA
curl -sf -X POST "$BASE/ofrep/v1/evaluate/flags/flag-00" -H "X-API-Key: $SDK_KEY" \
  -H 'Content-Type: application/json' -d "$CONTEXT" >"$WORK/single.json"
BULK_FLAGS=$(curl -sf -X POST "$BASE/ofrep/v1/evaluate/flags" -H "X-API-Key: $SDK_KEY" \
  -H 'Content-Type: application/json' -d "$CONTEXT" | grep -o '"key"' | wc -l)
echo "single answer: $(cat "$WORK/single.json")"
echo "bulk answer: $BULK_FLAGS flags"
[ "$BULK_FLAGS" = 50 ] || { echo "bulk evaluation did not answer 50 flags" >&2; exit 1; }

to_ms() { # wrk latency like 812.00us, 1.23ms, 1.01s
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /[0-9]s$/ && v !~ /ms$/) n *= 1000; printf "%.2f", n }'
}

run() { # name path [lua]
  local name=$1 path=$2 script=${3:-}
  local args=(-t2 -c32)
  [ -n "$script" ] && args+=(-s "$script")
  wrk "${args[@]}" -d10s "$BASE$path" >/dev/null
  wrk "${args[@]}" -d20s --latency "$BASE$path" >"$WORK/$name.txt" &
  local wrk_pid=$! rss=0 sample
  for _ in 1 2 3 4; do
    sleep 4
    sample=$(awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$PID/status")
    [ "$sample" -gt "$rss" ] && rss=$sample
  done
  wait "$wrk_pid"
  local rps p99 errors
  rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$WORK/$name.txt")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$WORK/$name.txt")")
  errors=$(awk '/Non-2xx|Socket errors/ {print}' "$WORK/$name.txt" | tr '\n' ' ')
  printf '%-8s %10s req/s   p99 %6s ms   RSS %4s MB   %s\n' "$name" "$rps" "$p99" "$rss" "$errors"
  eval "RPS_$name=$rps"
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)   cores: $(nproc)"
run trivial /ping
run single /ofrep/v1/evaluate/flags/flag-00 "$WORK/post.lua"
run bulk /ofrep/v1/evaluate/flags "$WORK/post.lua"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v s="$RPS_single" -v t="$RPS_trivial" 'BEGIN { printf "single / trivial: %.0f%%\n", 100 * s / t }'
