#!/usr/bin/env bash
# Bad-input sweep: the "deep" part of sqlite_badinput_big.sh (see there).
exec bash "$(dirname -- "${BASH_SOURCE[0]}")/sqlite_badinput_big.sh" deep
