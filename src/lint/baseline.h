/*
 * baseline: today's findings, recorded so CI fails only on new ones.
 *
 * A baseline file (JSON, docs/commands/migrate-lint.md) lists findings by
 * rule, file and fingerprint. The fingerprint hashes the rule id with the
 * statement's text normalised for whitespace and comments, never line
 * numbers, so editing other statements or re-indenting keeps it. Entries
 * carry counts: two identical findings need two baselined occurrences.
 */
#ifndef MG_BASELINE_H
#define MG_BASELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/err.h"
#include "../report/report.h"

struct mg_baseline_entry {
	char *rule, *file;
	char fingerprint[17];
	size_t count;            /* occurrences left to match */
};

struct mg_baseline {
	struct mg_baseline_entry *v;
	size_t n, cap;
};

/* Read a baseline file. MG_EIO if unreadable, MG_EINPUT if malformed. */
int mg_baseline_load(struct mg_baseline *b, const char *path, struct mg_err *err);
void mg_baseline_release(struct mg_baseline *b);
/* True if d is baselined (one occurrence is consumed). */
bool mg_baseline_take(struct mg_baseline *b, const struct mg_diag *d);
/* Write the findings d[0..n) as a baseline file (sorted, stable). */
int mg_baseline_write(const char *path, const struct mg_diag *d, size_t n,
		      struct mg_err *err);
/* Fingerprint of a finding of rule on text[off, end) into out (16 hex): a
 * 64-bit hash of the rule id and of the digest below, so a caller linting
 * many findings per statement hashes each statement once. */
void mg_baseline_fingerprint(const char *rule, const char *text, size_t off,
			     size_t end, char out[17]);
/* A 128-bit hash (FNV-1a, two seeds; the rest of out is zero) of
 * text[off, end) with comments dropped and whitespace runs squeezed to one
 * space (string literals kept as they are). */
void mg_baseline_text_digest(const char *text, size_t off, size_t end,
			     unsigned char out[32]);
void mg_baseline_fingerprint_digest(const char *rule, const unsigned char digest[32],
				    char out[17]);
/* Path as recorded: "./" prefixes removed, duplicate slashes squeezed. */
void mg_baseline_norm_path(const char *path, char *out, size_t size);

#endif
