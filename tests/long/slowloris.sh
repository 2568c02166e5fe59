#!/usr/bin/env bash
# Slow clients do not block others; silent half-sent requests are closed. See slowloris.py. ~30 s.
cd "$(dirname "$0")" && exec timeout 200 python3 slowloris.py
