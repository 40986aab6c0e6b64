#!/usr/bin/env bash
# vuln-express-app (SirAppSec, Express 4 + Sequelize 6 on SQLite): node_modules in
# bench/.work/papps/sirapp (the bench passes them as NODE_PATH), run on Node 20 (/usr/bin/node).
. "$(dirname "$0")/common.sh"
app=vuln-express-app
dir=$PAPPS/sirapp
mkdir -p "$dir"
cd "$dir"
native_npm
if ! loads sqlite3; then
  show $app package.json >package.json
  show $app package-lock.json >package-lock.json
  npm install --ignore-scripts --no-audit --no-fund
  # sqlite3 is native: built for Node 20
  npm rebuild sqlite3
fi
if ! loads libxmljs || [ "$(node -p 'require("./node_modules/libxmljs/package.json").version')" != 1.0.11 ]; then
  # its pinned libxmljs 0.19 does not build on Node 20; 1.0.11 does (only the XXE route parses with it)
  npm install --no-save --no-audit --no-fund libxmljs@1.0.11
fi
# both native modules must load on Node 20
NODE_PATH=$dir/node_modules /usr/bin/node -e 'require("sqlite3"); require("libxmljs")'
echo "$app: ready ($dir)"
