/*
 * report_json: the stable machine format (docs/lint-output.md):
 *   {"version":1,"diagnostics":[{file,line,column,end_line,end_column,rule,
 *    severity,message,help,lock,fingerprint}...],"summary":{files,
 *    statements,errors,warnings,infos,suppressed,baselined}}
 * One diagnostic per line, so the output also greps well.
 */
#include "report.h"

#include "../core/buf.h"
#include "../lint/rule_meta.h"

static void str(struct mg_buf *b, const char *s)
{
	if (!s) {
		mg_buf_adds(b, "null");
		return;
	}
	mg_buf_addc(b, '"');
	mg_report_json_escape(b, s);
	mg_buf_addc(b, '"');
}

MG_REPORT_WRITER(mg_report_json)
{
	struct mg_buf b = MG_BUF_INIT;

	(void)o;
	mg_buf_adds(&b, "{\"version\":1,\"diagnostics\":[");
	for (size_t i = 0; i < n; i++) {
		const struct mg_diag *x = &d[i];
		mg_buf_adds(&b, i ? ",\n{\"file\":" : "\n{\"file\":");
		str(&b, x->file);
		mg_buf_addf(&b, ",\"line\":%u,\"column\":%u,\"end_line\":%u,"
			    "\"end_column\":%u,\"rule\":", x->line, x->column,
			    x->end_line, x->end_column);
		str(&b, x->rule);
		mg_buf_adds(&b, ",\"severity\":");
		str(&b, mg_severity_name(x->severity));
		mg_buf_adds(&b, ",\"message\":");
		str(&b, x->message);
		mg_buf_adds(&b, ",\"help\":");
		str(&b, x->help);
		mg_buf_adds(&b, ",\"lock\":");
		if (x->has_lock) {
			mg_buf_adds(&b, "{\"mode\":");
			str(&b, mg_lock_mode_name(x->lock_mode));
			mg_buf_adds(&b, ",\"relation\":");
			str(&b, x->lock_relation);
			mg_buf_adds(&b, ",\"blocks\":");
			str(&b, mg_lock_mode_blocks(x->lock_mode));
			mg_buf_adds(&b, "}");
		} else {
			mg_buf_adds(&b, "null");
		}
		mg_buf_adds(&b, ",\"fingerprint\":");
		str(&b, x->fingerprint);
		mg_buf_adds(&b, "}");
		if (b.len > 1 << 16) {
			fwrite(b.buf, 1, b.len, out);
			mg_buf_reset(&b);
		}
	}
	mg_buf_addf(&b, "%s],\"summary\":{\"files\":%zu,\"statements\":%zu,"
		    "\"errors\":%zu,\"warnings\":%zu,\"infos\":%zu,"
		    "\"suppressed\":%zu,\"baselined\":%zu}}\n", n ? "\n" : "",
		    s->files, s->statements, s->errors, s->warnings, s->infos,
		    s->suppressed, s->baselined);
	fwrite(b.buf, 1, b.len, out);
	mg_buf_release(&b);
}
