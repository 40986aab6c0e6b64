#!/usr/bin/env bash
# sgabe/DSVPWA (Python's http.server and the standard library only): pyenv's Python 3.9.18 copied to
# papps/dsvpwa/py39 (its README asks for Python 3.9, its Dockerfile is python:3.9.7); nothing to install.
. "$(dirname "$0")/common.sh"
mkdir -p "$PAPPS/dsvpwa"
# A copy nobody can run: root's pyenv is not readable by it.
pyenv_copy 3.9.18 "$PAPPS/dsvpwa/py39"
echo "dsvpwa: ready"
