#!/usr/bin/env bash
# One release end to end through a sandbox fleet: starts a private suite (own folder, own ports), stores a minute-scale
# ring policy, registers a release with ignoreWindows, prints done/total per ring every 10 s and, at the end, the wall
# time from registration until every instance is on the new version, and when each ring finished.
#
#   benchmarks/rollout-e2e.sh                  8 reefs x 200 instances, ports 8381-8384
#
# Environment: E2E_REEFS (8), E2E_INSTANCES (200 per reef), E2E_PORT_OFFSET (300), E2E_TIMEOUT (3600 s),
# E2E_POLICY (benchmarks/rollout-e2e-policy.json; benchmarks/rollout-e2e-analysis-policy.json judges Canary and Stable by
# canary analysis, the sandbox reporting every instance's signal window every 15 s), E2E_HEAP (512m per service), E2E_HOME
# (benchmarks/target/rollout-e2e, wiped at start), E2E_KEEP=1 leaves the suite running afterwards.
# The scheduler runs at the suite's pace (SUITE_UPGRADE_TICK 2s, SUITE_UPGRADE_SOAK PT10S; override to compare).
# Needs curl; builds through ./suite when the jars are out of date.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export SUITE_HOME=${E2E_HOME:-$ROOT/benchmarks/target/rollout-e2e}
export SUITE_REEFS=${E2E_REEFS:-8}
export SUITE_INSTANCES=${E2E_INSTANCES:-200}
export SUITE_PORT_OFFSET=${E2E_PORT_OFFSET:-300}
export SUITE_HEAP=${E2E_HEAP:-512m}
export SUITE_POLICY=${E2E_POLICY:-$ROOT/benchmarks/rollout-e2e-policy.json}
TIMEOUT=${E2E_TIMEOUT:-3600}
ROLLOUT=http://localhost:$((8082 + SUITE_PORT_OFFSET))
VERSION=2026.12.0
IMAGE=registry.reefline.local/product:$VERSION

command -v curl >/dev/null || { echo "rollout-e2e: needs curl" >&2; exit 1; }
suite() { "$ROOT/suite" "$@"; }

suite down >/dev/null 2>&1 || true
rm -rf "$SUITE_HOME"
[ -n "${E2E_KEEP:-}" ] || trap 'suite down >/dev/null 2>&1 || true' EXIT

echo "== $(date -u '+%Y-%m-%dT%H:%M:%SZ')  $SUITE_REEFS reefs x $SUITE_INSTANCES instances, policy $(basename "$SUITE_POLICY")"
echo "== load before start: $(uptime)"
suite up | grep -v -e 'signin?token' -e 'Sign in as'
VIEWER=$(suite token viewer)
OPERATOR=$(suite token operator)
get() { curl -sf -H "Authorization: Bearer $VIEWER" "$ROLLOUT$1"; }

echo "== policy: $(get /api/policy | tr -d ' \n')"
echo "== instances: $(get '/api/instances?size=1' | grep -o '"total":[0-9]*' | head -n 1 | cut -d: -f2) discovered"
echo "== load before registration: $(uptime)"

start=$(date +%s.%N)
curl -sf -o /dev/null -X POST -H "Authorization: Bearer $OPERATOR" -H 'Content-Type: application/json' \
  -d "{\"version\":\"$VERSION\",\"image\":\"$IMAGE\",\"commits\":[\"e2e0001\"],\"ignoreWindows\":true,\"ignoreWindowsReason\":\"benchmark: the whole fleet at once\"}" \
  "$ROLLOUT/api/releases"
echo "== registered $VERSION at $(date -u '+%H:%M:%S')"

elapsed() { awk -v s="$start" -v n="$(date +%s.%N)" 'BEGIN { printf "%.0f", n - s }'; }
declare -A finished=()
order=()
while true; do
  rings=$(get "/api/releases/$VERSION" | grep -o '"ring":"[^"]*","progress":"[0-9]*/[0-9]*"' | sed 's/"ring":"\([^"]*\)","progress":"\([^"]*\)"/\1 \2/')
  now=$(elapsed)
  line="" all=1 done_sum=0 total_sum=0
  while read -r ring progress; do
    [ -n "$ring" ] || continue
    [ -n "${finished[$ring]+x}" ] || order+=("$ring")
    d=${progress%/*} t=${progress#*/}
    done_sum=$((done_sum + d)) total_sum=$((total_sum + t))
    if [ "$d" = "$t" ]; then
      [ -n "${finished[$ring]:-}" ] || finished[$ring]=$now
    else
      all=0
      finished[$ring]=""
    fi
    line+="  $ring $progress"
  done <<<"$rings"
  printf '+%5ss %s   (%d/%d)\n' "$now" "$line" "$done_sum" "$total_sum"
  [ $all = 1 ] && [ $total_sum -gt 0 ] && break
  if [ "$now" -ge "$TIMEOUT" ]; then
    echo "== not finished after ${TIMEOUT}s" >&2
    get /api/upgrades/scheduler >&2 || true
    exit 1
  fi
  sleep 10
done
wall=$(elapsed)
echo "== every instance in a ring is on $VERSION: ${wall}s after registration ($((wall / 60)) min $((wall % 60)) s)"
for ring in "${order[@]}"; do echo "==   $ring finished at +${finished[$ring]}s"; done
echo "== instances on $VERSION: $(get "/api/instances?version=$VERSION&size=1" | grep -o '"total":[0-9]*' | head -n 1 | cut -d: -f2)" \
  "of $(get '/api/instances?size=1' | grep -o '"total":[0-9]*' | head -n 1 | cut -d: -f2)" \
  "(invalid, left out of every plan: $(get '/api/instances?invalid=true&size=1' | grep -o '"total":[0-9]*' | head -n 1 | cut -d: -f2))"
echo "== upgrades: $(get "/api/upgrades?release=$VERSION&size=1" | grep -o '"total":[0-9]*' | head -n 1 | cut -d: -f2) records;" \
  "failed/restored: $(grep -c 'failed, pulling the cord' "$SUITE_HOME/logs/rollout.log" || true)"
echo "== scheduler ticks that did something, in the log: $(grep -c 'Upgrade tick:' "$SUITE_HOME/logs/rollout.log" || true)"
analysis=$(curl -sf "$ROLLOUT/q/metrics" | grep '^reefline_upgrades_analysis_seconds' || true)
if [ -n "$analysis" ]; then
  count=$(awk '/^reefline_upgrades_analysis_seconds_count/ { print $2 }' <<<"$analysis")
  sum=$(awk '/^reefline_upgrades_analysis_seconds_sum/ { print $2 }' <<<"$analysis")
  max=$(awk '/^reefline_upgrades_analysis_seconds_max/ { print $2 }' <<<"$analysis")
  echo "== canary analysis per tick (reading the windows and judging): $count ticks, mean $(awk -v s="$sum" -v c="$count" 'BEGIN { printf "%.1f", (c > 0 ? 1000 * s / c : 0) }') ms, max over the last minutes $(awk -v m="$max" 'BEGIN { printf "%.1f", 1000 * m }') ms"
  echo "== verdicts: $(get "/api/releases/$VERSION/analysis" | grep -o '"summary":"[^"]*"' | head -n 2 | tr '\n' ' ')"
fi
echo "== load at the end: $(uptime)"
