#!/usr/bin/env bash
# The social return while the projects service is down, and after it is back; see
# sroi_upstream.py. About 10 s.
cd "$(dirname "$0")" && exec timeout 120 python3 sroi_upstream.py
