#!/usr/bin/env bash
# nestjs-owasp-demo (NestJS 11 on Express, pg): node_modules in bench/.work/papps/nestdemo (the bench
# passes them as NODE_PATH), the app built once in nestdemo/build/dist (copied into each run's export).
. "$(dirname "$0")/common.sh"
app=nestjs-owasp-demo
dir=$PAPPS/nestdemo
mkdir -p "$dir"
cd "$dir"
if [ ! -d node_modules/@nestjs/cli ]; then
  show $app package.json >package.json
  show $app package-lock.json >package-lock.json
  npm ci --no-audit --no-fund
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
