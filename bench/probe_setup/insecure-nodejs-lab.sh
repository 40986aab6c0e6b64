#!/usr/bin/env bash
# insecure-nodejs-lab (chewsan/vulnerable-nodejs-web: the "Intentionally Insecure Node.js Training Lab", Express 4
# + EJS on SQLite through better-sqlite3 9): the commit's package.json and package-lock.json installed in
# bench/.work/papps/inlab (the bench passes its node_modules as NODE_PATH), Node 20 (its README: Node.js LTS,
# recommended 20.x). Its README says `npm install`, `cp .env.example .env`, `npm run seed`, `npm start`; the lock
# is there, so `npm ci`.
. "$(dirname "$0")/common.sh"
app=insecure-nodejs-lab
dir=$PAPPS/inlab
mkdir -p "$dir"
cd "$dir"
native_npm
if ! loads express || ! loads ejs || ! loads express-ejs-layouts || ! loads multer || [ ! -d node_modules/better-sqlite3 ]; then
  show $app package.json >package.json
  show $app package-lock.json >package-lock.json
  # install scripts off: better-sqlite3's would download a prebuilt binary; it is built below instead
  npm ci --omit=dev --ignore-scripts --no-audit --no-fund
fi
# better-sqlite3 is native: built for this Node from source with node-gyp against Debian's Node headers
# (/usr/include/node; no prebuilt download), as for freelancepro
if ! NODE_PATH=$dir/node_modules /usr/bin/node -e "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()" 2>/dev/null; then
  (cd node_modules/better-sqlite3 && npx --yes node-gyp@12.4.0 rebuild --release --nodedir=/usr)
fi
NODE_PATH=$dir/node_modules /usr/bin/node -e 'new (require("better-sqlite3"))(":memory:").prepare("select 1").get(); for (const m of ["express","ejs","express-ejs-layouts","express-session","morgan","multer","moment","dotenv"]) require(m)'
chmod -R o+rX "$dir"
echo "$app: ready ($dir)"
