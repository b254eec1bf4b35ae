#!/usr/bin/env bash
# Build the libFuzzer harnesses with clang (ASan + UBSan, coverage on
# migrate_core) in build-fuzz and run the `fuzz` tests: fuzz.replay.<target>
# replays each corpus in fuzz/corpora/, fuzz.run.<target> fuzzes a copy of it
# for MIGRATE_FUZZ_SECONDS (default 30) per target. The last line is
# "N passed, N failed" (a configure or build failure counts as one failed
# test). See docs/fuzzing.md for long runs and for turning a crash into a
# regression input.
#
# Environment: MIGRATE_FUZZ_SECONDS (per target, default 30), JOBS (build
# jobs, default nproc), CC (default clang; must be clang), MIGRATE_FUZZ_DIR
# (build directory, default build-fuzz).
set -uo pipefail

root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root" || exit 2

seconds=${MIGRATE_FUZZ_SECONDS:-30}
jobs=${JOBS:-$(nproc)}
dir=${MIGRATE_FUZZ_DIR:-build-fuzz}
cc=${CC:-clang}
log=$(mktemp "${TMPDIR:-/tmp}/migrate-fuzz-ci.XXXXXX")
trap 'rm -f -- "$log"' EXIT

fail() {
	echo "fuzz-ci.sh: $*" >&2
	echo "0 passed, 1 failed"
	exit 1
}

command -v "$cc" >/dev/null 2>&1 ||
	fail "'$cc' not found: libFuzzer needs clang (apt-get install clang libclang-rt-14-dev)"

echo "==> configure $dir (CC=$cc, MIGRATE_FUZZ_SECONDS=$seconds)"
# The compiler is fixed when the build dir is first configured.
cc_arg=()
[[ -f "$dir/CMakeCache.txt" ]] || cc_arg=("-DCMAKE_C_COMPILER=$cc")
cmake -S . -B "$dir" "${cc_arg[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DMIGRATE_FUZZ=ON -DMIGRATE_FUZZ_SECONDS="$seconds" \
	-DMIGRATE_FUZZ_UBSAN_RECOVER= </dev/null ||
	fail "configure of $dir failed"

echo "==> build the fuzzers"
cmake --build "$dir" -j"$jobs" --target fuzzers </dev/null ||
	fail "build of the fuzzers failed"

echo "==> ctest -L fuzz"
# Fuzzing uses one core per target; two targets at a time on 2 cores.
ctest --test-dir "$dir" -L fuzz --output-on-failure -j2 </dev/null 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}

line=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1)
if [[ -n "$line" ]]; then
	failed=$(sed -E 's/^[0-9]+% tests passed, ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")
	total=$(sed -E 's/^[0-9]+% tests passed, ([0-9]+) tests? failed out of ([0-9]+).*/\2/' <<<"$line")
	passed=$((total - failed))
else
	passed=0
	failed=1
fi
((rc != 0 && failed == 0)) && failed=1
if ((failed)); then
	echo "fuzz-ci.sh: crashers, if any, are in $dir/fuzz/run-<target>/ (see docs/fuzzing.md)" >&2
fi
echo "$passed passed, $failed failed"
((failed == 0))
