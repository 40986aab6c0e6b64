#!/usr/bin/env bash
# fluidattacks/vulnerable_js_app (Express 4.16 transpiled by Babel, mysql 2.18): its dependencies in
# bench/.work/papps/vjsapp and its server/ transpiled once into vjsapp/build/dist-server (each run copies it).
# It runs on Node 16 (bench/.work/papps/node16, from system.sh); MariaDB is Debian's (system.sh).
. "$(dirname "$0")/common.sh"
app=vulnerable-js-app
dir=$PAPPS/vjsapp
mkdir -p "$dir"

# all pure JavaScript (lockfile v1): no install scripts needed
if [ ! -d "$dir/node_modules/@babel/cli" ]; then
  show $app package.json > "$dir/package.json"
  show $app package-lock.json > "$dir/package-lock.json"
  (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund)
fi

# its `npm run build` is rimraf + `babel ./server --out-dir dist-server` (the Babel preset is in package.json)
if [ ! -f "$dir/build/dist-server/bin/www.js" ]; then
  rm -rf "$dir/build"
  export_to $app "$dir/build"
  ln -s ../node_modules "$dir/build/node_modules"
  (cd "$dir/build" && npx babel ./server --out-dir dist-server)
fi
echo "$app: ready"
