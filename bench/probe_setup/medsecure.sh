#!/usr/bin/env bash
# yubin-jee/medsecure-vulnerable-app's MedSecure patient portal (src/: Express 4 on better-sqlite3; the
# Python orchestrator/ and dashboard/ beside it are its authors' remediation pipeline, not the app, and are
# not run): its dependencies in bench/.work/papps/medsecure, on Node 20. No lock file: package.json's
# ranges are resolved here. better-sqlite3 is native: built for this Node from source with node-gyp
# against Debian's Node headers (/usr/include/node; no prebuilt download).
. "$(dirname "$0")/common.sh"
app=medsecure
dir=$PAPPS/medsecure
mkdir -p "$dir"

if [ ! -d "$dir/node_modules/express" ] || [ ! -d "$dir/node_modules/xml2js" ]; then
  show $app package.json > "$dir/package.json"
  # src/routes/admin.js requires xml2js at load time, which its package.json does not list: without it the
  # app does not start at all. Installed beside the listed ones, not saved into package.json.
  (cd "$dir" && npm install --ignore-scripts --no-audit --no-fund --no-package-lock &&
    npm install --no-save --ignore-scripts --no-audit --no-fund --no-package-lock xml2js@0.6.2)
fi

if ! (cd "$dir" && node -e "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()" 2>/dev/null); then
  (cd "$dir/node_modules/better-sqlite3" && npx --yes node-gyp@12.4.0 rebuild --release --nodedir=/usr)
fi
(cd "$dir" && node -e "new (require('better-sqlite3'))(':memory:').prepare('select 1').get(); require('xml2js')")
echo "$app: ready"
