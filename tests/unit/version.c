/* Unit tests: src/migset/version. */
#include <stdlib.h>

#include "migset/version.h"
#include "test.h"

TEST(test_version__orders_by_value_not_lexically)
{
	CHECK(mg_version_cmp("1.2.0", "1.10.0") < 0);
	CHECK(mg_version_cmp("9", "0010") < 0);
	CHECK(mg_version_cmp("0001", "1") == 0);
	CHECK(mg_version_cmp("20240101120000", "20231231235959") > 0);
	CHECK(mg_version_cmp("2024-01-02-000000", "2024-01-01-235959") > 0);
	CHECK(mg_version_cmp("2.2", "2.2.0") < 0);
	/* 20 digits: larger than uint64 */
	CHECK(mg_version_cmp("20210311102338000015", "20210311102338000014") > 0);
}

TEST(test_version__scan_tokens)
{
	size_t skip;
	CHECK_INT(mg_version_scan("20240101_x", &skip), 8);
	CHECK_INT(mg_version_scan("v2.1.0_to", &skip), 5);
	CHECK_INT(skip, 1);
	CHECK_INT(mg_version_scan("2024-01-01-120000_create", &skip), 17);
	CHECK_INT(mg_version_scan("create_users", &skip), 0);
	CHECK_INT(mg_version_scan("1.", &skip), 1);
}

TEST(test_version__dashed_timestamps_are_timestamps)
{
	char *k;

	/* diesel strips the dashes: 2017-09-23-182408 is 20170923182408 */
	CHECK(mg_version_cmp("2017-09-23-182408", "20170309122510") > 0);
	CHECK(mg_version_cmp("2017-09-23-182408", "20171001000000") < 0);
	CHECK(mg_version_cmp("2017-09-23-182408", "20170923182408") == 0);
	CHECK(mg_version_cmp("0000-00-00-000000", "0") == 0);
	CHECK(mg_version_cmp("v1.10.0", "1.9.9") > 0);
	k = mg_version_key("2017-09-23-182408");
	CHECK_STR(k, "20170923182408");
	free(k);
	k = mg_version_key("v01.002.0");
	CHECK_STR(k, "1.2.0");
	free(k);
	k = mg_version_key("0000");
	CHECK_STR(k, "0");
	free(k);
}
