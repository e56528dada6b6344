/* netcfg.c - the ip= and dns= options of the kernel command line (netcfg.h). */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "net/netcfg.h"

/* Parse a dotted quad in @text[0..@len). */
static int parse_ipv4_n(const char *text, size_t len, uint32_t *out)
{
	uint32_t addr = 0;
	size_t i = 0;

	for (int part = 0; part < 4; part++) {
		unsigned value = 0;
		size_t digits = 0;
		if (part > 0) {
			if (i >= len || text[i] != '.')
				return -EINVAL;
			i++;
		}
		while (i < len && text[i] >= '0' && text[i] <= '9' && digits < 4) {
			value = value * 10 + (unsigned)(text[i] - '0');
			i++;
			digits++;
		}
		if (digits == 0 || digits > 3 || value > 255)
			return -EINVAL;
		addr = addr << 8 | value;
	}
	if (i != len)
		return -EINVAL;
	*out = addr;
	return 0;
}

int netcfg_parse_ipv4(const char *text, uint32_t *out)
{
	return parse_ipv4_n(text, strlen(text), out);
}

static int fail(const char **why, const char *what)
{
	if (why)
		*why = what;
	return -EINVAL;
}

static int parse_ip(const char *ip, struct netcfg *out, const char **why)
{
	if (!ip || !strcmp(ip, "dhcp")) {
		out->mode = NETCFG_DHCP;
		return 0;
	}
	if (!strcmp(ip, "none") || !strcmp(ip, "off")) {
		out->mode = NETCFG_NONE;
		return 0;
	}
	const char *slash = strchr(ip, '/');
	if (!slash)
		return fail(why, "ip= needs ADDR/PREFIX[,GW], dhcp or none");
	if (parse_ipv4_n(ip, (size_t)(slash - ip), &out->addr))
		return fail(why, "ip=: the address is not a dotted quad");
	const char *p = slash + 1;
	int prefix = 0, digits = 0;
	while (*p >= '0' && *p <= '9' && digits < 3) {
		prefix = prefix * 10 + (*p++ - '0');
		digits++;
	}
	if (digits == 0 || prefix > 32 || (*p && *p != ','))
		return fail(why, "ip=: the prefix length must be 0 to 32");
	out->prefix = prefix;
	out->netmask = prefix == 0 ? 0 : ~(uint32_t)0 << (32 - prefix);
	out->gw = 0;
	if (*p == ',' && netcfg_parse_ipv4(p + 1, &out->gw))
		return fail(why, "ip=: the gateway is not a dotted quad");
	out->mode = NETCFG_STATIC;
	return 0;
}

static int parse_dns(const char *dns, struct netcfg *out, const char **why)
{
	if (!dns)
		return 0;
	const char *p = dns;
	for (;;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (out->dns_count == NETCFG_MAX_DNS)
			return fail(why, "dns=: at most 2 name servers");
		if (parse_ipv4_n(p, len, &out->dns[out->dns_count]))
			return fail(why, "dns=: a name server is not a dotted quad");
		out->dns_count++;
		if (!end)
			return 0;
		p = end + 1;
	}
}

int netcfg_parse(const char *ip, const char *dns, struct netcfg *out, const char **why)
{
	memset(out, 0, sizeof(*out));
	int err = parse_ip(ip, out, why);
	if (!err)
		err = parse_dns(dns, out, why);
	if (err) {
		memset(out, 0, sizeof(*out));
		out->mode = NETCFG_DHCP;
	}
	return err;
}
