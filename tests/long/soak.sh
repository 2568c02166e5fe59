#!/usr/bin/env bash
# Mixed traffic for SOAK_SECONDS (60) after a warm-up; memory and fds must not grow. See soak.py.
cd "$(dirname "$0")" && exec timeout 400 python3 soak.py
