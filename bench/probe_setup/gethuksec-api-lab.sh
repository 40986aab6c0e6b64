#!/usr/bin/env bash
# gethuksec-api-lab (gethuksec/gethuksec-api-lab, "OWASP API Security Lab": Express 4 + TypeScript on SQLite through
# sqlite3): the commit's package.json and package-lock.json installed in bench/.work/papps/ghlab (devDependencies too:
# its build is tsc; the bench passes its node_modules as NODE_PATH), then the commit built once in ghlab/build/dist with
# its own `npm run build` (tsc), as its Dockerfile's builder stage does, with src/database/schema.sql copied into
# dist/database/ as that Dockerfile's last stage does (src/database/init.ts reads it beside itself). The bench copies
# that dist/ beside each run's export. sqlite3 is native: built here for Node 20 (its Dockerfile's node:18-alpine is
# not here), against /usr/include/node.
. "$(dirname "$0")/common.sh"
app=gethuksec-api-lab
dir=$PAPPS/ghlab
mkdir -p "$dir"
cd "$dir"
native_npm
if ! loads sqlite3 || ! loads express || [ ! -x node_modules/.bin/tsc ]; then
  show $app package.json >package.json
  show $app package-lock.json >package-lock.json
  npm ci --ignore-scripts --no-audit --no-fund
  npm rebuild sqlite3
fi
NODE_PATH=$dir/node_modules /usr/bin/node -e 'for (const m of ["sqlite3","express","cors","morgan","bcryptjs","jsonwebtoken","node-fetch","dotenv","express-rate-limit"]) require(m)'
if [ ! -f build/dist/server.js ] || [ ! -f build/dist/database/schema.sql ]; then
  rm -rf build
  export_to $app build
  ln -s ../node_modules build/node_modules
  (cd build && npx --no-install tsc)
  cp build/src/database/schema.sql build/dist/database/schema.sql
  test -f build/dist/server.js
fi
chmod -R o+rX "$dir"
echo "$app: ready ($dir)"
