#!/usr/bin/env bash
# vuln-task-manager (Haseeb-1698/vulnerable-webapp's backend/: Express + TypeScript, Prisma 5.22 and pg on
# PostgreSQL): backend/'s node_modules in bench/.work/papps/vtm (the bench passes them as NODE_PATH) and
# Prisma's wasm client generated into node_modules/.prisma, Node 20. The app runs from its sources with tsx,
# as its README's `npm run dev` does (nodemon's `tsx src/server.ts`): its `npm run build` output does not
# start at this commit (server.ts uses its logging middleware above the import, which tsc's CommonJS keeps
# in place: 'Cannot access logging_1 before initialization'; tsx's esbuild hoists imports as ES modules do).
. "$(dirname "$0")/common.sh"
app=vuln-task-manager
dir=$PAPPS/vtm
mkdir -p "$dir"
cd "$dir"
if [ ! -d node_modules/@prisma/adapter-pg ]; then
  show $app backend/package.json >package.json
  show $app backend/package-lock.json >package-lock.json
  # its Dockerfile's `npm install` (not ci: 'Use npm install instead of npm ci to handle lock file mismatches',
  # the lock lacks jest and supertest); no install scripts: nothing it runs is native, and Prisma's
  # postinstall would download engines
  npm install --ignore-scripts --no-audit --no-fund
  # Prisma's native engines are downloads this machine cannot make: the wasm engine inside @prisma/client
  # runs the queries through the pg driver adapter (pg is already the app's own dependency)
  npm install --no-save --ignore-scripts --no-audit --no-fund @prisma/adapter-pg@5.22.0
fi
if [ ! -f node_modules/.prisma/client/wasm.js ]; then
  rm -rf build
  mkdir -p build
  # backend/prisma/schema.prisma is the schema generated from; its packages come from vtm/node_modules
  git --git-dir "$(mirror $app)" archive "$(app_field $app commit)" backend/prisma | tar -x -C build
  ln -s ../../node_modules build/backend/node_modules
  cd build/backend
  # the driver adapter needs the preview feature in the generator; the bench's copy of the schema has it
  sed '/^generator client {/,/^}/ s/^\(\s*provider\s*=.*\)$/\1\n  previewFeatures = ["driverAdapters"]/' \
    prisma/schema.prisma >prisma/schema.bench.prisma
  grep -q driverAdapters prisma/schema.bench.prisma
  # an empty file as each engine: generate then downloads nothing (the client it writes includes the wasm engine)
  : >"$dir/no-engine"
  PRISMA_QUERY_ENGINE_LIBRARY=$dir/no-engine PRISMA_SCHEMA_ENGINE_BINARY=$dir/no-engine \
    npx --no-install prisma generate --schema prisma/schema.bench.prisma
  cd "$dir"
fi
# tsx (its devDependency, esbuild's linux-x64 binary from npm) must load
NODE_PATH=$dir/node_modules /usr/bin/node -e 'require("tsx/cjs"); require("@prisma/adapter-pg")'
echo "$app: ready ($dir)"
