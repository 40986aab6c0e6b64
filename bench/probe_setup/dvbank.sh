#!/usr/bin/env bash
# dvbank (Damn-Vulnerable-Bank's BackendServer/, Express 4 + Sequelize 6 on MySQL): node_modules in
# bench/.work/papps/dvbank (the bench passes them as NODE_PATH), run on Node 12 (papps/node12, from
# system.sh: on Node >= 15 an unhandled rejection in its handlers ends the process).
. "$(dirname "$0")/common.sh"
app=dvbank
dir=$PAPPS/dvbank
mkdir -p "$dir"
cd "$dir"
if [ ! -d node_modules/sequelize ]; then
  show $app BackendServer/package.json >package.json
  show $app BackendServer/package-lock.json >package-lock.json
  # npm install, not ci: the lock predates its pdf-creator-node dependency (the others keep the lock's
  # versions); no install scripts, so no phantomjs download (its PDF route answers nothing)
  npm install --ignore-scripts --no-audit --no-fund
fi
# the lock's versions of what the app's flaws run through
for pin in express@4.17.1 jsonwebtoken@8.5.1 mysql2@2.2.1 sequelize@6.3.5; do
  grep -q "\"version\": \"${pin#*@}\"" "node_modules/${pin%@*}/package.json" || { echo "$app: ${pin%@*} is not ${pin#*@}" >&2; exit 1; }
done
echo "$app: ready ($dir)"
