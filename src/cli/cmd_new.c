/* cmd_new: `migrate new NAME` creates a migration in the directory's layout
 * (docs/commands/migrate-new.md). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../core/fs.h"
#include "../core/xalloc.h"
#include "../migset/version.h"
#include "cmd.h"
#include "common.h"

enum { O_VERSION = 1 };

static const struct mg_opt opts[] = {
	{ "version", O_VERSION, true },
	{ NULL, 0, false }
};

static int mkdirs(const char *path, struct mg_err *err)
{
	char *p = mg_xstrdup(path);

	for (char *s = p + 1; ; s++) {
		if (*s == '/' || !*s) {
			char c = *s;
			*s = '\0';
			if (mkdir(p, 0777) != 0 && errno != EEXIST) {
				mg_err_set(err, MG_EIO, "cannot-write",
					   "cannot create directory '%s': %s", p, strerror(errno));
				free(p);
				return MG_EIO;
			}
			*s = c;
			if (!c)
				break;
		}
	}
	free(p);
	return 0;
}

static bool good_name(const char *s)
{
	if (!*s || *s == '-' || *s == '_')
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return false;
	return true;
}

/* A version for time t in the style of `like` (the newest existing one):
 * diesel's 2024-01-01-120000, or 20240101120000. */
static char *ts_version(time_t t, const char *like)
{
	struct tm tm;
	char buf[32];

	gmtime_r(&t, &tm);
	if (like && strchr(like, '-'))
		strftime(buf, sizeof(buf), "%Y-%m-%d-%H%M%S", &tm);
	else
		strftime(buf, sizeof(buf), "%Y%m%d%H%M%S", &tm);
	return mg_xstrdup(buf);
}

/* Sequential numbering (0001, 0002) when every existing version is one
 * short digit group. */
static char *seq_version(const struct mg_migset *set)
{
	size_t width = 0;
	unsigned long long max = 0;

	if (!set->n)
		return NULL;
	for (size_t i = 0; i < set->n; i++) {
		const char *v = set->items[i].version;
		size_t l = strlen(v);
		if (l > 8 || strspn(v, "0123456789") != l)
			return NULL;
		if (l > width)
			width = l;
		if (strtoull(v, NULL, 10) > max)
			max = strtoull(v, NULL, 10);
	}
	return mg_xasprintf("%0*llu", (int)width, max + 1);
}

static int write_new(const char *path, const char *text, char ***made, size_t *nmade,
		     struct mg_err *err)
{
	if (mg_fs_is_file(path) || mg_fs_is_dir(path)) {
		mg_err_set(err, MG_EIO, "file-exists", "'%s' already exists", path);
		return MG_EIO;
	}
	if (mg_fs_write(path, text, strlen(text), err))
		return MG_EIO;
	*made = mg_xrealloc(*made, (*nmade + 1) * sizeof(char *));
	(*made)[(*nmade)++] = mg_xstrdup(path);
	return 0;
}

static int create(struct mg_ctx *ctx, const char *name, const char *release,
		  struct mg_err *err)
{
	const struct mg_migset *set = &ctx->set;
	enum mg_layout layout = set->n ? set->layout : MG_LAYOUT_SECTIONS;
	const char *newest = set->n ? set->items[set->n - 1].version : NULL;
	char *version = NULL, *dir = NULL;
	char **made = NULL;
	size_t nmade = 0;
	int rc = 0;

	if (!good_name(name)) {
		mg_err_set(err, MG_EUSAGE, "bad-migration-name",
			   "'%s' is not a usable migration name", name);
		mg_err_hint(err, "use letters, digits, '_' and '-' only, starting with "
				 "a letter or digit (e.g. add_users_email)");
		return MG_EUSAGE;
	}
	if (layout == MG_LAYOUT_PATTERN || ctx->cfg.filename_pattern) {
		mg_err_set(err, MG_EUSAGE, "unsupported-layout",
			   "migrate new cannot name files for a custom filename_pattern");
		mg_err_hint(err, "create the files by hand");
		return MG_EUSAGE;
	}
	if (layout == MG_LAYOUT_RELEASES) {
		size_t skip, n;
		if (!release) {
			mg_err_set(err, MG_EUSAGE, "missing-argument",
				   "the directory uses the releases layout: give the new "
				   "release with --version X.Y.Z");
			return MG_EUSAGE;
		}
		n = mg_version_scan(release, &skip);
		if (!n || release[skip + n]) {
			mg_err_set(err, MG_EUSAGE, "bad-argument",
				   "'%s' is not a version such as 2.3.0", release);
			return MG_EUSAGE;
		}
		version = mg_xstrndup(release + skip, n);
		if (newest && mg_version_cmp(version, newest) <= 0) {
			mg_err_set(err, MG_EUSAGE, "bad-argument",
				   "version %s is not newer than the newest release %s",
				   version, newest);
			free(version);
			return MG_EUSAGE;
		}
	} else if (release) {
		mg_err_set(err, MG_EUSAGE, "bad-option",
			   "--version is for the releases layout only; this directory "
			   "uses the %s layout", mg_layout_name(layout));
		return MG_EUSAGE;
	} else if (layout == MG_LAYOUT_PAIRS && (version = seq_version(set))) {
		/* sequential numbering continues */
	} else {
		time_t t = time(NULL);
		version = ts_version(t, layout == MG_LAYOUT_DIRS ? (newest ? newest : "-")
								 : NULL);
		while (mg_migset_find(set, version) >= 0) {
			free(version);
			version = ts_version(++t, layout == MG_LAYOUT_DIRS ?
					     (newest ? newest : "-") : NULL);
		}
	}

