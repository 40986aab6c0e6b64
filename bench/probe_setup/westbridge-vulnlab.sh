#!/usr/bin/env bash
# westbridge-vulnlab (thechosenone-shall-prevail/vulnerable-nodejs-webapp: one Express 4 file, server.js, on
# SQLite through sqlite3): the commit's package.json and package-lock.json installed in
# bench/.work/papps/wbridge (the bench passes its node_modules as NODE_PATH), Node 20. Its README (initial
# commit) says `npm install`, then `node server.js`; the lock is there, so `npm ci`.
. "$(dirname "$0")/common.sh"
app=westbridge-vulnlab
dir=$PAPPS/wbridge
mkdir -p "$dir"
cd "$dir"
native_npm
if ! loads sqlite3 || ! loads express || ! loads cookie-parser; then
  show $app package.json >package.json
  show $app package-lock.json >package-lock.json
  npm ci --omit=dev --ignore-scripts --no-audit --no-fund
  npm rebuild sqlite3
fi
NODE_PATH=$dir/node_modules /usr/bin/node -e 'require("sqlite3"); require("express"); require("cookie-parser"); require("body-parser")'
chmod -R o+rX "$dir"
echo "$app: ready ($dir)"
