/*
 * report_github: GitHub Actions workflow commands, one per finding:
 *   ::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=RULE::message
 * (::warning, ::notice for info). Data escapes %, CR and LF; property
 * values also escape ':' and ','.
 */
#include "report.h"

#include "../core/buf.h"

static void esc(struct mg_buf *b, const char *s, bool prop)
{
	for (; *s; s++) {
		switch (*s) {
		case '%': mg_buf_adds(b, "%25"); break;
		case '\r': mg_buf_adds(b, "%0D"); break;
		case '\n': mg_buf_adds(b, "%0A"); break;
		case ':': mg_buf_adds(b, prop ? "%3A" : ":"); break;
		case ',': mg_buf_adds(b, prop ? "%2C" : ","); break;
		default: mg_buf_addc(b, *s); break;
		}
	}
}

MG_REPORT_WRITER(mg_report_github)
{
	struct mg_buf b = MG_BUF_INIT;

	(void)o;
	(void)s;
	for (size_t i = 0; i < n; i++) {
		const struct mg_diag *x = &d[i];
		const char *cmd = x->severity == MG_SEV_ERROR ? "error" :
				  x->severity == MG_SEV_WARNING ? "warning" : "notice";
		mg_buf_reset(&b);
		mg_buf_addf(&b, "::%s file=", cmd);
		esc(&b, x->file, true);
		mg_buf_addf(&b, ",line=%u,col=%u,endLine=%u,endColumn=%u,title=",
			    x->line, x->column, x->end_line, x->end_column);
		esc(&b, x->rule, true);
		mg_buf_adds(&b, "::");
		esc(&b, x->message, false);
		if (x->has_lock) {
			char lk[256];
			snprintf(lk, sizeof(lk), "\nlock: %s on \"%s\" (blocks %s)",
				 mg_lock_mode_name(x->lock_mode), x->lock_relation,
				 mg_lock_mode_blocks(x->lock_mode));
			esc(&b, lk, false);
		}
		if (x->help) {
			mg_buf_adds(&b, "%0Ahelp: ");
			esc(&b, x->help, false);
		}
		fprintf(out, "%s\n", b.buf);
	}
	mg_buf_release(&b);
}
