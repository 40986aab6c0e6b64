#!/usr/bin/env bash
# OWASP/NodeGoat (Express 4.16 + Swig views, the mongodb 2.2 driver): its production dependencies in
# bench/.work/papps/nodegoat. Its MongoDB is very-vulnerable-gql-api's nx-27017 stand-in
# (bench/.work/papps/gqlapi/mongovenv), so that setup runs first.
. "$(dirname "$0")/common.sh"
app=nodegoat
dir=$PAPPS/nodegoat
bash "$(dirname "$0")/very-vulnerable-gql-api.sh"
mkdir -p "$dir"

# The Dockerfile's `npm install --production`, from the commit's lock; no install scripts: nothing it
# needs is native (bcrypt-nodejs is JavaScript; forever, which only its Procfile would use, is not run)
if [ ! -d "$dir/node_modules/mongodb" ]; then
  show $app package.json > "$dir/package.json"
  show $app package-lock.json > "$dir/package-lock.json"
  (cd "$dir" && npm ci --ignore-scripts --omit=dev --no-audit --no-fund)
fi
echo "$app: ready"
