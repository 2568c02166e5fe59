#!/usr/bin/env bash
# make backup / make restore round trip on the running suite; see backup_restore.py.
cd "$(dirname "$0")" && exec timeout 900 python3 backup_restore.py
