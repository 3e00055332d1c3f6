#!/usr/bin/env bash
# Load figures for the public site, as ratios measured in one run on one
# machine: portail's cached pages against Go's http.FileServer and nginx
# serving the same pre-rendered HTML (when nginx is installed).
# Loopback only; bounded duration. Usage: bench/wrk.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }

work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
go build -o "$work/portail" ./cmd/portail
go build -o "$work/fileserver" ./bench/fileserver

"$work/portail" serve -addr 127.0.0.1:18080 -db "$work/p.db" 2>"$work/log" &
for _ in $(seq 50); do curl -fs http://127.0.0.1:18080/healthz >/dev/null && break; sleep 0.1; done

mkdir -p "$work/www/fr/ministere"
curl -fs http://127.0.0.1:18080/fr/ministere/mission >"$work/www/fr/ministere/mission.html"
"$work/fileserver" -addr 127.0.0.1:18081 -dir "$work/www" &

run() { # name url
  local rps
  rps=$(wrk -t2 -c64 -d"${secs}s" "$2" | awk '/Requests\/sec/ {print $2}')
  printf '%-34s %12s req/s\n' "$1" "$rps"
  echo "$rps" >"$work/$1.rps"
}

sleep 0.3
run portail-cached-page http://127.0.0.1:18080/fr/ministere/mission
run portail-home http://127.0.0.1:18080/fr/
run portail-healthz http://127.0.0.1:18080/healthz
run go-fileserver http://127.0.0.1:18081/fr/ministere/mission.html

if command -v nginx >/dev/null; then
  cat >"$work/nginx.conf" <<CONF
daemon off; worker_processes 2; pid $work/nginx.pid; error_log $work/nginx.err;
events { worker_connections 1024; }
http { access_log off; server { listen 127.0.0.1:18082; root $work/www; } }
CONF
  nginx -c "$work/nginx.conf" &
  sleep 0.5
  run nginx-static http://127.0.0.1:18082/fr/ministere/mission.html
fi

base=$(cat "$work/portail-cached-page.rps")
echo
echo "ratios against portail's cached page (higher is faster):"
for f in "$work"/*.rps; do
  n=$(basename "$f" .rps)
  awk -v a="$(cat "$f")" -v b="$base" -v n="$n" 'BEGIN { printf "  %-32s %.2f\n", n, a / b }'
done
