#!/usr/bin/env bash
# Kills PostgreSQL under write load and starts it again; see pg_kill.py. Bounded: about 30 s.
cd "$(dirname "$0")" && exec timeout 300 python3 pg_kill.py
