#!/usr/bin/env bash
# ShivKumar033/Vulnerable-Ecommerce-App (Express 5 + Prisma 5.22 on PostgreSQL, backend/ only): node_modules in
# bench/.work/papps/ecom from the commit's backend/package.json and package-lock.json, and Prisma's wasm client
# generated into node_modules/.prisma (the native engines are downloads this machine cannot make; the wasm engine
# inside @prisma/client runs the queries through the pg driver adapter, an npm package like pg itself).
. "$(dirname "$0")/common.sh"
app=vulnerable-ecommerce
dir=$PAPPS/ecom
mkdir -p "$dir"
cd "$dir"
if [ ! -d node_modules/@prisma/adapter-pg ] || [ ! -d node_modules/pg ]; then
  show $app backend/package.json >package.json
  show $app backend/package-lock.json >package-lock.json
  # no install scripts: Prisma's postinstall would download engines (nothing else here is native)
  npm ci --ignore-scripts --no-audit --no-fund
  # the lock's @prisma/adapter-pg is 7.4 (Prisma 7's), which the code never imports; 5.22's is the one that fits
  # @prisma/client 5.22 (the bench's launcher gives the code's `new PrismaClient()` this adapter)
  npm install --no-save --ignore-scripts --no-audit --no-fund @prisma/adapter-pg@5.22.0
fi
if [ ! -f node_modules/.prisma/client/wasm.js ] || [ ! -f node_modules/.prisma/client/query_engine_bg.wasm ]; then
  show $app backend/prisma/schema.prisma >schema.prisma
  # the driver adapter needs the preview feature in the generator; the bench's copy of the schema has it
  sed '/^generator client {/,/^}/ s/^\(\s*provider\s*=.*\)$/\1\n  previewFeatures = ["driverAdapters"]/' \
    schema.prisma >schema.bench.prisma
  grep -q driverAdapters schema.bench.prisma
  # an empty file as each engine: generate then downloads nothing (the client it writes includes the wasm engine)
  : >"$dir/no-engine"
  PRISMA_QUERY_ENGINE_LIBRARY=$dir/no-engine PRISMA_SCHEMA_ENGINE_BINARY=$dir/no-engine \
    npx --no-install prisma generate --schema schema.bench.prisma
fi
# The generated wasm client finds its engine through an import map meant for edge runtimes
# (`import('#wasm-engine-loader')`, which Node refuses): it is pointed at the file instead.
python3 - "$dir/node_modules/.prisma/client/wasm.js" <<'PY'
import sys
from pathlib import Path
p = Path(sys.argv[1])
old = ("    const loader = (await import('#wasm-engine-loader')).default\n"
       "    const engine = (await loader).default\n    return engine \n")
text = p.read_text()
if old in text:
    p.write_text(text.replace(old, "    return new WebAssembly.Module(require('fs').readFileSync("
                                   "require('path').join(__dirname, 'query_engine_bg.wasm')))\n"))
PY
grep -q "readFileSync(require('path').join(__dirname, 'query_engine_bg.wasm'))" node_modules/.prisma/client/wasm.js
chmod -R o+rX "$dir"  # the app runs as nobody
echo "$app: ready ($dir)"
