/*
 * report_sarif: SARIF 2.1.0 for GitHub code scanning (docs/lint-output.md).
 *
 * One run; tool.driver lists every rule of the registry and the engine's
 * own diagnostics (ruleIndex points into that list). Locations are
 * relative to %SRCROOT% (the current directory) when the file lies under
 * it, absolute file: URIs otherwise; columns count Unicode code points.
 */
#include "report.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/buf.h"
#include "../lint/rule_meta.h"

#ifndef MIGRATE_HOMEPAGE
#define MIGRATE_HOMEPAGE "https://example.invalid/migrate"
#endif

static void str(struct mg_buf *b, const char *s)
{
	mg_buf_addc(b, '"');
	mg_report_json_escape(b, s ? s : "");
	mg_buf_addc(b, '"');
}

static void uri_encode(struct mg_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' ||
		    c == '/') {
			mg_buf_addc(b, (char)c);
		} else {
			mg_buf_addc(b, '%');
			mg_buf_addc(b, hex[c >> 4]);
			mg_buf_addc(b, hex[c & 15]);
		}
	}
}

static const char *level(enum mg_severity s)
{
	return s == MG_SEV_ERROR ? "error" : s == MG_SEV_WARNING ? "warning" : "note";
}

/* "drop-column" -> "DropColumn" */
static void pascal(struct mg_buf *b, const char *id)
{
	bool up = true;
	for (; *id; id++) {
		if (*id == '-' || *id == '_') {
			up = true;
			continue;
		}
		mg_buf_addc(b, up ? (char)toupper((unsigned char)*id) : *id);
		up = false;
	}
}

static void rule_obj(struct mg_buf *b, const char *id, const char *summary,
		     const char *why, const char *lock, const char *blocks,
		     const char *safe, const char *sql, enum mg_severity sev)
{
	struct mg_buf md = MG_BUF_INIT, tx = MG_BUF_INIT;

	mg_buf_adds(b, "{\"id\":");
	str(b, id);
	mg_buf_adds(b, ",\"name\":\"");
	pascal(b, id);
	mg_buf_adds(b, "\",\"shortDescription\":{\"text\":");
	str(b, summary && summary[0] ? summary : id);
	mg_buf_adds(b, "},\"fullDescription\":{\"text\":");
	str(b, why && why[0] ? why : summary && summary[0] ? summary : id);
	mg_buf_adds(b, "},\"help\":{\"text\":");
	mg_buf_addf(&tx, "%s", why ? why : "");
	mg_buf_addf(&md, "%s", why ? why : "");
	if (lock && lock[0]) {
		mg_buf_addf(&tx, "\n\nLock: %s%s%s%s", lock, blocks ? " (blocks " : "",
			    blocks ? blocks : "", blocks ? ")" : "");
		mg_buf_addf(&md, "\n\n**Lock:** `%s`%s%s%s", lock,
			    blocks ? " (blocks " : "", blocks ? blocks : "",
			    blocks ? ")" : "");
	}
	if (safe && safe[0]) {
		mg_buf_addf(&tx, "\n\nSafe alternative: %s", safe);
		mg_buf_addf(&md, "\n\n**Safe alternative:** %s", safe);
	}
	if (sql && sql[0]) {
		mg_buf_addf(&tx, "\n\n%s", sql);
		mg_buf_addf(&md, "\n\n```sql\n%s\n```", sql);
	}
	mg_buf_addf(&md, "\n\nDocumentation: `docs/rules/%s.md`", id);
	str(b, tx.buf);
	mg_buf_adds(b, ",\"markdown\":");
	str(b, md.buf);
	mg_buf_addf(b, "},\"defaultConfiguration\":{\"level\":\"%s\"},"
		    "\"properties\":{\"tags\":[\"migration-safety\",\"sql\"],"
		    "\"precision\":\"high\",\"problem.severity\":\"%s\"}}",
		    level(sev), sev == MG_SEV_ERROR ? "error" :
		    sev == MG_SEV_WARNING ? "warning" : "recommendation");
	mg_buf_release(&md);
	mg_buf_release(&tx);
}

static long rule_index(const char *id)
{
	long i = mg_rule_index(id);
	if (i >= 0)
		return i;
	for (size_t k = 0; mg_engine_diags[k].id; k++)
		if (!strcmp(mg_engine_diags[k].id, id))
			return (long)(mg_rule_count() + k);
	return -1;
}

