#!/usr/bin/env bash
# Kills one service with SIGKILL under load and starts it again; see service_kill.py. About 30 s.
cd "$(dirname "$0")" && exec timeout 300 python3 service_kill.py
