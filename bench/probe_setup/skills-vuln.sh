#!/usr/bin/env bash
# skills-vuln (jgutierrezdtt/Skills-vuln: the "Vulnerable Notes App", Next.js 15.5 App Router, its API route handlers
# on Prisma 6.16 with SQLite): the commit's package.json and package-lock.json installed in bench/.work/papps/skvuln
# (devDependencies too: `next build` needs its Tailwind/PostCSS and TypeScript), the commit exported to skvuln/build,
# Prisma's wasm client generated into node_modules/.prisma, and the app built once there with its own `next build`
# (its `npm run build`). Each run copies that .next/ (less its build cache) into the export and links node_modules to
# this one, then runs `next start` (its `npm start`) on Node 20 (its README: Node.js 18+). Its README's own steps are
# `npm install`, `cp .env.example .env`, `npx prisma generate`, `npx prisma db push`, `npx tsx prisma/seed.ts` and
# `npm run dev`; the departures, none of them touching a route:
# - Prisma's native engines (query engine, schema engine) are downloads this machine cannot make: the wasm engine inside
#   @prisma/client runs the queries through the libSQL driver adapter (its native binary is an npm package), the
#   bench's launcher giving the app's `new PrismaClient()` that adapter; `prisma db push` (the schema engine) is done by
#   the bench with the DDL it makes from prisma/schema.prisma (see SKVULN_SCHEMA in bench/probe_apps.py);
# - `npx tsx prisma/seed.ts` fetches tsx, which is installed here (not saved) for the seed;
# - src/app/layout.tsx loads Geist and Geist Mono through next/font/google, which fetches them from Google Fonts at build
#   time (not reachable here): next/font's own test hook NEXT_FONT_GOOGLE_MOCKED_RESPONSES answers each stylesheet with
#   one @font-face of the family it names (fonts-mock.cjs, as for vulnerable-labs-sqli);
# - `next start` (a production build) rather than `npm run dev` (Turbopack's dev server, which compiles each route on
#   its first request): the routes' code is the same; NODE_ENV is production, as on its Vercel deployment.
. "$(dirname "$0")/common.sh"
app=skills-vuln
dir=$PAPPS/skvuln
mkdir -p "$dir"
cd "$dir"
cat >"$dir/fonts-mock.cjs" <<'JS'
// next/font/google's own test hook (NEXT_FONT_GOOGLE_MOCKED_RESPONSES): the layout's Geist and Geist_Mono
// are fetched from Google Fonts at build time, which this machine cannot reach; each asked stylesheet is
// answered with one latin @font-face of the family the URL names (its font file: the URL's bytes)
module.exports = new Proxy({}, {
  get(_, url) {
    if (typeof url !== 'string') return undefined;
    const family = decodeURIComponent((/family=([^:&]+)/.exec(url) || [, 'Geist'])[1]).replace(/\+/g, ' ');
    return `/* latin */\n@font-face {\n  font-family: '${family}';\n  font-style: normal;\n  font-weight: 100 900;\n` +
      `  font-display: swap;\n  src: url(https://fonts.gstatic.com/s/bench/${family.replace(/ /g, '')}.woff2) format('woff2');\n` +
      `  unicode-range: U+0000-00FF;\n}\n`;
  },
});
JS
if [ ! -d node_modules/next ] || [ ! -d node_modules/@prisma/adapter-libsql ] || [ ! -d node_modules/tsx ]; then
  show $app package.json >package.json
  show $app package-lock.json >package-lock.json
  # no install scripts: Prisma's postinstall would download engines; sqlite3 (a dependency nothing imports) is not built
  npm ci --ignore-scripts --no-audit --no-fund
  npm install --no-save --ignore-scripts --no-audit --no-fund @prisma/adapter-libsql@6.16.0 tsx@4.20.5
fi
if [ ! -f build/.next/BUILD_ID ] || [ ! -f node_modules/.prisma/client/wasm.js ]; then
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
  # the generated wasm client finds its engine through an import map meant for edge runtimes
  # (`import('#wasm-engine-loader')`, which Node refuses): it is pointed at the file instead
  python3 - "$dir/node_modules/.prisma/client/wasm.js" <<'PY'
import sys
path = sys.argv[1]
text = open(path).read()
old = ("    const loader = (await import('#wasm-engine-loader')).default\n"
       "    const engine = (await loader).default\n    return engine\n")
assert old in text, "wasm.js: the engine loader is not the one expected"
open(path, "w").write(text.replace(old, "    return new WebAssembly.Module(require('fs').readFileSync("
                                        "require('path').join(__dirname, 'query_engine_bg.wasm')))\n"))
PY
  # its README's `cp .env.example .env` (DATABASE_URL file:./dev.db, LAB_MODE=true, ...), then its `npm run build`.
  # src/lib/neon.ts (the Neon demo's module: /api/comments, /api/admin/init-neon, /neon-demo) calls neon(DATABASE_URL)
  # when loaded, which refuses a file: URL, and `next build` loads every route to collect its page data: the build
  # alone is given a PostgreSQL-shaped DATABASE_URL (nothing listens there; route code reads DATABASE_URL at run time,
  # where the .env's file:./dev.db holds, so those three answer 500 as under its `npm run dev`)
  cp .env.example .env
  DATABASE_URL=postgresql://bench:bench@127.0.0.1:1/neon NEXT_TELEMETRY_DISABLED=1 \
    NEXT_FONT_GOOGLE_MOCKED_RESPONSES=$dir/fonts-mock.cjs npx --no-install next build
  cd "$dir"
fi
test -f build/.next/BUILD_ID
chmod -R o+rX "$dir"
NODE_PATH=$dir/node_modules /usr/bin/node -e 'require("@prisma/adapter-libsql"); require("@libsql/client"); require("next/package.json"); require("tsx/cjs")'
echo "$app: ready ($dir)"
