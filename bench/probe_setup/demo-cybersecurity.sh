#!/usr/bin/env bash
# demo-cybersecurity (jedelacarrera/DemoCyberSecurity, Koa + TypeScript, Sequelize on in-memory SQLite):
# backend/'s node_modules in bench/.work/papps/dcs (the bench passes them as NODE_PATH), backend/ built
# once in dcs/build/backend/dist (the bench copies that dist/ beside each run's export), Node 20.
. "$(dirname "$0")/common.sh"
app=demo-cybersecurity
dir=$PAPPS/dcs
mkdir -p "$dir"
cd "$dir"
native_npm
if ! loads sqlite3 || ! loads bcrypt; then
  show $app backend/package.json >package.json
  show $app backend/package-lock.json >package-lock.json
  npm ci --ignore-scripts --no-audit --no-fund
  # sqlite3 and bcrypt are native: built for Node 20
  npm rebuild sqlite3 bcrypt
fi
# both must load on Node 20
NODE_PATH=$dir/node_modules /usr/bin/node -e 'require("sqlite3"); require("bcrypt")'
if [ ! -f build/backend/dist/app.js ]; then
  rm -rf build
  mkdir -p build
  # only backend/ is built (its npm run build is tsc); its packages come from dcs/node_modules
  git --git-dir "$(mirror $app)" archive "$(app_field $app commit)" backend | tar -x -C build
  ln -s ../../node_modules build/backend/node_modules
  (cd build/backend && npx --no-install tsc)
  test -f build/backend/dist/app.js
fi
echo "$app: ready ($dir)"
