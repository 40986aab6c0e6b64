#!/usr/bin/env bash
# vulnerable-node (Express 4.13 + pg-promise 4 on PostgreSQL): its package.json's dependencies in
# bench/.work/papps/vnode/node_modules (the bench passes them as NODE_PATH), run on Node 12
# (papps/node12, from system.sh: pg 5 hangs on connect under Node >= 14).
. "$(dirname "$0")/common.sh"
app=vulnerable-node
dir=$PAPPS/vnode
mkdir -p "$dir"
cd "$dir"
if [ ! -d node_modules/pg-promise ]; then
  show $app package.json >package.json
  # the commit has no lock file: its ranges (express ~4.13, pg-promise ^4.4.6...) resolve to old majors
  npm install --no-audit --no-fund
fi
echo "$app: ready ($dir)"