	if ((rc = mkdirs(set->dir, err)))
		goto out;
	switch (layout) {
	case MG_LAYOUT_PAIRS: {
		char *up = mg_xasprintf("%s/%s_%s.up.sql", set->dir, version, name);
		char *down = mg_xasprintf("%s/%s_%s.down.sql", set->dir, version, name);
		rc = write_new(up, "", &made, &nmade, err);
		if (!rc)
			rc = write_new(down, "", &made, &nmade, err);
		free(up);
		free(down);
		break;
	}
	case MG_LAYOUT_DIRS:
	case MG_LAYOUT_RELEASES: {
		bool rel = layout == MG_LAYOUT_RELEASES;
		char *up, *down;
		if (rel && newest)
			dir = mg_xasprintf("%s/v%s_to_v%s", set->dir, newest, version);
		else if (rel)
			dir = mg_xasprintf("%s/v%s", set->dir, version);
		else
			dir = mg_xasprintf("%s/%s_%s", set->dir, version, name);
		if (mg_fs_is_dir(dir)) {
			rc = mg_err_set(err, MG_EIO, "file-exists", "'%s' already exists", dir);
			break;
		}
		if ((rc = mkdirs(dir, err)))
			break;
		up = mg_fs_join(dir, rel ? "upgrade.sql" : "up.sql");
		down = mg_fs_join(dir, rel ? "downgrade.sql" : "down.sql");
		rc = write_new(up, "", &made, &nmade, err);
		if (!rc)
			rc = write_new(down, "", &made, &nmade, err);
		if (!rc && rel) {
			char *readme = mg_fs_join(dir, "README.md");
			char *text = mg_xasprintf("# %s\n", name);
			rc = write_new(readme, text, &made, &nmade, err);
			free(text);
			free(readme);
		}
		free(up);
		free(down);
		break;
	}
	default: {
		char *p = mg_xasprintf("%s/%s_%s.sql", set->dir, version, name);
		rc = write_new(p, "-- migrate:up\n\n\n-- migrate:down\n\n", &made,
			       &nmade, err);
		free(p);
		break;
	}
	}

	/* round trip: the discovery code must find exactly what we meant */
	if (!rc) {
		struct mg_migset check;
		struct mg_migset_opts mo = { 0 };
		long k;
		mo.dialect = ctx->dialect ? mg_dialect_name(ctx->dialect) : NULL;
		if ((rc = mg_migset_load(&check, set->dir, &mo, err))) {
			mg_err_prefix(err, "the new migration does not load");
		} else {
			k = mg_migset_find(&check, version);
			if (k < 0 || (layout != MG_LAYOUT_RELEASES &&
				      strcmp(check.items[k].name, name))) {
				rc = mg_err_set(err, MG_EUSAGE, "bad-migration-name",
						"'%s' does not round-trip through the "
						"file-name grammar", name);
			}
			mg_migset_release(&check);
		}
	}
	if (rc) {
		for (size_t i = 0; i < nmade; i++)
			unlink(made[i]);
		if (dir)
			rmdir(dir);
	} else {
		for (size_t i = 0; i < nmade; i++)
			printf("created %s\n", made[i]);
	}
out:
	for (size_t i = 0; i < nmade; i++)
		free(made[i]);
	free(made);
	free(version);
	free(dir);
	return rc;
}

static int run(int argc, char **argv)
{
	struct mg_cli cli;
	struct mg_ctx ctx;
	struct mg_err err = MG_ERR_INIT;

	memset(&ctx, 0, sizeof(ctx));
	if (mg_cli_parse(argc, argv, opts, &cli, &err))
		return mg_ctx_fail(&ctx, &cli, &err);
	if (cli.npos != 1) {
		mg_err_set(&err, MG_EUSAGE, "bad-argument",
			   cli.npos ? "give one NAME" : "missing NAME");
		mg_err_hint(&err, "usage: migrate new NAME [--version X.Y.Z]");
		return mg_ctx_fail(&ctx, &cli, &err);
	}
	if (mg_ctx_load(&ctx, &cli, MG_CTX_SET | MG_CTX_SET_OPTIONAL_DIR, &err))
		return mg_ctx_fail(&ctx, &cli, &err);
	if (create(&ctx, cli.pos[0], mg_cli_get(&cli, O_VERSION, NULL), &err))
		return mg_ctx_fail(&ctx, &cli, &err);
	mg_ctx_release(&ctx);
	mg_cli_release(&cli);
	return 0;
}

const struct mg_cmd mg_cmd_new = {
	"new", "create a new migration in the directory's layout",
	"usage: migrate new NAME [--version X.Y.Z]\n"
	"\n"
	"Create an empty migration (up and down) named NAME, in the layout the\n"
	"directory already uses (a sections file for an empty or new directory):\n"
	"  sections  VERSION_NAME.sql with -- migrate:up / -- migrate:down\n"
	"  pairs     VERSION_NAME.up.sql + VERSION_NAME.down.sql (sequential\n"
	"            numbers continue: 0007 after 0006)\n"
	"  dirs      VERSION_NAME/up.sql + down.sql\n"
	"  releases  vPREV_to_vX.Y.Z/upgrade.sql + downgrade.sql + README.md\n"
	"VERSION is the current UTC time (20240101120000). NAME may hold\n"
	"letters, digits, '_' and '-'.\n"
	"\n"
	"options:\n"
	"  --version X.Y.Z   the new release (releases layout only; required there)\n"
	"\n" MG_CLI_COMMON_HELP
	"\nexit codes: 0 ok; 2 usage or a file that cannot be written\n",
	run
};
