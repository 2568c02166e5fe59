#!/usr/bin/env bash
# Slow database (lock past the statement timeout) and slow upstream (frozen service); see
# slow_deps.py. About 40 s.
cd "$(dirname "$0")" && exec timeout 300 python3 slow_deps.py
