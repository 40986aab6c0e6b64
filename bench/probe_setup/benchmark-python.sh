#!/usr/bin/env bash
# OWASP BenchmarkPython for bench/probe_benchmark.py (not an app of bench/probe_apps.json: run it by
# name, `bash bench/probe_setup.sh benchmark-python`). Its f-strings need Python 3.12: pyenv's 3.12.1
# copied to bench/.work/py312 (root's pyenv is not readable by nobody), and bench/.work/bp-venv with
# the packages the app imports, at the versions its requirements.txt pins. The mirror comes first:
# fetch github:OWASP-Benchmark/BenchmarkPython.
. "$(dirname "$0")/common.sh"
venv=$WORK/bp-venv
py=$WORK/py312
[ -d "$MIRRORS/OWASP-Benchmark+BenchmarkPython/repo" ] || {
  echo "benchmark-python: no mirror at $MIRRORS/OWASP-Benchmark+BenchmarkPython/repo (fetch it first)" >&2; exit 2; }
export LD_LIBRARY_PATH=$py/lib  # pyenv's build is a shared-library one
if [ -f "$venv/.bench-ready" ] && "$venv/bin/python" -c 'import flask, lxml, ldap3, yaml, elementpath, jsonpickle' 2>/dev/null; then
  echo "benchmark-python: $venv already there"; exit 0
fi
pyenv_copy 3.12.1 "$py"
rm -rf "$venv"
"$py/bin/python3.12" -m venv "$venv"
"$venv/bin/python" -m pip install -q --no-cache-dir flask==3.1.0 Werkzeug==3.1.3 click==8.2.1 MarkupSafe==3.0.2 \
  lxml==6.0.0 ldap3==2.9.1 pyasn1==0.5.1 PyYAML==6.0.2 elementpath==5.0.3 jsonpickle==4.1.1
chmod -R o+rX "$venv"  # the app runs as nobody
touch "$venv/.bench-ready"
echo "benchmark-python: ready"
