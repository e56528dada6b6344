/* netdb.c - names: getaddrinfo/getnameinfo (numeric addresses, "localhost", /etc/hosts in the RAM
 * filesystem, then DNS through lwIP when a name server is configured with dns= or by
 * DHCP), a few well-known services, gethostname (address text and byte order:
 * inet_addr.c). Messages and numbering follow glibc. */
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <arpa/inet.h>

#include "lwip/api.h"
#include "lwip/dns.h"
#include "lwip/tcpip.h"
#include "net/net.h"
#include "posix/posix.h"

int h_errno;

/* ---- services and protocols ---- */

static const struct {
	const char *name;
	int port;
} services[] = {
    {"ftp", 21},    {"ssh", 22},     {"telnet", 23},       {"smtp", 25},    {"domain", 53},
    {"http", 80},   {"pop3", 110},   {"imap", 143},        {"https", 443},  {"imaps", 993},
    {"pop3s", 995}, {"mysql", 3306}, {"postgresql", 5432}, {"redis", 6379}, {"http-alt", 8080},
};

static int service_port(const char *name)
{
	for (size_t i = 0; i < sizeof(services) / sizeof(services[0]); i++)
		if (!strcmp(services[i].name, name))
			return services[i].port;
	return -1;
}

static const char *service_name(int port)
{
	for (size_t i = 0; i < sizeof(services) / sizeof(services[0]); i++)
		if (services[i].port == port)
			return services[i].name;
	return NULL;
}

struct servent *getservbyname(const char *name, const char *proto)
{
	static struct servent ent;
	static char *no_aliases[] = {NULL};
	static char name_buf[32], proto_buf[8];
	int port = service_port(name);

	if (port < 0 || (proto && strcmp(proto, "tcp") && strcmp(proto, "udp")))
		return NULL;
	snprintf(name_buf, sizeof(name_buf), "%s", name);
	snprintf(proto_buf, sizeof(proto_buf), "%s", proto ? proto : "tcp");
	ent.s_name = name_buf;
	ent.s_aliases = no_aliases;
	ent.s_port = htons((uint16_t)port);
	ent.s_proto = proto_buf;
	return &ent;
}

/* The protocols of Debian's /etc/protocols (netbase) that a server may name, with their
 * aliases; an image has no /etc/protocols of its own. */
static const struct {
	const char *name;
	const char *alias;
	int number;
} protocols[] = {
    {"ip", "IP", 0},
    {"icmp", "ICMP", 1},
    {"igmp", "IGMP", 2},
    {"tcp", "TCP", 6},
    {"udp", "UDP", 17},
    {"ipv6", "IPv6", 41},
    {"ipv6-route", "IPv6-Route", 43},
    {"ipv6-frag", "IPv6-Frag", 44},
    {"gre", "GRE", 47},
    {"esp", "IPSEC-ESP", 50},
    {"ah", "IPSEC-AH", 51},
    {"ipv6-icmp", "IPv6-ICMP", 58},
    {"ipv6-nonxt", "IPv6-NoNxt", 59},
    {"ipv6-opts", "IPv6-Opts", 60},
    {"sctp", "SCTP", 132},
    {"udplite", "UDPLite", 136},
};

static struct protoent *protocol_entry(size_t i)
{
	static struct protoent ent;
	static char *aliases[2];

	aliases[0] = (char *)protocols[i].alias;
	aliases[1] = NULL;
	ent.p_name = (char *)protocols[i].name;
	ent.p_aliases = aliases;
	ent.p_proto = protocols[i].number;
	return &ent;
}

struct protoent *getprotobyname(const char *name)
{
	for (size_t i = 0; name && i < sizeof(protocols) / sizeof(protocols[0]); i++)
		if (!strcmp(name, protocols[i].name) || !strcmp(name, protocols[i].alias))
			return protocol_entry(i);
	return NULL;
}

struct protoent *getprotobynumber(int proto)
{
	for (size_t i = 0; i < sizeof(protocols) / sizeof(protocols[0]); i++)
		if (protocols[i].number == proto)
			return protocol_entry(i);
	return NULL;
}

