/* report_gcc: `file:line:column: severity: message [rule]`, one per line,
 * nothing else (for editors' error parsers). */
#include "report.h"

#include "../lint/rule_meta.h"

MG_REPORT_WRITER(mg_report_gcc)
{
	(void)o;
	(void)s;
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s:%u:%u: %s: %s [%s]\n", d[i].file, d[i].line,
			d[i].column, mg_severity_name(d[i].severity), d[i].message,
			d[i].rule);
}
