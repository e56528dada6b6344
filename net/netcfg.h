/* netcfg.h - the network configuration from the kernel command line.
 *
 *   ip=dhcp                 DHCP (also when ip= is absent)
 *   ip=ADDR/PREFIX[,GW]     a static address, e.g. ip=10.0.2.15/24,10.0.2.2
 *   ip=none                 no address on the network card (loopback only)
 *   dns=ADDR[,ADDR]         name servers (DHCP's are used when absent)
 *
 * Addresses are dotted quads, kept in host byte order. Pure logic: unit-tested on the
 * host (tests/unit/test_netcfg.c). */
#ifndef NET_NETCFG_H
#define NET_NETCFG_H

#include <stdbool.h>
#include <stdint.h>

#define NETCFG_MAX_DNS 2

enum netcfg_mode { NETCFG_DHCP, NETCFG_STATIC, NETCFG_NONE };

struct netcfg {
	enum netcfg_mode mode;
	uint32_t addr;    /* NETCFG_STATIC */
	uint32_t netmask; /* from the prefix length */
	uint32_t gw;      /* 0: none */
	int prefix;
	uint32_t dns[NETCFG_MAX_DNS];
	int dns_count;
	unsigned stats_interval_s; /* netstats=SECONDS (net.c; 0: no counters lines) */
};

/* netcfg_parse_ipv4 - parse dotted-quad @text ("a.b.c.d", each 0-255, decimal) into
 * @out (host order). Returns 0 or -EINVAL. */
int netcfg_parse_ipv4(const char *text, uint32_t *out);

/* netcfg_parse - fill @out from the values of the ip= and dns= options (@ip and @dns may
 * be NULL: absent). Returns 0, or -EINVAL with @why (when not NULL) naming the problem;
 * @out then holds the default (DHCP, no name server). */
int netcfg_parse(const char *ip, const char *dns, struct netcfg *out, const char **why);

#endif