/* ---- host names ---- */

int gethostname(char *name, size_t len)
{
	static const char host[] = "vmos"; /* uname's nodename (posix/proc/sys_misc.c) */

	if (len < sizeof(host))
		return (int)posix_result(-ENAMETOOLONG);
	memcpy(name, host, sizeof(host));
	return 0;
}

/* /etc/hosts, if the image has one: the IPv4 address of @name (by name or alias), or
 * the first name of @addr (network order) into @out. Returns true when found. */
static bool hosts_lookup(const char *name, struct in_addr *addr, char *out, size_t outlen)
{
	FILE *fp = fopen("/etc/hosts", "r");
	char line[512];
	bool found = false;

	if (!fp)
		return false;
	while (!found && fgets(line, sizeof(line), fp)) {
		char *save, *tok = strtok_r(line, " \t\r\n", &save);
		struct in_addr a;
		if (!tok || tok[0] == '#' || !inet_aton(tok, &a) || !strchr(tok, '.'))
			continue;
		char *first = NULL;
		while ((tok = strtok_r(NULL, " \t\r\n", &save)) && tok[0] != '#') {
			if (!first)
				first = tok;
			if (name && !strcasecmp(tok, name)) {
				*addr = a;
				found = true;
				break;
			}
		}
		if (!name && first && a.s_addr == addr->s_addr) {
			snprintf(out, outlen, "%s", first);
			found = true;
		}
	}
	fclose(fp);
	return found;
}

/* DNS through lwIP. Returns 0 or an EAI_* code. */
static int dns_lookup(const char *name, struct in_addr *addr)
{
	ip_addr_t result;

	net_start();
	LOCK_TCPIP_CORE();
	bool have_server = !ip_addr_isany(dns_getserver(0));
	UNLOCK_TCPIP_CORE();
	if (!have_server)
		return EAI_AGAIN;
	err_t err = netconn_gethostbyname(name, &result);
	if (err != ERR_OK)
		return err == ERR_MEM ? EAI_MEMORY : EAI_NONAME;
	addr->s_addr = ip4_addr_get_u32(ip_2_ip4(&result));
	return 0;
}

/* ---- getaddrinfo ---- */

struct ai_block {
	struct addrinfo ai;
	struct sockaddr_in sin;
	char canon[];
};

static int add_result(struct addrinfo ***tail, struct in_addr addr, int port, int socktype,
                      int protocol, const char *canon)
{
	size_t clen = canon ? strlen(canon) + 1 : 0;
	struct ai_block *b = calloc(1, sizeof(*b) + clen);

	if (!b)
		return EAI_MEMORY;
	b->sin.sin_family = AF_INET;
	b->sin.sin_port = htons((uint16_t)port);
	b->sin.sin_addr = addr;
	b->ai.ai_family = AF_INET;
	b->ai.ai_socktype = socktype;
	b->ai.ai_protocol = protocol;
	b->ai.ai_addrlen = sizeof(b->sin);
	b->ai.ai_addr = (struct sockaddr *)&b->sin;
	if (canon) {
		memcpy(b->canon, canon, clen);
		b->ai.ai_canonname = b->canon;
	}
	**tail = &b->ai;
	*tail = &b->ai.ai_next;
	return 0;
}

void freeaddrinfo(struct addrinfo *res)
{
	while (res) {
		struct addrinfo *next = res->ai_next;
		free(res); /* the addrinfo starts its block */
		res = next;
	}
}

#define KNOWN_FLAGS                                                                                \
	(AI_PASSIVE | AI_CANONNAME | AI_NUMERICHOST | AI_V4MAPPED | AI_ALL | AI_ADDRCONFIG |       \
	 AI_NUMERICSERV)

int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
                struct addrinfo **res)
{
	int flags = hints ? hints->ai_flags : 0;
	int family = hints ? hints->ai_family : AF_UNSPEC;
	int socktype = hints ? hints->ai_socktype : 0;
	int protocol = hints ? hints->ai_protocol : 0;
	int port = 0;
	struct in_addr addr;

