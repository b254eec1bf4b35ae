/*
 * version: migration version tokens and their order.
 *
 * A version is a run of digit groups separated by '-' or '.' (20240101120000,
 * 0001, 2024-01-01-120000, 2.2.0), optionally after a 'v'. Versions are
 * ordered by value, group by group, never lexically: 1.10.0 > 1.2.0 and
 * 0010 > 9. '.' separates groups; '-' does not: 2024-01-01-120000 is the
 * timestamp 20240101120000 (diesel records it so), and orders among
 * compact timestamps by its value. Groups are compared as decimal strings,
 * so 20-digit versions do not overflow.
 */
#ifndef MG_VERSION_H
#define MG_VERSION_H

#include <stddef.h>

/* Length of the version token at the start of s (after an optional 'v',
 * which *skip_out reports as 1), or 0 if s does not start with one. */
size_t mg_version_scan(const char *s, size_t *skip_out);
/* <0, 0, >0 as a orders before, equal to, after b. */
int mg_version_cmp(const char *a, const char *b);
/* The canonical form of a version (owned): groups without leading zeros,
 * dashes dropped, joined by '.'; equal keys <=> mg_version_cmp() == 0. */
char *mg_version_key(const char *v);
/* mg_version_key into out, which has room for strlen(v) + 2 bytes. */
void mg_version_key_to(const char *v, char *out);

#endif
