#!/usr/bin/env bash
# snyk-labs/nodejs-goof (Express 4.12, Mongoose 4.2, TypeORM 0.2 on MySQL): its production dependencies in
# bench/.work/papps/goof; it runs on /usr/bin/node (20). Its MongoDB is very-vulnerable-gql-api's nx-27017
# stand-in (bench/.work/papps/gqlapi/mongovenv), so that setup runs first; MariaDB is Debian's (system.sh).
. "$(dirname "$0")/common.sh"
app=nodejs-goof
dir=$PAPPS/goof
bash "$(dirname "$0")/very-vulnerable-gql-api.sh"
mkdir -p "$dir"

# nothing native is needed (bson 0.4 falls back to JavaScript, kerberos is only tried), so no install
# scripts; no dev tools (browserify, nodemon, snyk)
if [ ! -d "$dir/node_modules/mongoose" ]; then
  show $app package.json > "$dir/package.json"
  show $app package-lock.json > "$dir/package-lock.json"
  (cd "$dir" && npm ci --ignore-scripts --omit=dev --no-audit --no-fund)
fi
echo "$app: ready"
