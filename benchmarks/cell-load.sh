#!/usr/bin/env bash
# The cell's flag follower beside the primary, as issue 11 asks, in one run on one machine:
#   1. OFREP load: a trivial endpoint of the same process, single-flag and bulk (50 flags) evaluation, on the
#      follower and on the primary; each `wrk -t2 -c32 -d20s --latency` after a 10 s warm-up; requests/s, p99 and the
#      process's RSS under load (highest of four samples).
#   2. Follower start-up: launch to ready (/q/health/ready 200) with a persisted snapshot and the primary stopped,
#      median and max of 5 launches.
#   3. Propagation: a flag changed at the primary, time until every follower (3) serves the change; median and max
#      over 100 changes.
#
#   ./mvnw -B -pl sandbox,flag-service,cell -am package -DskipTests    (builds nothing itself)
#   benchmarks/cell-load.sh [BASE_PORT]                               (default 18091: primary; +1.. followers)
#
# The flags: 50 booleans, each with targeting: a sticky 50/50 `fractional` split on the targeting key, and every
# other flag first an `in` check on the tenant attribute `region`. Every request has a random targeting key.
# Needs wrk and curl (installs wrk with apt-get when missing and running as root) and python3.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BASE_PORT=${1:-18091}
PRIMARY=http://127.0.0.1:$BASE_PORT
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
# What the cell runs with in k8s/cell (keep in step).
CELL_JVM=(${CELL_JAVA_OPTS:--Xmx48m -Xss512k -XX:MaxMetaspaceSize=64m -XX:ReservedCodeCacheSize=48m -XX:+UseSerialGC -Dio.netty.allocator.numDirectArenas=1 -Dio.netty.allocator.numHeapArenas=1})
WORK=$(mktemp -d /tmp/reefline-cell.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

command -v wrk >/dev/null || apt-get install -y wrk >/dev/null
for jar in flag-service/target/quarkus-app/quarkus-run.jar cell/target/quarkus-app/quarkus-run.jar sandbox/target/sandbox.jar; do
  [ -f "$ROOT/$jar" ] || { echo "$jar is missing: run ./mvnw package first" >&2; exit 1; }
done

java -jar "$ROOT/sandbox/target/sandbox.jar" keys "$WORK/keys" >/dev/null
ADMIN=$(java -jar "$ROOT/sandbox/target/sandbox.jar" token "$WORK/keys" admin)

await_ready() { # url pid name
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$1/q/health/ready")" = 200 ]; do
    kill -0 "$2" 2>/dev/null || { echo "$3 exited" >&2; exit 1; }
    sleep 0.05
  done
}

start_primary() {
  "$JAVA" -Xmx128m -Dquarkus.http.port="$BASE_PORT" -Dreefline.data-dir="$WORK/primary" \
    -Dmp.jwt.verify.publickey.location="file:$WORK/keys/public-key.pem" \
    -Dflag.tenants.refresh-interval=off \
    -jar "$ROOT/flag-service/target/quarkus-app/quarkus-run.jar" >>"$WORK/primary.log" 2>&1 &
  PRIMARY_PID=$!
  PIDS+=("$PRIMARY_PID")
  await_ready "$PRIMARY" "$PRIMARY_PID" flag-service
}

start_cell() { # index -> sets CELL_PID
  local port=$((BASE_PORT + $1))
  "$JAVA" "${CELL_JVM[@]}" -Dquarkus.http.port="$port" -Dreefline.cell.reef="reef-$1" \
    -Dreefline.cell.data-dir="$WORK/cell-$1" -Dreefline.services.flag="$PRIMARY" \
    -Dsmallrye.jwt.sign.key.location="file:$WORK/keys/private-key.pem" \
    -jar "$ROOT/cell/target/quarkus-app/quarkus-run.jar" >>"$WORK/cell-$1.log" 2>&1 &
  CELL_PID=$!
  PIDS+=("$CELL_PID")
}

api() { # method path body
  curl -sf -X "$1" "$PRIMARY$2" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' -H 'If-Match: *' -d "$3"
}

