#!/usr/bin/env bash
# Start-up time and memory of each service in JVM mode, as BENCHMARKS.md reports them.
#
#   benchmarks/startup.sh [RUNS]                 JDK on PATH (17), plain fast-jar
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 benchmarks/startup.sh [RUNS] aot
#                                                JDK 25 with an AOT cache trained on one start of each service
#
# Each run starts the packaged service on a fresh embedded PostgreSQL data folder (so the time includes initdb),
# measures launch -> /q/health/ready = 200 and Quarkus's own "started in", then the RSS after 200 requests.
# Prints the median of RUNS (default 3) per service. Needs `./mvnw package` first; uses only ports 18081-18084.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${1:-3}
MODE=${2:-plain}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
WORK=$(mktemp -d /tmp/reefline-startup.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
java -jar "$ROOT/sandbox/target/sandbox.jar" keys "$WORK/keys"
# rollout-service is ready only when its reefs answer: give it one sandbox reef.
java -jar "$ROOT/sandbox/target/sandbox.jar" reefs --reefs 1 --instances 10 --kubeconfig "$WORK/kubeconfig" \
  --state-file "$WORK/reefs.properties" >"$WORK/sandbox.log" 2>&1 &
SANDBOX=$!
trap 'kill $SANDBOX 2>/dev/null; rm -rf "$WORK"' EXIT
until grep -q '^sandbox ready' "$WORK/sandbox.log"; do sleep 0.2; done
ROLLOUT_REEFS=()
while IFS= read -r line; do ROLLOUT_REEFS+=("-D$line"); done <"$WORK/reefs.properties"

now_ms() { date +%s%3N; }

http_status() {
  (
    exec 3<>"/dev/tcp/127.0.0.1/$1"
    printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$2" >&3
    read -r -t 5 _ status _ <&3
    echo "$status"
  ) 2>/dev/null || echo 000
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

start_once() { # service port extra-jvm-args... ; prints "wall_ms quarkus_s rss_mb"
  local svc=$1 port=$2
  shift 2
  local data=$WORK/data-$svc-$RANDOM
  local begin pid
  begin=$(now_ms)
  "$JAVA" -Xmx256m "$@" -Dquarkus.http.port="$port" -Dreefline.data-dir="$data" \
    -Dmp.jwt.verify.publickey.location="file:$WORK/keys/public-key.pem" \
    -jar "$ROOT/$svc-service/target/quarkus-app/quarkus-run.jar" >"$WORK/$svc.log" 2>&1 &
  pid=$!
  until [ "$(http_status "$port" /q/health/ready)" = 200 ]; do
    kill -0 "$pid" 2>/dev/null || { echo "$svc exited: $(tail -5 "$WORK/$svc.log")" >&2; exit 1; }
    sleep 0.05
  done
  local wall=$(($(now_ms) - begin))
  for _ in $(seq 200); do http_status "$port" /q/health/ready >/dev/null; done
  local rss
  rss=$(awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$pid/status")
  local started
  started=$(grep -o 'started in [0-9.]*s' "$WORK/$svc.log" | grep -o '[0-9.]*' || echo '?')
  kill -TERM "$pid"
  wait "$pid" 2>/dev/null || true
  echo "$wall $started $rss"
}

printf '%-16s %-14s %-16s %-10s\n' service ready_ms "quarkus_started" rss_mb
port=18081
for svc in flag rollout andon metrics; do
  jvm_args=()
  [ "$svc" = rollout ] && jvm_args=("${ROLLOUT_REEFS[@]}")
  if [ "$MODE" = aot ]; then
    # One training start writes the cache on exit (JDK 25 -XX:AOTCacheOutput), later starts use it.
    start_once "$svc" "$port" "${jvm_args[@]+"${jvm_args[@]}"}" "-XX:AOTCacheOutput=$WORK/$svc.aot" >/dev/null
    jvm_args+=("-XX:AOTCache=$WORK/$svc.aot")
  fi
  : >"$WORK/results"
  for _ in $(seq "$RUNS"); do start_once "$svc" "$port" "${jvm_args[@]+"${jvm_args[@]}"}" >>"$WORK/results"; done
  printf '%-16s %-14s %-16s %-10s\n' "$svc-service" \
    "$(cut -d' ' -f1 "$WORK/results" | median)" \
    "$(cut -d' ' -f2 "$WORK/results" | median)s" \
    "$(cut -d' ' -f3 "$WORK/results" | median)"
  port=$((port + 1))
done
