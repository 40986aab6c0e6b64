#!/usr/bin/env bash
# snoopysecurity/dvws-node (Express 4 + Apollo 3 + xmlrpc, Mongoose 7.8, Sequelize 6 on MySQL): its
# dependencies in bench/.work/papps/dvws, run on /usr/bin/node (20). Its MongoDB is very-vulnerable-gql-api's
# nx-27017 stand-in (bench/.work/papps/gqlapi/mongovenv), so that setup runs first; MariaDB is Debian's.
. "$(dirname "$0")/common.sh"
app=dvws-node
dir=$PAPPS/dvws
bash "$(dirname "$0")/very-vulnerable-gql-api.sh"
mkdir -p "$dir"

if [ ! -d "$dir/node_modules/libxmljs" ]; then
  show $app package.json > "$dir/package.json"
  show $app package-lock.json > "$dir/package-lock.json"
  (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund)
fi

# the two native modules built from source for Node 20 (its README: Node 20 or 22, `npm install
# --build-from-source`): no prebuilt binary is downloaded. Node 20's own headers (/usr/bin/node's).
for mod in libxmljs bcrypt; do
  if ! (cd "$dir" && /usr/bin/node -e "require('$mod')" 2>/dev/null); then
    (cd "$dir/node_modules/$mod" && npm_config_nodedir=/usr npx node-pre-gyp rebuild --build-from-source)
  fi
done
(cd "$dir" && /usr/bin/node -e "require('libxmljs'); require('bcrypt').hashSync('x', 4)")
echo "$app: ready"
