/*
 * fs: whole-file reads and small filesystem helpers.
 */
#ifndef MG_FS_H
#define MG_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "err.h"

/* Largest file migrate reads (1 GiB); bigger is an input error. */
#define MG_FS_MAX_FILE ((size_t)1 << 30)

/* Read all of path into *out (owned, NUL-terminated; *len_out excludes the
 * NUL). Errors: MG_EIO (missing, unreadable, a directory, too large). */
int mg_fs_read(const char *path, char **out, size_t *len_out, struct mg_err *err);
/* mg_fs_read that also returns the open file's fstat, taken before the
 * first byte is read (st may be NULL). */
int mg_fs_read_stat(const char *path, char **out, size_t *len_out,
		    struct stat *st, struct mg_err *err);
/* The rest of the open regular file fd (path for messages, st its fstat)
 * into *out, as mg_fs_read; fd stays open. For callers that open the file
 * themselves (other open flags, checks on the fstat first). */
int mg_fs_read_fd(int fd, const char *path, const struct stat *st, char **out,
		  size_t *len_out, struct mg_err *err);
/* Write data to path atomically (temp file + rename; the file is created
 * 0666 less the umask). MG_EIO on failure. */
int mg_fs_write(const char *path, const char *data, size_t len, struct mg_err *err);
/* mg_fs_write for files only the user may read: created 0600 whatever the
 * umask (the temp file comes from mkstemp(3), in path's directory). */
int mg_fs_write_private(const char *path, const char *data, size_t len,
			struct mg_err *err);
bool mg_fs_is_dir(const char *path);
bool mg_fs_is_file(const char *path);
/* path joined with name by one '/'; owned. */
char *mg_fs_join(const char *dir, const char *name);

#endif
