/*
 * pgscan: libpg_query's scanner (the PostgreSQL 15 lexer), decoded.
 *
 * pg_query_scan returns a protobuf ScanResult; its two small messages are
 * decoded here by hand (pg_query.proto: ScanResult{version=1, tokens=2},
 * ScanToken{start=1, end=2, token=4, keyword_kind=5}) so no protobuf-c
 * header is needed. Used for token-level checks of statements the 15
 * grammar cannot parse (PostgreSQL 16-18 syntax) and for comments.
 */
#ifndef MG_PGSCAN_H
#define MG_PGSCAN_H

#include <stddef.h>

enum mg_tok_kind {
	MG_TOK_SQL_COMMENT = 275,
	MG_TOK_C_COMMENT = 276,
	MG_TOK_IDENT = 258,
	MG_TOK_SCONST = 261,
	MG_TOK_ICONST = 266,
	MG_TOK_SEMICOLON = 59
};

struct mg_token {
	size_t off, end;   /* file offsets */
	int token;         /* pg_query.proto Token value (e.g. 258 IDENT) */
	int keyword_kind;  /* 0 none, 1 unreserved, 2 col name, 3 type/func, 4 reserved */
};

/* Scan text[off, end). Returns the number of tokens (owned array in *out),
 * or -1 if the scanner failed (then *out is NULL). Comments are dropped. */
long mg_pg_scan(const char *text, size_t off, size_t end, struct mg_token **out);
/* Case-insensitive compare of a token's text with an upper-case word. */
int mg_token_is(const char *text, const struct mg_token *t, const char *word);

#endif
