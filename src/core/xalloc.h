/*
 * xalloc: allocation that never returns NULL.
 *
 * Out of memory is not a condition `migrate` recovers from: every function
 * here prints a message and aborts instead of returning NULL, so callers
 * never carry untested OOM branches (the git/tmux convention).
 */
#ifndef MG_XALLOC_H
#define MG_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

void *mg_xmalloc(size_t n);
void *mg_xcalloc(size_t nmemb, size_t size);
void *mg_xrealloc(void *p, size_t n);
/* Grow *p (an array of *cap elements of size elem) so it holds at least need. */
void mg_xgrow(void **p, size_t *cap, size_t need, size_t elem);
char *mg_xstrdup(const char *s);
char *mg_xstrndup(const char *s, size_t n);
char *mg_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *mg_xvasprintf(const char *fmt, va_list ap);

#define MG_GROW(arr, cap, need) \
	mg_xgrow((void **)&(arr), &(cap), (need), sizeof(*(arr)))

#endif