MG_REPORT_WRITER(mg_report_sarif)
{
	struct mg_buf b = MG_BUF_INIT;
	char cwd[4096];
	size_t cwdlen = 0;
	bool have_cwd = getcwd(cwd, sizeof(cwd)) != NULL;

	(void)s;
	if (have_cwd)
		cwdlen = strlen(cwd);
	mg_buf_adds(&b, "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\","
			"\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{"
			"\"name\":\"migrate\",\"version\":");
	str(&b, o && o->tool_version ? o->tool_version : "0");
	mg_buf_adds(&b, ",\"semanticVersion\":");
	str(&b, o && o->tool_version ? o->tool_version : "0.0.0");
	mg_buf_adds(&b, ",\"informationUri\":\"" MIGRATE_HOMEPAGE "\",\"rules\":[");
	for (size_t i = 0; mg_rules[i]; i++) {
		const struct mg_rule_meta *m = mg_rule_meta_get(mg_rules[i]->id);
		if (i)
			mg_buf_addc(&b, ',');
		rule_obj(&b, mg_rules[i]->id, m ? m->summary : NULL, m ? m->why : NULL,
			 m ? m->lock_mode : NULL, m ? m->lock_blocks : NULL,
			 m ? m->help : NULL, m ? m->safe_sql : NULL,
			 mg_rules[i]->default_severity);
	}
	for (size_t k = 0; mg_engine_diags[k].id; k++) {
		const struct mg_engine_diag *e = &mg_engine_diags[k];
		if (mg_rules[0] || k)
			mg_buf_addc(&b, ',');
		rule_obj(&b, e->id, e->summary, e->summary, NULL, NULL, e->help,
			 NULL, e->severity);
	}
	mg_buf_adds(&b, "]}},\"columnKind\":\"unicodeCodePoints\"");
	if (have_cwd) {
		mg_buf_adds(&b, ",\"originalUriBaseIds\":{\"%SRCROOT%\":{\"uri\":\"file://");
		uri_encode(&b, cwd);
		mg_buf_adds(&b, cwdlen && cwd[cwdlen - 1] == '/' ? "\"}}" : "/\"}}");
	}
	mg_buf_adds(&b, ",\"results\":[");
	for (size_t i = 0; i < n; i++) {
		const struct mg_diag *x = &d[i];
		long ri = rule_index(x->rule);
		const char *path = x->file;
		bool rel = true;
		if (path[0] == '/') {
			if (have_cwd && !strncmp(path, cwd, cwdlen) && path[cwdlen] == '/')
				path += cwdlen + 1;
			else
				rel = false;
		}
		while (rel && path[0] == '.' && path[1] == '/')
			path += 2;
		if (i)
			mg_buf_addc(&b, ',');
		mg_buf_adds(&b, "\n{\"ruleId\":");
		str(&b, x->rule);
		if (ri >= 0)
			mg_buf_addf(&b, ",\"ruleIndex\":%ld", ri);
		mg_buf_addf(&b, ",\"level\":\"%s\",\"message\":{\"text\":", level(x->severity));
		{
			struct mg_buf msg = MG_BUF_INIT;
			mg_buf_adds(&msg, x->message);
			if (x->has_lock)
				mg_buf_addf(&msg, "\nLock: %s on \"%s\" (blocks %s)",
					    mg_lock_mode_name(x->lock_mode),
					    x->lock_relation,
					    mg_lock_mode_blocks(x->lock_mode));
			if (x->help)
				mg_buf_addf(&msg, "\nHelp: %s", x->help);
			str(&b, msg.buf);
			mg_buf_release(&msg);
		}
		mg_buf_adds(&b, "},\"locations\":[{\"physicalLocation\":{"
				"\"artifactLocation\":{\"uri\":\"");
		if (!rel)
			mg_buf_adds(&b, "file://");
		uri_encode(&b, path);
		mg_buf_adds(&b, rel ? "\",\"uriBaseId\":\"%SRCROOT%\"}" : "\"}");
		mg_buf_addf(&b, ",\"region\":{\"startLine\":%u,\"startColumn\":%u,"
			    "\"endLine\":%u,\"endColumn\":%u}}}]", x->line, x->column,
			    x->end_line, x->end_column);
		mg_buf_addf(&b, ",\"partialFingerprints\":{\"migrateFingerprint/v1\":\"%s\"}",
			    x->fingerprint);
		if (x->has_lock) {
			mg_buf_adds(&b, ",\"properties\":{\"lock\":{\"mode\":");
			str(&b, mg_lock_mode_name(x->lock_mode));
			mg_buf_adds(&b, ",\"relation\":");
			str(&b, x->lock_relation);
			mg_buf_adds(&b, ",\"blocks\":");
			str(&b, mg_lock_mode_blocks(x->lock_mode));
			mg_buf_adds(&b, "}}");
		}
		mg_buf_addc(&b, '}');
	}
	mg_buf_adds(&b, "]}]}\n");
	fwrite(b.buf, 1, b.len, out);
	mg_buf_release(&b);
}
