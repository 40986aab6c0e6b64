#!/usr/bin/env bash
# akintunero/vulnerable-telecoms-portal (TelcoAdmin): only its API, server/ (Express + TypeScript on
# MySQL; the React front end at the repository's root is not run). server/'s package.json and
# package-lock.json in bench/.work/papps/telco (`npm ci`: no native module; the bench passes them as
# NODE_PATH), then server/ built once in telco/build/server/dist with its own `npm run build` (tsc), as
# its Dockerfile's builder stage does; the bench copies that dist/ beside each run's export. Node 20
# (its Dockerfile's node:18-alpine is not here). MySQL 8 is replaced by Debian's MariaDB (system.sh).
. "$(dirname "$0")/common.sh"
app=telecoms-portal
dir=$PAPPS/telco
mkdir -p "$dir"
cd "$dir"
if [ ! -d node_modules/mysql2 ] || [ ! -x node_modules/.bin/tsc ]; then
  show $app server/package.json >package.json
  show $app server/package-lock.json >package-lock.json
  npm ci --ignore-scripts --no-audit --no-fund
fi
if [ ! -f build/server/dist/index.js ]; then
  rm -rf build
  mkdir -p build
  git --git-dir "$(mirror $app)" archive "$(app_field $app commit)" server | tar -x -C build
  ln -s ../../node_modules build/server/node_modules
  (cd build/server && npx --no-install tsc)
  test -f build/server/dist/index.js
fi
NODE_PATH=$dir/node_modules /usr/bin/node -e 'require("mysql2/promise"); require("express"); require("jsonwebtoken"); require("cors")'
echo "$app: ready ($dir)"
