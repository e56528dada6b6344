/* test_netcfg.c - host unit tests for net/netcfg.c (the ip= and dns= options). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "net/netcfg.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

static void test_ipv4(void **state)
{
	uint32_t a;

	(void)state;
	assert_int_equal(netcfg_parse_ipv4("10.0.2.15", &a), 0);
	assert_int_equal(a, IP(10, 0, 2, 15));
	assert_int_equal(netcfg_parse_ipv4("255.255.255.255", &a), 0);
	assert_int_equal(a, 0xffffffffu);
	assert_int_equal(netcfg_parse_ipv4("0.0.0.0", &a), 0);
	assert_int_equal(a, 0);
	const char *bad[] = {"",        "1.2.3",    "1.2.3.4.5",  "256.0.0.1", "1..2.3", "1.2.3.4 ",
	                     "a.b.c.d", "1.2.3.-4", "0001.2.3.4", ".1.2.3",    "1.2.3."};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(netcfg_parse_ipv4(bad[i], &a), -EINVAL);
}

static void test_defaults(void **state)
{
	struct netcfg c;

	(void)state;
	assert_int_equal(netcfg_parse(NULL, NULL, &c, NULL), 0);
	assert_int_equal(c.mode, NETCFG_DHCP);
	assert_int_equal(c.dns_count, 0);
	assert_int_equal(netcfg_parse("dhcp", NULL, &c, NULL), 0);
	assert_int_equal(c.mode, NETCFG_DHCP);
	assert_int_equal(netcfg_parse("none", NULL, &c, NULL), 0);
	assert_int_equal(c.mode, NETCFG_NONE);
}

static void test_static(void **state)
{
	struct netcfg c;

	(void)state;
	assert_int_equal(netcfg_parse("10.0.2.15/24,10.0.2.2", NULL, &c, NULL), 0);
	assert_int_equal(c.mode, NETCFG_STATIC);
	assert_int_equal(c.addr, IP(10, 0, 2, 15));
	assert_int_equal(c.prefix, 24);
	assert_int_equal(c.netmask, IP(255, 255, 255, 0));
	assert_int_equal(c.gw, IP(10, 0, 2, 2));

	assert_int_equal(netcfg_parse("192.168.1.7/32", NULL, &c, NULL), 0);
	assert_int_equal(c.netmask, 0xffffffffu);
	assert_int_equal(c.gw, 0);
	assert_int_equal(netcfg_parse("192.168.1.7/0", NULL, &c, NULL), 0);
	assert_int_equal(c.netmask, 0);
	assert_int_equal(netcfg_parse("172.16.0.1/12", NULL, &c, NULL), 0);
	assert_int_equal(c.netmask, IP(255, 240, 0, 0));
}

static void test_dns(void **state)
{
	struct netcfg c;

	(void)state;
	assert_int_equal(netcfg_parse(NULL, "8.8.8.8", &c, NULL), 0);
	assert_int_equal(c.dns_count, 1);
	assert_int_equal(c.dns[0], IP(8, 8, 8, 8));
	assert_int_equal(netcfg_parse("10.0.0.2/8", "1.1.1.1,9.9.9.9", &c, NULL), 0);
	assert_int_equal(c.dns_count, 2);
	assert_int_equal(c.dns[1], IP(9, 9, 9, 9));
	assert_int_equal(c.mode, NETCFG_STATIC);
}

static void test_errors(void **state)
{
	struct netcfg c;
	const char *why;
	const char *bad_ip[] = {"10.0.2.15",     "10.0.2.15/33",    "10.0.2.15/",    "10.0.2/24",
	                        "10.0.2.15/24,", "10.0.2.15/24,gw", "10.0.2.15/24x", "static"};

	(void)state;
	for (size_t i = 0; i < sizeof(bad_ip) / sizeof(bad_ip[0]); i++) {
		why = NULL;
		assert_int_equal(netcfg_parse(bad_ip[i], NULL, &c, &why), -EINVAL);
		assert_non_null(why);
		assert_int_equal(c.mode, NETCFG_DHCP); /* the defaults after an error */
	}
	const char *bad_dns[] = {"", "8.8.8", "8.8.8.8,", "1.1.1.1,2.2.2.2,3.3.3.3", "dns"};
	for (size_t i = 0; i < sizeof(bad_dns) / sizeof(bad_dns[0]); i++) {
		why = NULL;
		assert_int_equal(netcfg_parse("10.0.0.1/8", bad_dns[i], &c, &why), -EINVAL);
		assert_non_null(why);
		assert_int_equal(c.mode, NETCFG_DHCP);
		assert_int_equal(c.dns_count, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ipv4),   cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_static), cmocka_unit_test(test_dns),
	    cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
