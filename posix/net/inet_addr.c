/* inet_addr.c - addresses as text and byte order: inet_pton/inet_ntop (IPv4 and IPv6),
 * inet_aton/inet_addr/inet_ntoa with their old forms, htonl and friends, in6addr_any and
 * in6addr_loopback. Answers follow glibc's. */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#undef htonl
#undef htons
#undef ntohl
#undef ntohs

uint32_t htonl(uint32_t x)
{
	return __builtin_bswap32(x);
}

uint16_t htons(uint16_t x)
{
	return __builtin_bswap16(x);
}

uint32_t ntohl(uint32_t x)
{
	return __builtin_bswap32(x);
}

uint16_t ntohs(uint16_t x)
{
	return __builtin_bswap16(x);
}

const struct in6_addr in6addr_any = IN6ADDR_ANY_INIT;
const struct in6_addr in6addr_loopback = IN6ADDR_LOOPBACK_INIT;

/* ---- address text ---- */

/* inet_aton's forms: a, a.b, a.b.c, a.b.c.d; each part decimal, octal (0...) or hex. */
int inet_aton(const char *cp, struct in_addr *inp)
{
	unsigned long parts[4];
	int n = 0;
	const char *p = cp;

	if (!cp)
		return 0;
	for (;;) {
		char *end;
		if (!isdigit((unsigned char)*p))
			return 0;
		unsigned long v = strtoul(p, &end, 0);
		if (end == p || n == 4)
			return 0;
		parts[n++] = v;
		p = end;
		if (*p != '.')
			break;
		p++;
	}
	if (*p && !isspace((unsigned char)*p))
		return 0;
	unsigned long addr;
	switch (n) {
	case 1:
		if (parts[0] > 0xffffffffUL)
			return 0;
		addr = parts[0];
		break;
	case 2:
		if (parts[0] > 255 || parts[1] > 0xffffff)
			return 0;
		addr = parts[0] << 24 | parts[1];
		break;
	case 3:
		if (parts[0] > 255 || parts[1] > 255 || parts[2] > 0xffff)
			return 0;
		addr = parts[0] << 24 | parts[1] << 16 | parts[2];
		break;
	default:
		for (int i = 0; i < 4; i++)
			if (parts[i] > 255)
				return 0;
		addr = parts[0] << 24 | parts[1] << 16 | parts[2] << 8 | parts[3];
		break;
	}
	if (inp)
		inp->s_addr = htonl((uint32_t)addr);
	return 1;
}

in_addr_t inet_addr(const char *cp)
{
	struct in_addr a;

	return inet_aton(cp, &a) ? a.s_addr : INADDR_NONE;
}

char *inet_ntoa(struct in_addr in)
{
	static char buf[INET_ADDRSTRLEN];

	return (char *)inet_ntop(AF_INET, &in, buf, sizeof(buf));
}

/* Strict dotted quad (inet_pton's AF_INET): four decimal parts, no leading zeros. */
static int pton4(const char *src, unsigned char *out)
{
	int parts = 0;

	while (parts < 4) {
		unsigned v = 0;
		int digits = 0;
		if (parts > 0) {
			if (*src != '.')
				return 0;
			src++;
		}
		while (isdigit((unsigned char)*src)) {
			if (digits > 0 && v == 0)
				return 0; /* leading zero */
			v = v * 10 + (unsigned)(*src++ - '0');
			if (++digits > 3 || v > 255)
				return 0;
		}
		if (digits == 0)
			return 0;
		out[parts++] = (unsigned char)v;
	}
	return *src == '\0';
}

static int pton6(const char *src, unsigned char *out)
{
	unsigned char buf[16] = {0};
	int n = 0, gap = -1;
	const char *p = src;

	if (p[0] == ':' && p[1] == ':') {
		gap = 0;
		p += 2;
	} else if (p[0] == ':') {
		return 0;
	}
	while (*p) {
		if (n == 16)
			return 0;
		/* An IPv4 tail. */
		const char *q = p;
		while (isdigit((unsigned char)*q))
			q++;
		if (*q == '.') {
			if (n > 12 || !pton4(p, buf + n))
				return 0;
			n += 4;
			break;
		}
		unsigned v = 0;
		int digits = 0;
		while (isxdigit((unsigned char)*p)) {
			if (++digits > 4)
				return 0;
			v = v * 16 + (unsigned)(isdigit((unsigned char)*p)
			                            ? *p - '0'
			                            : tolower((unsigned char)*p) - 'a' + 10);
			p++;
		}
		if (digits == 0)
			return 0;
		buf[n++] = (unsigned char)(v >> 8);
		buf[n++] = (unsigned char)v;
		if (*p == ':') {
			p++;
			if (*p == ':') {
				if (gap >= 0)
					return 0;
				gap = n;
				p++;
			} else if (*p == '\0') {
				return 0;
			}
		} else if (*p) {
			return 0;
		}
	}
	if (gap >= 0) {
		if (n == 16)
			return 0;
		int tail = n - gap;
		memmove(buf + 16 - tail, buf + gap, (size_t)tail);
		memset(buf + gap, 0, (size_t)(16 - tail - gap));
	} else if (n != 16) {
		return 0;
	}
	memcpy(out, buf, 16);
	return 1;
}

int inet_pton(int af, const char *src, void *dst)
{
	unsigned char buf[16];

	if (af == AF_INET) {
		if (!pton4(src, buf))
			return 0;
		memcpy(dst, buf, 4);
		return 1;
	}
	if (af == AF_INET6) {
		if (!pton6(src, buf))
			return 0;
		memcpy(dst, buf, 16);
		return 1;
	}
	errno = EAFNOSUPPORT;
	return -1;
}

static const char *ntop6(const unsigned char *a, char *dst, socklen_t size)
{
	char tmp[INET6_ADDRSTRLEN];
	unsigned words[8];
	int best = -1, best_len = 0;
	char *t = tmp;

	for (int i = 0; i < 8; i++)
		words[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
	for (int i = 0; i < 8;) {
		int j = i;
		while (j < 8 && words[j] == 0)
			j++;
		if (j - i > best_len && j - i >= 2) {
			best = i;
			best_len = j - i;
		}
		i = j > i ? j : i + 1;
	}
	for (int i = 0; i < 8; i++) {
		if (i == best) {
			*t++ = ':';
			if (i + best_len == 8)
				*t++ = ':';
			i += best_len - 1;
			continue;
		}
		if (i > 0)
			*t++ = ':';
		/* ::ffff:a.b.c.d and ::a.b.c.d print their IPv4 tail, as glibc does. */
		if (i == 6 && best == 0 &&
		    (best_len == 6 || (best_len == 5 && words[5] == 0xffff))) {
			t += sprintf(t, "%u.%u.%u.%u", a[12], a[13], a[14], a[15]);
			break;
		}
		t += sprintf(t, "%x", words[i]);
	}
	*t = '\0';
	if ((socklen_t)(t - tmp + 1) > size) {
		errno = ENOSPC;
		return NULL;
	}
	return strcpy(dst, tmp);
}

const char *inet_ntop(int af, const void *src, char *dst, socklen_t size)
{
	if (af == AF_INET) {
		const unsigned char *a = src;
		char tmp[INET_ADDRSTRLEN];
		int n = snprintf(tmp, sizeof(tmp), "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
		if ((socklen_t)n + 1 > size) {
			errno = ENOSPC;
			return NULL;
		}
		return strcpy(dst, tmp);
	}
	if (af == AF_INET6)
		return ntop6(src, dst, size);
	errno = EAFNOSUPPORT;
	return NULL;
}
