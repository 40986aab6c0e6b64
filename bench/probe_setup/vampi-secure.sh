#!/usr/bin/env bash
# vampi-secure is VAmPI run with vulnerable=0: the same commit and the same runtime (papps/vampi/venv).
. "$(dirname "$0")/common.sh"
bash "$(dirname "$0")/vampi.sh"
