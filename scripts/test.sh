#!/usr/bin/env bash
# Build and run every test twice: a RelWithDebInfo build (`build`) and an
# AddressSanitizer + UBSan Debug build (`build-asan`, clang when available).
# Exits non-zero if any step fails; the last line is "N passed, N failed"
# over both builds (a build that fails to configure or compile counts as one
# failed test).
#
# Environment: JOBS (default nproc), MIGRATE_ASAN_CC (compiler for the
# sanitizer build; default clang if installed, else the default cc),
# MIGRATE_SKIP_DEPS=1 (skip scripts/install-deps.sh).
set -uo pipefail

root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root" || exit 2

jobs=${JOBS:-$(nproc)}
total_pass=0
total_fail=0
status=0
logdir=$(mktemp -d "${TMPDIR:-/tmp}/migrate-ctest.XXXXXX")
trap 'rm -rf -- "$logdir"' EXIT

step() { printf '\n==> %s\n' "$*"; }

if [[ "${MIGRATE_SKIP_DEPS:-0}" != 1 ]]; then
	step "installing dependencies"
	if ! bash scripts/install-deps.sh; then
		echo "test.sh: scripts/install-deps.sh failed" >&2
		echo "0 passed, 1 failed"
		exit 1
	fi
fi

# run_ctest NAME BUILD_DIR [ENV...]: run ctest, add its counts to the totals.
run_ctest() {
	local name=$1 dir=$2 log rc line passed failed total
	shift 2
	log=$logdir/$name.log
	step "ctest ($name)"
	env "$@" ctest --test-dir "$dir" --output-on-failure -j2 --timeout 900 \
		</dev/null 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	# "100% tests passed, 0 tests failed out of 42"
	line=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1)
	if [[ -n "$line" ]]; then
		failed=$(sed -E 's/^[0-9]+% tests passed, ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")
		total=$(sed -E 's/^[0-9]+% tests passed, ([0-9]+) tests? failed out of ([0-9]+).*/\2/' <<<"$line")
		passed=$((total - failed))
	elif grep -q 'No tests were found' "$log"; then
		passed=0
		failed=0
	else
		# ctest itself failed before its summary.
		passed=0
		failed=1
	fi
	if ((rc != 0 && failed == 0)); then
		failed=1
	fi
	total_pass=$((total_pass + passed))
	total_fail=$((total_fail + failed))
	((rc == 0 && failed == 0)) || status=1
	echo "test.sh: $name: $passed passed, $failed failed (ctest exit $rc)"
}

# build NAME DIR CMAKE_ARGS...: configure and compile; returns non-zero on
# failure (counted as one failed test).
build() {
	local name=$1 dir=$2
	shift 2
	step "configure $name ($dir)"
	if ! cmake -S . -B "$dir" "$@" </dev/null; then
		echo "test.sh: configure of $name failed" >&2
		return 1
	fi
	step "build $name"
	if ! cmake --build "$dir" -j"$jobs" </dev/null; then
		echo "test.sh: build of $name failed" >&2
		return 1
	fi
}

# 1. Release-ish build.
if build release build -DCMAKE_BUILD_TYPE=RelWithDebInfo; then
	run_ctest release build
else
	total_fail=$((total_fail + 1))
	status=1
fi

# 2. Sanitizer build. The compiler is fixed when the build dir is first
# configured; pass it only then so a reconfigure does not wipe the cache.
asan_args=(-DMIGRATE_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug)
if [[ ! -f build-asan/CMakeCache.txt ]]; then
	asan_cc=${MIGRATE_ASAN_CC:-}
	if [[ -z "$asan_cc" ]] && command -v clang >/dev/null 2>&1; then
		asan_cc=clang
	fi
	[[ -z "$asan_cc" ]] || asan_args+=("-DCMAKE_C_COMPILER=$asan_cc")
fi
if build asan build-asan "${asan_args[@]}"; then
	run_ctest asan build-asan \
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
else
	total_fail=$((total_fail + 1))
	status=1
fi

# 3. Fuzz harnesses: clang + libFuzzer, corpus replay and a short fixed-time
# run per target (docs/fuzzing.md). MIGRATE_SKIP_FUZZ=1 skips it.
if [[ "${MIGRATE_SKIP_FUZZ:-0}" != 1 ]]; then
	step "fuzz (scripts/fuzz-ci.sh)"
	fuzz_log=$logdir/fuzz.log
	MIGRATE_FUZZ_SECONDS=${MIGRATE_FUZZ_SECONDS:-20} bash scripts/fuzz-ci.sh 2>&1 | tee "$fuzz_log"
	fuzz_rc=${PIPESTATUS[0]}
	fuzz_line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$fuzz_log" | tail -n 1)
	if [[ -n "$fuzz_line" ]]; then
		total_pass=$((total_pass + ${fuzz_line%% passed*}))
		fuzz_failed=${fuzz_line#*, }
		total_fail=$((total_fail + ${fuzz_failed%% failed}))
	else
		total_fail=$((total_fail + 1))
	fi
	((fuzz_rc == 0)) || status=1
fi

echo
if ((status != 0)); then
	echo "test.sh: FAILED"
else
	echo "test.sh: all tests passed"
fi
echo "$total_pass passed, $total_fail failed"
exit "$status"
