#!/usr/bin/env bash
# sec-bank (Zubs/owasp-sec-bank's insecure/backend: Express 5 on PostgreSQL through pg, node-pg-migrate for its schema):
# the commit's insecure/backend/package.json and package-lock.json installed in bench/.work/papps/secbank (the bench
# passes its node_modules as NODE_PATH), Node 20. Its package.json's `npm start` is `npm run swagger && node index.js`
# (swagger.js regenerates swagger.json with swagger-autogen, a devDependency); the commit's own swagger.json is used,
# so only `node index.js` runs. Nothing it needs is native.
. "$(dirname "$0")/common.sh"
app=sec-bank
dir=$PAPPS/secbank
mkdir -p "$dir"
cd "$dir"
if ! loads express || ! loads pg || ! loads node-serialize || ! loads swagger-ui-express || [ ! -x node_modules/.bin/node-pg-migrate ]; then
  show $app insecure/backend/package.json >package.json
  show $app insecure/backend/package-lock.json >package-lock.json
  npm ci --omit=dev --ignore-scripts --no-audit --no-fund
fi
NODE_PATH=$dir/node_modules /usr/bin/node -e 'for (const m of ["express","pg","cors","body-parser","cookie-parser","node-serialize","axios","jsonwebtoken","dotenv","swagger-ui-express"]) require(m)'
chmod -R o+rX "$dir"
echo "$app: ready ($dir)"