start_primary
api PUT /api/environments/production '{"name":"Production"}' >/dev/null
SDK_KEY=$(api POST /api/sdk-keys '{"environment":"production"}' | sed -E 's/.*"key":"([^"]+)".*/\1/')
SPLIT='{"fractional":[["on",50],["off",50]]}'
for i in $(seq -w 0 49); do
  api POST /api/flags "{\"key\":\"flag-$i\",\"name\":\"Flag $i\",\"type\":\"boolean\",
    \"variants\":{\"on\":true,\"off\":false},\"defaultVariant\":\"off\"}" >/dev/null
  if [ $((10#$i % 2)) = 1 ]; then
    rule="{\"if\":[{\"in\":[{\"var\":\"region\"},[\"eu-west\",\"eu-central\",\"us-east\"]]},$SPLIT,\"off\"]}"
  else
    rule=$SPLIT
  fi
  api PUT "/api/flags/flag-$i/environments/production" "{\"enabled\":true,\"defaultVariant\":\"off\",\"jsonLogic\":$rule}" >/dev/null
done
start_cell 1
FOLLOWER=http://127.0.0.1:$((BASE_PORT + 1))
FOLLOWER_PID=$CELL_PID
await_ready "$FOLLOWER" "$FOLLOWER_PID" cell
sleep 2

cat >"$WORK/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-Key"] = "$SDK_KEY"
math.randomseed(os.time())
request = function()
  return wrk.format(nil, nil, nil,
    '{"context":{"targetingKey":"user-' .. math.random(1, 100000000) .. '","tenant":"acme","region":"us-east"}}')
end
LUA
for url in "$PRIMARY" "$FOLLOWER"; do
  flags=$(curl -sf -X POST "$url/ofrep/v1/evaluate/flags" -H "X-API-Key: $SDK_KEY" -H 'Content-Type: application/json' \
    -d '{"context":{"targetingKey":"u1","region":"us-east"}}' | grep -o '"key"' | wc -l)
  [ "$flags" = 50 ] || { echo "bulk evaluation at $url answered $flags flags, not 50" >&2; exit 1; }
done
[ "$(curl -sf -X POST "$PRIMARY/ofrep/v1/evaluate/flags" -H "X-API-Key: $SDK_KEY" -d '{"context":{"targetingKey":"u1"}}')" = \
  "$(curl -sf -X POST "$FOLLOWER/ofrep/v1/evaluate/flags" -H "X-API-Key: $SDK_KEY" -d '{"context":{"targetingKey":"u1"}}')" ] ||
  { echo "the follower's bulk answer differs from the primary's" >&2; exit 1; }

to_ms() { # wrk latency like 812.00us, 1.23ms, 1.01s
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /[0-9]s$/ && v !~ /ms$/) n *= 1000; printf "%.2f", n }'
}

run() { # name base path pid
  local name=$1 base=$2 path=$3 pid=$4
  wrk -t2 -c32 -s "$WORK/post.lua" -d10s "$base$path" >/dev/null
  wrk -t2 -c32 -s "$WORK/post.lua" -d20s --latency "$base$path" >"$WORK/$name.txt" &
  local wrk_pid=$! rss=0 sample
  for _ in 1 2 3 4; do
    sleep 4
    sample=$(awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$pid/status")
    [ "$sample" -gt "$rss" ] && rss=$sample
  done
  wait "$wrk_pid"
  local rps p99 errors
  rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$WORK/$name.txt")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$WORK/$name.txt")")
  errors=$(awk '/Non-2xx|Socket errors/ {print}' "$WORK/$name.txt" | tr '\n' ' ')
  printf '%-18s %8s req/s   p99 %6s ms   RSS %4s MB   %s\n' "$name" "$rps" "$p99" "$rss" "$errors"
  eval "RPS_${name//[^a-z]/_}=$rps"
}

