#!/usr/bin/env bash
# vulnerable-labs-sqli (Priyanshu-Developer/vulnerable-labs's sql-injection/basic: Next.js 16 App Router, its
# API route handlers on pg 8 and PostgreSQL): the commit exported to bench/.work/papps/vlabs/build, its
# dependencies installed in build/sql-injection/basic as its Dockerfile does (`pnpm install --frozen-lockfile`,
# pnpm 10: its pnpm-workspace.yaml's onlyBuiltDependencies is pnpm 10's), then built once there with `next build`
# (its Dockerfile's `pnpm build`). Each run copies that .next/ (less its build cache) into the export's
# sql-injection/basic and links node_modules to this one, then runs `next start` (its entrypoint's `pnpm start`)
# on Node 20 (its Dockerfile's node:20-slim).
# Two departures from `pnpm build`, both for the build only, neither touching a route:
# - app/(ui)/layout.tsx loads Geist and Geist Mono through next/font/google, which fetches them from Google Fonts
#   at build time (not reachable here): next/font's own test hook NEXT_FONT_GOOGLE_MOCKED_RESPONSES answers each
#   stylesheet with one @font-face of the family it names (fonts-mock.cjs);
# - that hook is read by next/font's webpack loader, not by Turbopack (Next 16's default bundler, which failed
#   to resolve the mocked font module), so the build is `next build --webpack`.
. "$(dirname "$0")/common.sh"
app=vulnerable-labs-sqli
dir=$PAPPS/vlabs
code=$dir/build/sql-injection/basic
mkdir -p "$dir"
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
if [ ! -d "$code/node_modules/next" ] || [ ! -d "$code/node_modules/pg" ]; then
  rm -rf "$dir/build"
  export_to $app "$dir/build"
  (cd "$code" && npx --yes pnpm@10.34.9 install --frozen-lockfile)
fi
if [ ! -f "$code/.next/BUILD_ID" ]; then
  (cd "$code" && NEXT_TELEMETRY_DISABLED=1 NEXT_FONT_GOOGLE_MOCKED_RESPONSES=$dir/fonts-mock.cjs \
    npx --no-install next build --webpack)
fi
test -f "$code/.next/BUILD_ID"
chmod -R o+rX "$dir"
(cd "$code" && node -e "require('pg'); require('next/package.json')")
echo "$app: ready ($dir)"
