/*
 * parse_fuzzer: PostgreSQL SQL through libpg_query, as migrate wraps it.
 *
 * Exercises:
 *   src/sql/pgparse.c  mg_pg_parse (whole-range parse, the statement-by-
 *                      statement fallback after a syntax error, span and
 *                      error-offset arithmetic, char->byte conversion),
 *                      mg_pg_split, the mg_node_* tree helpers (a walk of
 *                      every tree checking every "location")
 *   src/sql/pgscan.c   mg_pg_scan (hand-decoded protobuf), mg_token_is
 *   src/sql/source.c   mg_source_adopt, mg_source_pos
 *   src/sql/directive.c mg_sql_skip_element (trivia skipping)
 *   libpg_query itself (PostgreSQL 15 grammar and scanner)
 *
 * The bytes are made into what the CLI would hand these functions: NUL
 * bytes become spaces and invalid UTF-8 bytes become '?', since
 * mg_source_adopt rejects both before any parsing. Each input is parsed
 * whole and from the start of its second line to the start of its last
 * line (a sub-range, as for the sections of a file).
 *
 * Invariants (abort() when broken): statement spans lie inside the range,
 * are non-empty, ordered and do not overlap, and nothing but blanks, ';'
 * and comments lies outside them (no statement is dropped); every unparsed statement has
 * an error whose offset lies inside the range; a fatal scanner error's
 * offset lies inside the range; every node location maps inside the range;
 * split spans and scanner tokens likewise.
 *
 * Input: SQL text; capped at 16 KiB.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "sql/pgparse.h"
#include "sql/directive.h"
#include "sql/pgscan.h"
#include "sql/source.h"

#define FUZZ_MAX_INPUT 16384

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "parse_fuzzer: invariant broken: %s "    \
				"(%s:%d)\n", #cond, __FILE__, __LINE__);     \
			abort();                                             \
		}                                                            \
	} while (0)

/* Between statements there may only be blanks, ';' and comments: a
 * statement the splitter drops is never linted nor executed. */
static void check_gap(const char *s, size_t i, size_t end)
{
	while (i < end) {
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' ||
		    s[i] == '\f' || s[i] == '\v' || s[i] == ';') {
			i++;
		} else if ((s[i] == '-' && i + 1 < end && s[i + 1] == '-') ||
			   (s[i] == '/' && i + 1 < end && s[i + 1] == '*')) {
			i = mg_sql_skip_element(s, i, end);
		} else {
			fprintf(stderr, "parse_fuzzer: SQL at offset %zu is in no "
				"statement\n", i);
			abort();
		}
	}
}

/* Every "location" in the tree, relative to base, must fall in [off, end]. */
static void walk(const cJSON *n, size_t base, size_t off, size_t end, int depth)
{
	const cJSON *c;

	CHECK(depth < 4096);
	if (!n)
		return;
	if (n->string && !strcmp(n->string, "location") && cJSON_IsNumber(n)) {
		double v = n->valuedouble;
		if (v >= 0) {
			CHECK(base + (size_t)v >= off);
			CHECK(base + (size_t)v <= end);
		}
	}
	for (c = n->child; c; c = c->next)
		walk(c, base, off, end, depth + 1);
}

static void check_parse(const struct mg_source *src, size_t off, size_t end)
{
	struct mg_parse p;
	size_t prev = off;

	mg_pg_parse(src->text, off, end, &p);
	if (p.fatal) {
		CHECK(!p.ok);
		CHECK(p.fatal_off >= off && p.fatal_off <= end);
	}
	for (size_t i = 0; i < p.n; i++) {
		const struct mg_stmt *st = &p.stmts[i];
		unsigned line, col;

		CHECK(st->off >= prev);
		CHECK(st->off <= st->end);
		check_gap(src->text, prev, st->off);
		CHECK(st->end <= end);
		if (!p.fatal)
			CHECK(st->off < st->end);
		prev = st->end;
		if (st->tree) {
			const char *name;
			const cJSON *inner = mg_node_unwrap(st->tree, &name);
			CHECK(st->error == NULL);
			CHECK(st->tree_base >= off && st->tree_base <= st->off);
			if (inner) {
				CHECK(name && st->kind && !strcmp(name, st->kind));
				(void)mg_node_location(st->tree);
				(void)mg_node_str(inner, "relname");
				(void)mg_node_int(inner, "location", -1);
				(void)mg_node_bool(inner, "concurrent");
			}
			walk(st->tree, st->tree_base, off, end, 0);
		} else {
			CHECK(!p.ok);
			CHECK(st->error != NULL);
			CHECK(st->error_off >= off && st->error_off <= end);
			mg_source_pos(src, st->error_off, &line, &col);
			CHECK(line >= 1 && col >= 1);
		}
	}
	check_gap(src->text, prev, end);
	if (p.ok)
		CHECK(!p.fatal);
	mg_parse_release(&p);
}

static void check_split(size_t off, size_t end, const char *text)
{
	size_t *spans = NULL, eo = (size_t)-1;
	char *error = NULL;
	long n = mg_pg_split(text, off, end, &spans, &error, &eo);

	if (n < 0) {
		CHECK(error != NULL);
		CHECK(eo >= off && eo <= end);
		CHECK(spans == NULL);
		free(error);
		return;
	}
	for (long i = 0; i < n; i++) {
		CHECK(spans[2 * i] >= off);
		CHECK(spans[2 * i] < spans[2 * i + 1]);
		CHECK(spans[2 * i + 1] <= end);
		if (i)
			CHECK(spans[2 * i] >= spans[2 * i - 1]);
		check_gap(text, i ? spans[2 * i - 1] : off, spans[2 * i]);
	}
	check_gap(text, n ? spans[2 * n - 1] : off, end);
	free(spans);
}

static void check_scan(size_t off, size_t end, const char *text)
{
	struct mg_token *t = NULL;
	long n = mg_pg_scan(text, off, end, &t);

	if (n < 0) {
		CHECK(t == NULL);
		return;
	}
	for (long i = 0; i < n; i++) {
		CHECK(t[i].off >= off && t[i].off <= t[i].end && t[i].end <= end);
		if (i)
			CHECK(t[i].off >= t[i - 1].end);
		(void)mg_token_is(text, &t[i], "SELECT");
	}
	free(t);
}

static void check_range(const struct mg_source *src, size_t off, size_t end)
{
	check_parse(src, off, end);
	check_split(off, end, src->text);
	check_scan(off, end, src->text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mg_source src;
	struct mg_err err = MG_ERR_INIT;
	char *text;
	size_t i, end;

	if (size > FUZZ_MAX_INPUT)
		return -1;
	text = mg_xmalloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	for (i = 0; i < size; i++)
		if (text[i] == '\0')
			text[i] = ' ';
	for (i = 0; i < size;) {
		size_t bad = i + mg_utf8_check(text + i, size - i);
		if (bad >= size)
			break;
		text[bad] = '?';
		i = bad + 1;
	}
	CHECK(mg_source_adopt(&src, "fuzz.sql", text, size, &err) == 0);

	check_range(&src, 0, src.len);
	/* Sections start and end at line starts (never inside a character). */
	if (src.nlines > 2) {
		size_t start = src.line_starts[1];
		end = src.line_starts[src.nlines - 1];
		if (start <= end)
			check_range(&src, start, end);
	}
	mg_source_release(&src);
	return 0;
}
