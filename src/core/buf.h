/*
 * buf: a growable, always NUL-terminated byte buffer (git's strbuf).
 *
 * Invariants: after MG_BUF_INIT or mg_buf_init, `buf` is never NULL and
 * buf[len] == '\0'. Ownership leaves only through mg_buf_detach.
 */
#ifndef MG_BUF_H
#define MG_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct mg_buf {
	char *buf;    /* contents; never NULL, NUL-terminated */
	size_t len;   /* bytes used, excluding the NUL */
	size_t alloc; /* bytes allocated; 0 while buf points at the shared "" */
};

extern char mg_buf_empty[];
#define MG_BUF_INIT { mg_buf_empty, 0, 0 }

void mg_buf_init(struct mg_buf *b);
void mg_buf_release(struct mg_buf *b);
void mg_buf_reset(struct mg_buf *b);
void mg_buf_add(struct mg_buf *b, const void *data, size_t n);
void mg_buf_adds(struct mg_buf *b, const char *s);
void mg_buf_addc(struct mg_buf *b, char c);
void mg_buf_addf(struct mg_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void mg_buf_vaddf(struct mg_buf *b, const char *fmt, va_list ap);
/* Append s quoted as a SQL string literal ('it''s'). */
void mg_buf_add_sql_literal(struct mg_buf *b, const char *s);
/* Append s quoted as a SQL identifier ("my""table"). */
void mg_buf_add_sql_ident(struct mg_buf *b, const char *s);
/* Append s as one POSIX shell word: unchanged when it is non-empty and
 * made of [A-Za-z0-9_.,:/@%+=-] only, else single-quoted ('' when empty,
 * ' as '\''), so a hint's command can be pasted as printed. */
void mg_buf_add_shell_word(struct mg_buf *b, const char *s);
/* Append s escaped for a JSON string body (no surrounding quotes). */
void mg_buf_add_json_str(struct mg_buf *b, const char *s);
/* Take ownership of the contents (never NULL); b is reset to empty. */
char *mg_buf_detach(struct mg_buf *b, size_t *len_out);

#endif
