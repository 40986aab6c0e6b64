#!/usr/bin/env bash
# What every app's runtime shares: Debian's database servers, Chromium, libpq headers, and the
# PostgreSQL binaries where bench/probe_apps.py looks for them (PG_BIN, default /usr/local/bin).
. "$(dirname "$0")/common.sh"
need=()
for p in postgresql mariadb-server redis-server chromium libpq-dev; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  apt-get install -y "${need[@]}" >/dev/null
fi
pg=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
for b in initdb postgres pg_ctl psql; do
  [ -e "/usr/local/bin/$b" ] || ln -s "$pg/$b" "/usr/local/bin/$b"
done
pyenv_copy 2.7.18 "$WORK/py27"
npm_node 12.22.12 "$PAPPS/node12"
npm_node 16.20.2 "$PAPPS/node16"
echo "system: ready"
