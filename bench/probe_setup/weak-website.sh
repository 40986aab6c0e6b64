#!/usr/bin/env bash
# weak-website (capstone-hermes/weak-website-backend, NestJS 10 + TypeORM on MySQL): node_modules in
# bench/.work/papps/hermes (the bench passes them as NODE_PATH), the app built once in hermes/build/dist
# (copied into each run's export), Node 20.
. "$(dirname "$0")/common.sh"
app=weak-website
dir=$PAPPS/hermes
mkdir -p "$dir"
cd "$dir"
if [ ! -d node_modules/@nestjs/cli ]; then
  show $app package.json >package.json
  show $app package-lock.json >package-lock.json
  # all pure JavaScript: no install scripts needed
  npm ci --ignore-scripts --no-audit --no-fund
fi
if [ ! -f build/dist/main.js ]; then
  rm -rf build
  export_to $app build
  # the build resolves its packages from the parent's node_modules
  ln -s ../node_modules build/node_modules
  (cd build && npx --no-install nest build)
  test -f build/dist/main.js
fi
echo "$app: ready ($dir)"
