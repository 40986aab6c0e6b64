#!/usr/bin/env bash
# stamparm/DSVW: nothing of its own to install. Its requirements.txt is lxml alone, which the bench takes from
# vulnpy's venv (papps/vulnpy/venv's site-packages) and runs with /usr/bin/python3.11; so this is vulnpy's setup.
. "$(dirname "$0")/common.sh"
[ "$(show dsvw requirements.txt | tr -d '[:space:]')" = lxml ] || { echo "dsvw: requirements.txt is not lxml alone" >&2; exit 1; }
bash "$(dirname "$0")/vulnpy.sh"
PYTHONPATH=$PAPPS/vulnpy/venv/lib/python3.11/site-packages /usr/bin/python3.11 -c 'import lxml.etree'
echo "dsvw: ready"
