#!/usr/bin/env bash
# maogouste/api-security-dojo's implementations/python-fastapi (FastAPI on uvicorn, SQLAlchemy async on SQLite through
# aiosqlite, Strawberry GraphQL): its Dockerfile (python:3.11-slim) runs `pip install -r requirements.txt` (every line
# unpinned, `>=`: fastapi, uvicorn[standard], pydantic[email], pydantic-settings, sqlalchemy, aiosqlite,
# python-jose[cryptography], passlib[bcrypt], python-multipart, strawberry-graphql[fastapi], and its test tools httpx,
# pytest, pytest-asyncio) and `uvicorn app.main:app`. Here: papps/dojo/venv from /usr/bin/python3.11 with that file;
# what the unpinned lines resolved to is frozen into papps/dojo/requirements.txt. The bench runs /usr/bin/python3.11 as
# nobody with PYTHONPATH at its site-packages (see the app's entry in bench/probe_apps.json).
# Two changes to what its unpinned lines resolve to today, each because the app does not start without it:
# - greenlet added: `sqlalchemy>=2.0.0` now resolves to SQLAlchemy 2.1, which no longer pulls greenlet in by itself (2.0
#   did), and create_async_engine's import fails without it ("use the 'sqlalchemy[asyncio]' install target");
# - strawberry-graphql 0.291.3 with graphql-core 3.2 (the newest 3.2): the newest Strawberry that takes this code.
#   0.292 dropped GraphQLRouter's graphiql= argument (app/graphql/schema.py passes graphiql=True: TypeError at import),
#   and by 0.298 an unannotated `info` is no longer recognised by its name (app/graphql/types.py's UserType.orders(self,
#   info): MissingArgumentsAnnotationsError); the app's commit (2026-01-15) predates both. 0.291.3 imports
#   graphql.execution.ExecutionContext, which graphql-core 3.3 no longer has there.
. "$(dirname "$0")/common.sh"
dest=$PAPPS/dojo
requirements_venv api-security-dojo "$dest" 'import fastapi, uvicorn, sqlalchemy, aiosqlite, jose, passlib, strawberry, pydantic_settings, email_validator' implementations/python-fastapi/requirements.txt
if ! "$dest/venv/bin/python" -c 'import greenlet, importlib.metadata as m; assert m.version("strawberry-graphql") == "0.291.3"' 2>/dev/null; then
  "$dest/venv/bin/python" -m pip install -q --no-cache-dir greenlet 'strawberry-graphql[fastapi]==0.291.3' 'graphql-core>=3.2,<3.3'
  "$dest/venv/bin/python" -m pip freeze > "$dest/requirements.txt"
  chmod -R o+rX "$dest"
fi
"$dest/venv/bin/python" -c 'import sqlalchemy.ext.asyncio, greenlet, strawberry.fastapi'
echo "api-security-dojo: ready ($dest)"
