#!/usr/bin/env bash
# The Debian package as an operator gets it (tools/test's `package` step):
# built by tools/package, checked by lintian (no errors) and by
# systemd-analyze verify (its units, the template as gateway and shard),
# installed with dpkg -i, serving with its installed configuration as the
# heymovie user against the private PostgreSQL, then purged without a trace.
# Needs root (dpkg) and tools/postgres running; installs on this machine.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

fail() { echo "package check: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || fail "needs root (dpkg -i)"

deb=$(tools/package | tail -1)
echo "package check: $deb" >&2

lintian --fail-on error "$deb" >&2 || fail "lintian found errors"

# The check installs and purges the package: never on a machine where
# HeyMovie is installed for real (purging takes its configuration and
# secret). A marker says the package there is one this check left behind.
marker=/var/lib/heymovie-package-check
if dpkg-query -W -f='${Status}' heymovie 2>/dev/null | grep "installed" >/dev/null; then
  [ -e "$marker" ] || fail "heymovie is installed on this machine; the check would purge it"
  dpkg --purge heymovie >/dev/null
fi
work=$(mktemp -d)
chmod 755 "$work"
service_pid=
cleanup() {
  set +e
  [ -n "$service_pid" ] && kill -9 "$service_pid" 2>/dev/null
  dpkg --purge heymovie >/dev/null 2>&1
  rm -f "$marker"
  tools/postgres psql -qc "DROP DATABASE IF EXISTS heymovie_package" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

touch "$marker"
dpkg -i "$deb" >&2
dpkg-query -W -f='${Conffiles}\n' heymovie | grep '^ /etc/heymovie/heymovie.ini ' >/dev/null ||
  fail "/etc/heymovie/heymovie.ini is not a conffile"
id heymovie >/dev/null || fail "no heymovie user"
[ "$(stat -c %G:%a /etc/heymovie/hs256.secret)" = heymovie:640 ] ||
  fail "the HS256 secret is not readable by heymovie only"
/usr/bin/heymovie --version | grep -Eq '^heymovie [0-9]+\.[0-9]+\.[0-9]+ \(commit ' ||
  fail "heymovie --version"

# Anything systemd-analyze says (warnings too) is a failure.
units=(/lib/systemd/system/heymovie.service heymovie@gateway.service heymovie@shard.service)
report=$(systemd-analyze verify "${units[@]}" 2>&1) || fail "systemd-analyze verify: $report"
[ -z "$report" ] || fail "systemd-analyze verify: $report"

# Serving with the installed configuration (/etc/heymovie/heymovie.ini, found
# without --config-file), as the unit would: its user, migrate first. Only
# the database and free ports are given.
tools/postgres psql -qc "DROP DATABASE IF EXISTS heymovie_package" -c "CREATE DATABASE heymovie_package" >/dev/null
DATABASE_URL=$(tools/postgres url heymovie_package)
export DATABASE_URL
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
admin_port=$(free_port)
as_service() { (cd / && setpriv --reuid=heymovie --regid=heymovie --init-groups "$@"); }
cp persistence/sample_movies.csv "$work/movies.csv"
chmod 644 "$work/movies.csv"
as_service /usr/bin/heymovie migrate >&2
as_service /usr/bin/heymovie import-movies "$work/movies.csv" >&2
(cd / && exec setpriv --reuid=heymovie --regid=heymovie --init-groups \
  /usr/bin/heymovie serve --http.address=127.0.0.1 --http.port="$port" \
  --admin.port="$admin_port") 2>"$work/service.log" &
service_pid=$!
for _ in $(seq 1 500); do
  curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break
  kill -0 "$service_pid" 2>/dev/null || fail "the service exited: $(cat "$work/service.log")"
  sleep 0.02
done
curl -sf "http://127.0.0.1:$port/readyz" >/dev/null || fail "not ready in 10 s"
# The token command signs with the secret the installed INI names.
token=$(as_service /usr/bin/heymovie token --user=1)
status=$(curl -s -o "$work/answer" -w '%{http_code}' -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' -d '{"user": 1, "movie": 1, "rating": 4.5}' \
  "http://127.0.0.1:$port/rating")
[ "$status" = 201 ] || fail "POST /rating answered $status: $(cat "$work/answer")"
stored=$(psql "$DATABASE_URL" -tAc \
  'SELECT half_stars FROM ratings WHERE user_id = 1 AND movie_id = 1')
[ "$stored" = 9 ] || fail "the rating is not in the database ($stored)"
metrics=$(curl -sf "http://127.0.0.1:$admin_port/metrics")
grep '^heymovie_build_info{' <<<"$metrics" >/dev/null ||
  fail "no heymovie_build_info on the admin port"
kill -TERM "$service_pid"
wait "$service_pid" || fail "the service did not exit 0 on SIGTERM: $(cat "$work/service.log")"
service_pid=

dpkg --purge heymovie >&2
rm -f "$marker"
for gone in /usr/bin/heymovie /etc/heymovie /lib/systemd/system/heymovie.service \
  /lib/systemd/system/heymovie@.service /usr/share/doc/heymovie; do
  [ ! -e "$gone" ] || fail "$gone is left after the purge"
done
echo "package check: lintian, systemd-analyze verify, install, serve, purge: ok" >&2
