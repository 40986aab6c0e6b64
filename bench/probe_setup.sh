#!/usr/bin/env bash
# Builds the runtimes bench/probe_apps.py runs the apps with (bench/.work/papps), from each app's
# pinned commit: `bash bench/probe_setup.sh` for all, or `bash bench/probe_setup.sh APP...`.
# Needs root (apt, setpriv), the network to PyPI/npm/Debian, and each app's mirror under
# /work/.mirror (fetch github:OWNER/NAME). Each app's script says what it installs and why.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)/probe_setup
bash "$here/system.sh"
if [ $# -eq 0 ]; then
  set -- $(python3 -c 'import json,sys; print(" ".join(a["name"] for a in json.load(open(sys.argv[1]))["apps"]))' "$here/../probe_apps.json")
fi
failed=()
for app in "$@"; do
  script=$here/$app.sh
  [ -f "$script" ] || { echo "$app: no setup script ($script)" >&2; failed+=("$app"); continue; }
  echo "== $app"
  bash "$script" || failed+=("$app")
done
[ ${#failed[@]} -eq 0 ] || { echo "setup failed: ${failed[*]}" >&2; exit 1; }
