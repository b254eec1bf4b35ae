/* fs: whole-file reads; see fs.h. */
#include "fs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xalloc.h"

int mg_fs_read(const char *path, char **out, size_t *len_out, struct mg_err *err)
{
	return mg_fs_read_stat(path, out, len_out, NULL, err);
}

int mg_fs_read_stat(const char *path, char **out, size_t *len_out,
		    struct stat *st_out, struct mg_err *err)
{
	struct stat st;
	int fd, rc;

	*out = NULL;
	/* O_NONBLOCK: opening a FIFO must not wait for a writer; it is
	 * refused below, like any file that is not a regular one */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		mg_err_set(err, MG_EIO, "cannot-read", "cannot open '%s': %s",
			   path, strerror(errno));
		return MG_EIO;
	}
	if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
		close(fd);
		mg_err_set(err, MG_EIO, "cannot-read", "cannot read '%s': %s",
			   path, S_ISDIR(st.st_mode) ? "is a directory" : strerror(errno));
		return MG_EIO;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		mg_err_set(err, MG_EIO, "not-a-file",
			   "'%s' is not a regular file (%s)", path,
			   S_ISFIFO(st.st_mode) ? "a FIFO" :
			   S_ISCHR(st.st_mode) ? "a character device" :
			   S_ISSOCK(st.st_mode) ? "a socket" : "a special file");
		mg_err_hint(err, "migrations are regular .sql files; remove or "
				 "rename it");
		return MG_EIO;
	}
	if (st_out)
		*st_out = st;
	rc = mg_fs_read_fd(fd, path, &st, out, len_out, err);
	close(fd);
	return rc;
}

int mg_fs_read_fd(int fd, const char *path, const struct stat *st, char **out,
		  size_t *len_out, struct mg_err *err)
{
	char *data;
	size_t cap, len = 0;

	*out = NULL;
	if ((size_t)st->st_size > MG_FS_MAX_FILE) {
		mg_err_set(err, MG_EIO, "file-too-large",
			   "'%s' is %lld bytes, larger than the %zu byte limit",
			   path, (long long)st->st_size, MG_FS_MAX_FILE);
		return MG_EIO;
	}
	/* Room for one byte more than fstat reported: a read that comes back
	 * short of it, with exactly st_size bytes in, is the end of the file
	 * (no second read just to see 0, no realloc). A file that grew or
	 * shrank meanwhile takes the general loop below. */
	cap = (size_t)st->st_size + 2;
	data = mg_xmalloc(cap);
	for (;;) {
		ssize_t n;
		size_t want;
		if (len + 1 >= cap) {
			if (cap > MG_FS_MAX_FILE) {
				free(data);
				mg_err_set(err, MG_EIO, "file-too-large",
					   "'%s' is larger than the %zu byte limit",
					   path, MG_FS_MAX_FILE);
				return MG_EIO;
			}
			cap *= 2;
			data = mg_xrealloc(data, cap);
		}
		want = cap - 1 - len;
		n = read(fd, data + len, want);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			free(data);
			mg_err_set(err, MG_EIO, "cannot-read", "cannot read '%s': %s",
				   path, strerror(errno));
			return MG_EIO;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if ((size_t)n < want && len == (size_t)st->st_size)
			break;
	}
	data[len] = '\0';
	*out = data;
	if (len_out)
		*len_out = len;
	return 0;
}

/* All of data to fd; false (errno set) on failure. */
static bool write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t k = write(fd, data, len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return false;
		if (k == 0) {
			errno = EIO;
			return false;
		}
		data += k;
		len -= (size_t)k;
	}
	return true;
}

/* Write data to a temp file beside path, then rename it over path. The
 * temp file is path.tmp.PID created 0666 (less the umask), or with
 * private a mkstemp(3) file (0600, a fresh name) in path's directory. */
static int write_atomically(const char *path, const char *data, size_t len,
			    bool private, struct mg_err *err)
{
	char *tmp;
	int fd, e;
	bool ok;

	if (private) {
		const char *slash = strrchr(path, '/');
		tmp = mg_xasprintf("%.*s/.tmp-XXXXXX", slash ? (int)(slash - path) : 1,
				   slash ? path : ".");
		fd = mkstemp(tmp);
	} else {
		tmp = mg_xasprintf("%s.tmp.%ld", path, (long)getpid());
		fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	}
	if (fd < 0) {
		mg_err_set(err, MG_EIO, "cannot-write", "cannot create '%s': %s",
			   tmp, strerror(errno));
		free(tmp);
		return MG_EIO;
	}
	ok = write_all(fd, data, len);
	e = errno;
	if (close(fd) != 0 && ok) {
		ok = false;
		e = errno;
	}
	if (ok && rename(tmp, path) != 0) {
		ok = false;
		e = errno;
	}
	if (!ok) {
		mg_err_set(err, MG_EIO, "cannot-write", "cannot write '%s': %s",
			   path, strerror(e));
		unlink(tmp);
		free(tmp);
		return MG_EIO;
	}
	free(tmp);
	return 0;
}

int mg_fs_write(const char *path, const char *data, size_t len, struct mg_err *err)
{
	return write_atomically(path, data, len, false, err);
}

int mg_fs_write_private(const char *path, const char *data, size_t len,
			struct mg_err *err)
{
	return write_atomically(path, data, len, true, err);
}

bool mg_fs_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool mg_fs_is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

char *mg_fs_join(const char *dir, const char *name)
{
	size_t a = strlen(dir), b = strlen(name);
	bool slash = a && dir[a - 1] == '/';
	char *p = mg_xmalloc(a + b + 2);

	memcpy(p, dir, a);
	if (!slash)
		p[a++] = '/';
	memcpy(p + a, name, b + 1);
	return p;
}
