#!/usr/bin/env bash
# vulpy-good is vulpy's good/ face: the same commit and the same runtime (papps/vulpy/venv).
. "$(dirname "$0")/common.sh"
bash "$(dirname "$0")/vulpy.sh"