	if (flags & ~KNOWN_FLAGS)
		return EAI_BADFLAGS;
	if ((flags & AI_CANONNAME) && !node)
		return EAI_BADFLAGS;
	if (!node && !service)
		return EAI_NONAME;
	if (family != AF_UNSPEC && family != AF_INET)
		return family == AF_INET6 ? EAI_NONAME : EAI_FAMILY;
	if (socktype != 0 && socktype != SOCK_STREAM && socktype != SOCK_DGRAM &&
	    socktype != SOCK_RAW)
		return EAI_SOCKTYPE;
	if (service && *service) {
		char *end;
		long v = strtol(service, &end, 10);
		if (*end == '\0' && v >= 0 && v <= 65535) {
			port = (int)v;
		} else if (flags & AI_NUMERICSERV) {
			return EAI_NONAME;
		} else if ((port = service_port(service)) < 0) {
			return EAI_SERVICE;
		}
		if (socktype == SOCK_RAW)
			return EAI_SERVICE;
	}
	const char *canon = NULL;
	if (!node) {
		addr.s_addr = htonl(flags & AI_PASSIVE ? INADDR_ANY : INADDR_LOOPBACK);
	} else if (inet_aton(node, &addr)) {
		canon = node;
	} else if (flags & AI_NUMERICHOST) {
		return EAI_NONAME;
	} else if (!strcasecmp(node, "localhost") || !strcasecmp(node, "localhost.localdomain")) {
		addr.s_addr = htonl(INADDR_LOOPBACK);
		canon = "localhost";
	} else if (hosts_lookup(node, &addr, NULL, 0)) {
		canon = node;
	} else {
		int err = dns_lookup(node, &addr);
		if (err)
			return err;
		canon = node;
	}
	if (!(flags & AI_CANONNAME))
		canon = NULL;

	struct addrinfo *head = NULL, **tail = &head;
	static const struct {
		int socktype, protocol;
	} kinds[] = {{SOCK_STREAM, IPPROTO_TCP}, {SOCK_DGRAM, IPPROTO_UDP}, {SOCK_RAW, 0}};
	for (size_t i = 0; i < 3; i++) {
		if (socktype ? socktype != kinds[i].socktype
		             : kinds[i].socktype == SOCK_RAW && service && *service)
			continue;
		if (protocol && kinds[i].protocol && protocol != kinds[i].protocol)
			continue;
		int err = add_result(&tail, addr, port, kinds[i].socktype,
		                     protocol && !kinds[i].protocol ? protocol : kinds[i].protocol,
		                     head ? NULL : canon);
		if (err) {
			freeaddrinfo(head);
			return err;
		}
	}
	if (!head)
		return EAI_SOCKTYPE;
	*res = head;
	return 0;
}

const char *gai_strerror(int code)
{
	switch (code) {
	case EAI_BADFLAGS:
		return "Bad value for ai_flags";
	case EAI_NONAME:
		return "Name or service not known";
	case EAI_AGAIN:
		return "Temporary failure in name resolution";
	case EAI_FAIL:
		return "Non-recoverable failure in name resolution";
	case EAI_FAMILY:
		return "ai_family not supported";
	case EAI_SOCKTYPE:
		return "ai_socktype not supported";
	case EAI_SERVICE:
		return "Servname not supported for ai_socktype";
	case EAI_MEMORY:
		return "Memory allocation failure";
	case EAI_SYSTEM:
		return "System error";
	case EAI_NODATA:
		return "No address associated with hostname";
	case EAI_ADDRFAMILY:
		return "Address family for hostname not supported";
	default: /* 0 and EAI_OVERFLOW too, as glibc */
		return "Unknown error";
	}
}

const char *hstrerror(int err)
{
	switch (err) {
	case -1: /* NETDB_INTERNAL */
		return "Resolver internal error";
	case 0:
		return "Resolver Error 0 (no error)";
	case HOST_NOT_FOUND:
		return "Unknown host";
	case TRY_AGAIN:
		return "Host name lookup failure";
	case NO_RECOVERY:
		return "Unknown server error";
	case NO_DATA:
		return "No address associated with name";
	default:
		return "Unknown resolver error";
	}
}