echo "== 1. OFREP load (wrk -t2 -c32, 20 s after 10 s warm-up; random targeting key per request)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)   cores: $(nproc)   java: $("$JAVA" -version 2>&1 | head -1)"
echo "follower JVM: ${CELL_JVM[*]}   primary JVM: -Xmx128m"
run follower-trivial "$FOLLOWER" /ping "$FOLLOWER_PID"
run follower-single "$FOLLOWER" /ofrep/v1/evaluate/flags/flag-01 "$FOLLOWER_PID"
run follower-bulk "$FOLLOWER" /ofrep/v1/evaluate/flags "$FOLLOWER_PID"
run primary-single "$PRIMARY" /ofrep/v1/evaluate/flags/flag-01 "$PRIMARY_PID"
run primary-bulk "$PRIMARY" /ofrep/v1/evaluate/flags "$PRIMARY_PID"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v s="$RPS_follower_single" -v t="$RPS_follower_trivial" 'BEGIN { printf "follower single / trivial: %.0f%%\n", 100 * s / t }'
awk -v f="$RPS_follower_bulk" -v p="$RPS_primary_bulk" 'BEGIN { printf "follower bulk / primary bulk: %.2f\n", f / p }'

echo "== 2. Propagation: a change at the primary until every follower serves it (3 followers, 100 changes)"
start_cell 2; P2=$CELL_PID
start_cell 3; P3=$CELL_PID
await_ready "http://127.0.0.1:$((BASE_PORT + 2))" "$P2" cell-2
await_ready "http://127.0.0.1:$((BASE_PORT + 3))" "$P3" cell-3
python3 - "$PRIMARY" "$ADMIN" "$SDK_KEY" "$BASE_PORT" <<'PY'
import json, statistics, sys, time, urllib.request
primary, admin, sdk_key, base = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
followers = [f"http://127.0.0.1:{base + i}" for i in (1, 2, 3)]
def call(method, url, body, headers):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=5) as answer:
        return answer.status, answer.headers, answer.read()
def value(url):
    _, _, body = call("POST", url + "/ofrep/v1/evaluate/flags/flag-49", {"context": {"targetingKey": "u"}},
                      {"X-API-Key": sdk_key, "Content-Type": "application/json"})
    return json.loads(body).get("variant")
times = []
for n in range(100):
    variant = "on" if n % 2 == 0 else "off"
    url = primary + "/api/flags/flag-49/environments/production"
    request = urllib.request.Request(url, headers={"Authorization": "Bearer " + admin})
    with urllib.request.urlopen(request, timeout=5) as answer:
        etag = answer.headers["ETag"]
    body = {"enabled": True, "defaultVariant": variant}
    started = time.monotonic()
    call("PUT", url, body, {"Authorization": "Bearer " + admin, "Content-Type": "application/json", "If-Match": etag})
    pending = set(followers)
    while pending:
        for follower in list(pending):
            if value(follower) == variant:
                pending.discard(follower)
        if time.monotonic() - started > 10:
            sys.exit(f"change {n} did not reach {sorted(pending)} within 10 s")
        if pending:
            time.sleep(0.005)
    times.append(time.monotonic() - started)
times.sort()
print(f"propagation to all 3 followers: median {statistics.median(times) * 1000:.0f} ms, "
      f"p90 {times[89] * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms (100 changes)")
PY

echo "== 3. Follower start-up with a persisted snapshot, the primary stopped (5 launches)"
kill "$PRIMARY_PID"; wait "$PRIMARY_PID" 2>/dev/null || true
kill "$FOLLOWER_PID"; wait "$FOLLOWER_PID" 2>/dev/null || true
starts=()
for _ in 1 2 3 4 5; do
  t0=$(date +%s%N)
  start_cell 1
  await_ready "$FOLLOWER" "$CELL_PID" cell
  t1=$(date +%s%N)
  curl -sf -X POST "$FOLLOWER/ofrep/v1/evaluate/flags/flag-00" -H "X-API-Key: $SDK_KEY" -d '{"context":{"targetingKey":"u"}}' \
    | grep -q '"value"' || { echo "the restarted follower did not answer" >&2; exit 1; }
  starts+=($(( (t1 - t0) / 1000000 )))
  rss=$(awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$CELL_PID/status")
  kill "$CELL_PID"; wait "$CELL_PID" 2>/dev/null || true
done
printf '%s\n' "${starts[@]}" | sort -n | awk '{a[NR]=$1} END {printf "launch to ready: median %d ms, max %d ms (idle RSS after start %s MB)\n", a[3], a[5], "'"$rss"'"}'
