/*
 * source: one SQL text (a file or standard input) with its line map.
 *
 * Everything downstream keeps byte offsets into `text`; this module turns
 * them into line:column (both from 1; the column counts characters, not
 * bytes) only when something is printed. A UTF-8 byte order mark is removed
 * on load (it is invisible, so positions are unaffected). Text with a NUL
 * byte or invalid UTF-8 is rejected with the position of the first bad byte.
 */
#ifndef MG_SOURCE_H
#define MG_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/err.h"

struct mg_source {
	char *path;          /* owned; as given by the user, "-" for stdin */
	char *text;          /* owned; NUL-terminated, BOM removed */
	size_t len;          /* bytes in text */
	bool had_bom;        /* the file started with EF BB BF */
	size_t *line_starts; /* owned; offset of each line's first byte */
	size_t nlines;
};

/* Read path into src. MG_EIO if unreadable; MG_EINPUT for NUL bytes or
 * invalid UTF-8 (positioned). On error src is left released. */
int mg_source_load(struct mg_source *src, const char *path, struct mg_err *err);
/* Take ownership of text (malloc'd, NUL-terminated, len bytes). Same checks. */
int mg_source_adopt(struct mg_source *src, const char *path, char *text,
		    size_t len, struct mg_err *err);
void mg_source_release(struct mg_source *src);

/* 1-based line and character column of byte offset off (clamped to len). */
void mg_source_pos(const struct mg_source *src, size_t off, unsigned *line,
		   unsigned *col);
/* Start offset and length (without the line break) of 1-based line. */
void mg_source_line(const struct mg_source *src, unsigned line, size_t *start,
		    size_t *len);
/* Offset of the first invalid UTF-8 sequence in s[0..n), or n if valid. */
size_t mg_utf8_check(const char *s, size_t n);

#endif
