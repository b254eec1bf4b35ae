/*
 * pgparse: libpg_query (PostgreSQL 15 grammar) wrapped once.
 *
 * mg_pg_parse parses a byte range of a source into statements with exact
 * spans (file offsets of the first token and of the end, ';' included) and
 * each statement's parse tree as cJSON. When the range has a syntax error,
 * it falls back to the scanner's split and parses statement by statement,
 * so every statement that parses still gets a tree and each one that does
 * not gets its own positioned error. Node "location" fields in the trees are
 * byte offsets relative to `base` (add stmt->tree_base to get file offsets).
 *
 * The trees are ordinary read-only cJSON structures (every cJSON reader
 * works on them), but they are not made by cJSON_Parse: libpg_query's JSON
 * is read in place (strings point into the JSON text, unescaped where they
 * stand) into nodes taken from one arena per mg_parse, so a tree costs no
 * malloc per node and is freed in a few blocks. Never cJSON_Delete them or
 * change them; cJSON_Duplicate a part to own a modifiable copy. The result
 * is the same tree cJSON_Parse builds (types, values, order, links).
 *
 * Thread-safe: libpg_query keeps its state in thread-local memory, so
 * several threads may parse at once; an mg_parse may be released by
 * another thread than the one that filled it.
 */
#ifndef MG_PGPARSE_H
#define MG_PGPARSE_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

struct mg_pg_mem;

struct mg_stmt {
	size_t off;          /* file offset of the first token */
	size_t end;          /* file offset just past the statement (';' incl.) */
	const cJSON *tree;   /* borrowed: {"NodeName": {...}}; NULL if unparsed */
	const char *kind;    /* "CreateStmt", ...; NULL if unparsed */
	size_t tree_base;    /* add to a node "location" to get a file offset */
	char *error;         /* owned: syntax error message when unparsed */
	size_t error_off;    /* file offset of the syntax error */
};

struct mg_parse {
	struct mg_stmt *stmts;
	size_t n, cap;
	cJSON **roots;       /* owned parse results from cJSON_Parse (rare:
				the fast reader declined the JSON) */
	size_t nroots, rootcap;
	struct mg_pg_mem *mem; /* owned: the trees the fast reader built (one
				arena) and the JSON texts they point into */
	bool ok;             /* every statement parsed */
	char *fatal;         /* owned: the scanner itself failed (e.g. an
				unterminated string); stmts may be partial */
	size_t fatal_off;
};

/* Parse text[off, end) (text must be NUL-terminated at or after end). */
void mg_pg_parse(const char *text, size_t off, size_t end, struct mg_parse *out);
void mg_parse_release(struct mg_parse *p);

/* Split text[off, end) into statement spans using only the scanner (no
 * grammar), as the runner needs for no-transaction scripts. Returns the
 * number of spans (owned array in *spans as pairs off,end), or -1 with an
 * owned message in *error and its file offset in *error_off. */
long mg_pg_split(const char *text, size_t off, size_t end, size_t **spans,
		 char **error, size_t *error_off);

/* Helpers for walking trees. */
/* The single child of a {"Name": {...}} wrapper, with its name. */
const cJSON *mg_node_unwrap(const cJSON *n, const char **name_out);
/* n["key"] or NULL. */
const cJSON *mg_node_get(const cJSON *n, const char *key);
const char *mg_node_str(const cJSON *n, const char *key); /* NULL if absent */
int mg_node_int(const cJSON *n, const char *key, int dflt);
bool mg_node_bool(const cJSON *n, const char *key);
/* The "location" of a node (or of its unwrapped child), or -1. */
int mg_node_location(const cJSON *n);

#endif
