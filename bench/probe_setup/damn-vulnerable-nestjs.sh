#!/usr/bin/env bash
# damn-vulnerable-nestjs (NestJS 11 + Prisma 5.22 on SQLite): node_modules in bench/.work/papps/dvnest,
# the app built in dvnest/build (dist/src/main.js), Prisma's wasm client generated into node_modules/.prisma.
. "$(dirname "$0")/common.sh"
app=damn-vulnerable-nestjs
dir=$PAPPS/dvnest
mkdir -p "$dir"
cd "$dir"
if [ ! -d node_modules/@prisma/adapter-libsql ]; then
  show $app package.json >package.json
  show $app package-lock.json >package-lock.json
  # no install scripts: bcrypt and sqlite3 are never loaded, and Prisma's postinstall would download engines
  npm ci --ignore-scripts --no-audit --no-fund
  # Prisma's native engines are downloads this machine cannot make: the wasm engine inside @prisma/client
  # runs the queries through the libSQL driver adapter (its native binary is an npm package)
  npm install --no-save --ignore-scripts --no-audit --no-fund @prisma/adapter-libsql@5.22.0 @libsql/client@0.8.1
fi
if [ ! -f build/dist/src/main.js ] || [ ! -f node_modules/.prisma/client/wasm.js ]; then
  rm -rf build
  export_to $app build
  ln -s ../node_modules build/node_modules
  cd build
  # the driver adapter needs the preview feature in the generator; the bench's copy of the schema has it
  sed '/^generator client {/,/^}/ s/^\(\s*provider\s*=.*\)$/\1\n  previewFeatures = ["driverAdapters"]/' \
    prisma/schema.prisma >prisma/schema.bench.prisma
  grep -q driverAdapters prisma/schema.bench.prisma
  # an empty file as each engine: generate then downloads nothing (the client it writes includes the wasm engine)
  : >"$dir/no-engine"
  PRISMA_QUERY_ENGINE_LIBRARY=$dir/no-engine PRISMA_SCHEMA_ENGINE_BINARY=$dir/no-engine \
    npx --no-install prisma generate --schema prisma/schema.bench.prisma
  # its npm run build; prisma/seed.ts is compiled too, so the entry point is dist/src/main.js
  npx --no-install nest build
  test -f dist/src/main.js
fi
echo "$app: ready ($dir)"
