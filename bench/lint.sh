# shellcheck shell=bash
#
# bench/lint.sh: the lint figures, sourced by bench/run.sh (which defines
# bench_time, record and the variables used here).
#
#   lint_case LABEL PATH...
#       Lint PATHs (migration directories or files) RUNS times with
#       `migrate lint` and, when SQUAWK is set, RUNS times with squawk on the
#       same .sql files, the two alternating run by run; record wall and CPU medians, peak RSS, the corpus
#       size (files, bytes, statements from gen_corpus.py count) and the
#       number of findings each tool printed.
#
# Settings, chosen to be comparable:
#   migrate lint --format gcc --fail-on none --color never PATH...
#       every default rule; the directories as given, so each one is
#       replayed as a migrations directory for schema context; downgrade
#       scripts are linted too (the default), as squawk lints every file.
#   squawk --reporter gcc FILE...
#       every default rule; the .sql files under PATHs in sorted order
#       (squawk takes files or glob patterns, not directories) and lints
#       each file on its own.
# Both write one line per finding (the gcc format), so neither pays for
# rendering source excerpts; squawk's default tty reporter is about twice
# as slow as its gcc one on the generated corpus, so gcc is squawk's best
# case. Output goes to a file under the results directory (the last run's
# is kept for inspection), never to a terminal.

lint_case() {
	local label=$1 files bytes stmts n_m n_s rc_m
	shift
	local paths=("$@") sqlfiles=()
	read -r files bytes stmts < <(python3 "$bench_dir/gen_corpus.py" count "${paths[@]}")
	if ((files == 0)); then
		note "lint: '$label' has no .sql files; skipped"
		return 0
	fi
	mapfile -t sqlfiles < <(
		for p in "${paths[@]}"; do
			if [[ -f $p ]]; then
				printf '%s\n' "$p"
			else
				find "$p" -name '.*' -prune -o -type f -name '*.sql' -print
			fi
		done | LC_ALL=C sort
	)
	echo "bench: lint $label: $files files, $bytes bytes, $stmts statements" >&2

	local out="$logs/lint-$(slug "$label")" k n_syn
	local cmd_m=("$M" lint --format gcc --fail-on none --color never "${paths[@]}")
	local cmd_s=()
	[[ -n ${SQUAWK:-} ]] && cmd_s=("$SQUAWK" --reporter gcc "${sqlfiles[@]}")
	# The two tools alternate run by run. migrate exits 0 or 1 (findings);
	# 2 means some input could not be parsed or read, which real corpora
	# can contain: recorded, not fatal. squawk exits 1 on findings.
	for ((k = 0; k < RUNS; k++)); do
		bench_time 1 "0 1 2" "$out.migrate.txt" "${cmd_m[@]}"
		bt_push m
		if ((${#cmd_s[@]})); then
			bench_time 1 "0 1" "$out.squawk.txt" "${cmd_s[@]}"
			bt_push s
		fi
	done

	bt_pop m
	rc_m=$BT_RC
	n_m=$(grep -c -E ': (error|warning|info): ' "$out.migrate.txt" || true)
	record lint "$label" migrate "files=$files" "bytes=$bytes" "statements=$stmts" \
		"findings=$n_m" "rc=$rc_m"
	if ((rc_m == 2)); then
		n_syn=$(grep -c -F '[syntax-error]' "$out.migrate.txt" || true)
		note "lint '$label': migrate exited 2 because of $n_syn statement(s) it cannot parse (reported as [syntax-error] findings; the corpora README lists a real missing semicolon in crates.io); everything else was linted; see ${out#"$root"/}.migrate.txt"
	fi
	if ((${#cmd_s[@]})); then
		bt_pop s
		n_s=$(grep -c -E ': (error|warning|info): ' "$out.squawk.txt" || true)
		record lint "$label" squawk "files=$files" "bytes=$bytes" \
			"statements=$stmts" "findings=$n_s" "rc=$BT_RC"
	fi
}
