#!/usr/bin/env bash
# The hub's computed indicators while the itineraries and the transfer services are down, and
# after they are back; see computed_upstream.py. About 15 s.
cd "$(dirname "$0")" && exec timeout 180 python3 computed_upstream.py