void herror(const char *s)
{
	if (s && *s)
		fprintf(stderr, "%s: %s\n", s, hstrerror(h_errno));
	else
		fprintf(stderr, "%s\n", hstrerror(h_errno));
}

int getnameinfo(const struct sockaddr *sa, socklen_t salen, char *host, socklen_t hostlen,
                char *serv, socklen_t servlen, int flags)
{
	if (!sa || salen < sizeof(sa_family_t))
		return EAI_FAMILY;
	if (sa->sa_family != AF_INET)
		return EAI_FAMILY;
	if (salen < sizeof(struct sockaddr_in))
		return EAI_FAMILY;
	const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;
	if (host && hostlen) {
		char name[NI_MAXHOST];
		bool named = false;
		if (!(flags & NI_NUMERICHOST)) {
			struct in_addr a = sin->sin_addr;
			if (hosts_lookup(NULL, &a, name, sizeof(name)))
				named = true;
			else if (ntohl(a.s_addr) == INADDR_LOOPBACK)
				named = snprintf(name, sizeof(name), "localhost") > 0;
		}
		if (!named) {
			if (flags & NI_NAMEREQD)
				return EAI_NONAME;
			inet_ntop(AF_INET, &sin->sin_addr, name, sizeof(name));
		}
		if (strlen(name) + 1 > hostlen)
			return EAI_OVERFLOW;
		strcpy(host, name);
	}
	if (serv && servlen) {
		char buf[NI_MAXSERV];
		int port = ntohs(sin->sin_port);
		const char *known = flags & NI_NUMERICSERV ? NULL : service_name(port);
		if (known)
			snprintf(buf, sizeof(buf), "%s", known);
		else
			snprintf(buf, sizeof(buf), "%d", port);
		if (strlen(buf) + 1 > servlen)
			return EAI_OVERFLOW;
		strcpy(serv, buf);
	}
	return 0;
}

/* host_entry - the one static hostent gethostbyname and gethostbyaddr return (glibc
 * shares one between them too: each call overwrites the last answer), for @name and one
 * IPv4 address. */
static struct hostent *host_entry(const char *name, struct in_addr address)
{
	static struct hostent ent;
	static struct in_addr addr;
	static char *addrs[2] = {(char *)&addr, NULL};
	static char *no_aliases[] = {NULL};
	static char name_buf[NI_MAXHOST];

	addr = address;
	snprintf(name_buf, sizeof(name_buf), "%s", name);
	ent.h_name = name_buf;
	ent.h_aliases = no_aliases;
	ent.h_addrtype = AF_INET;
	ent.h_length = sizeof(addr);
	ent.h_addr_list = addrs;
	return &ent;
}

struct hostent *gethostbyname(const char *name)
{
	struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM}, *res;

	int err = getaddrinfo(name, NULL, &hints, &res);
	if (err) {
		h_errno = err == EAI_AGAIN ? TRY_AGAIN : HOST_NOT_FOUND;
		return NULL;
	}
	struct in_addr addr = ((struct sockaddr_in *)res->ai_addr)->sin_addr;
	freeaddrinfo(res);
	return host_entry(name, addr);
}

/* gethostbyaddr - the name of an IPv4 address, as getnameinfo finds it (localhost,
 * /etc/hosts; no reverse DNS): NULL with h_errno HOST_NOT_FOUND when it has none, as
 * glibc when no source knows the address; other families or lengths are not found. */
struct hostent *gethostbyaddr(const void *address, socklen_t len, int type)
{
	struct sockaddr_in sin = {.sin_family = AF_INET};
	char name[NI_MAXHOST];

	if (!address || type != AF_INET || len != sizeof(struct in_addr)) {
		h_errno = HOST_NOT_FOUND;
		return NULL;
	}
	memcpy(&sin.sin_addr, address, sizeof(sin.sin_addr));
	if (getnameinfo((struct sockaddr *)&sin, sizeof(sin), name, sizeof(name), NULL, 0,
	                NI_NAMEREQD)) {
		h_errno = HOST_NOT_FOUND;
		return NULL;
	}
	return host_entry(name, sin.sin_addr);
}
