#!/usr/bin/env bash
# luxora (lepisodesangwoo/OWASP at 424bd67: "LUXORA - OWASP CTF", one Express 4 module app/server.js with EJS views,
# on PostgreSQL through pg; docker-compose.yml builds app/ (node:20-alpine, `npm install`, `npm start` = node
# server.js) beside postgres:18-alpine with init.sql): the commit's app/package.json and app/package-lock.json
# installed in bench/.work/papps/luxora (the bench passes its node_modules as NODE_PATH), Node 20. The lock is
# there, so `npm ci`. Nothing it needs is native.
. "$(dirname "$0")/common.sh"
app=luxora
dir=$PAPPS/luxora
mkdir -p "$dir"
cd "$dir"
if ! loads express || ! loads pg || ! loads ejs || ! loads node-serialize || ! loads multer || ! loads axios; then
  show $app app/package.json >package.json
  show $app app/package-lock.json >package-lock.json
  npm ci --omit=dev --ignore-scripts --no-audit --no-fund
fi
NODE_PATH=$dir/node_modules /usr/bin/node -e 'for (const m of ["express","pg","body-parser","cookie-parser","multer","ejs","node-serialize","lodash","axios"]) require(m)'
chmod -R o+rX "$dir"
echo "$app: ready ($dir)"
