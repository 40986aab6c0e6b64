#!/usr/bin/env bash
# freelancepro (bakberdy/web_security_vulnerable_app's backend/, the FreelancePro API: NestJS 11 on Express 5,
# better-sqlite3 with its committed data/app.db, express-session kept in the same SQLite file): node_modules
# in bench/.work/papps/freelance from the commit's backend/package.json and package-lock.json (the bench
# passes them as NODE_PATH), the app built once in freelance/build/backend/dist with `nest build` (what its
# Dockerfile's `npm run start:dev`, `nest start --watch`, compiles before it runs dist/main), Node 20 (its
# Dockerfile's node:22; better-sqlite3 12.5 takes 20.x). Each run copies that dist/ into the export's
# backend/ (where main.ts serves ../public from, as in the container's /app) and runs it from there.
. "$(dirname "$0")/common.sh"
app=freelancepro
dir=$PAPPS/freelance
mkdir -p "$dir"
cd "$dir"
if [ ! -d node_modules/@nestjs/cli ] || [ ! -d node_modules/better-sqlite3 ]; then
  show $app backend/package.json >package.json
  show $app backend/package-lock.json >package-lock.json
  # install scripts off: better-sqlite3's would download a prebuilt binary; it is built below instead
  npm ci --ignore-scripts --no-audit --no-fund
fi
# better-sqlite3 is native: built for this Node from source with node-gyp against Debian's Node headers
# (/usr/include/node; no prebuilt download), as for medsecure
if ! node -e "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()" 2>/dev/null; then
  (cd node_modules/better-sqlite3 && npx --yes node-gyp@12.4.0 rebuild --release --nodedir=/usr)
fi
if [ ! -f build/backend/dist/main.js ]; then
  rm -rf build
  export_to $app build
  # the build resolves its packages from the parent's node_modules
  ln -s ../../node_modules build/backend/node_modules
  (cd build/backend && npx --no-install nest build)
  test -f build/backend/dist/main.js
fi
chmod -R o+rX "$dir"
node -e "new (require('better-sqlite3'))(':memory:').prepare('select 1').get(); require('@nestjs/core')"
echo "$app: ready ($dir)"
