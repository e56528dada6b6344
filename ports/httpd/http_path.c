/* http_path.c - percent-decoding and normalisation of request paths. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "http_path.h"

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

long http_percent_decode(const char *in, size_t len, char *out, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		char c = in[i];
		if (c == '%') {
			if (len - i < 3)
				return -EINVAL;
			int high = hex_value(in[i + 1]), low = hex_value(in[i + 2]);
			if (high < 0 || low < 0 || (high == 0 && low == 0))
				return -EINVAL;
			c = (char)(high * 16 + low);
			i += 2;
		}
		if (n + 1 >= cap)
			return -ENAMETOOLONG;
		out[n++] = c;
	}
	out[n] = '\0';
	return (long)n;
}

/* Skip "scheme://authority" of an absolute-form target; returns the path's offset, or
 * @len when there is no path (then the path is "/"). */
static size_t absolute_form_path_offset(const char *target, size_t len)
{
	size_t i = 0;
	while (i < len && target[i] != ':' && target[i] != '/')
		i++;
	if (i + 3 > len || target[i] != ':' || target[i + 1] != '/' || target[i + 2] != '/')
		return 0;
	i += 3;
	while (i < len && target[i] != '/' && target[i] != '?')
		i++;
	return i;
}

int http_path_from_target(const char *target, size_t len, char *out, size_t cap)
{
	if (len > 0 && target[0] != '/') {
		size_t path_at = absolute_form_path_offset(target, len);
		if (path_at == 0)
			return -EINVAL;
		target += path_at;
		len -= path_at;
		if (len == 0 || target[0] == '?') {
			target = "/";
			len = 1;
		}
	}
	if (len == 0 || target[0] != '/')
		return -EINVAL;
	const char *query = memchr(target, '?', len);
	if (query != NULL)
		len = (size_t)(query - target);
	const char *fragment = memchr(target, '#', len);
	if (fragment != NULL)
		len = (size_t)(fragment - target);

	/* Decode in place into @out, then normalise within @out: the clean path is never
	 * longer than the decoded one. */
	long decoded = http_percent_decode(target, len, out, cap);
	if (decoded < 0)
		return (int)decoded;
	size_t read_at = 0, write_at = 0, end = (size_t)decoded;
	bool wants_directory = false;
	while (read_at < end) {
		while (read_at < end && out[read_at] == '/')
			read_at++;
		size_t seg = read_at;
		while (read_at < end && out[read_at] != '/')
			read_at++;
		size_t seg_len = read_at - seg;
		wants_directory = read_at >= end ? seg_len == 0 : false;
		if (seg_len == 0)
			continue;
		if (seg_len == 1 && out[seg] == '.') {
			wants_directory = read_at >= end;
			continue;
		}
		if (seg_len == 2 && out[seg] == '.' && out[seg + 1] == '.') {
			if (write_at == 0)
				return -EACCES;
			while (out[write_at - 1] != '/')
				write_at--;
			write_at--;
			wants_directory = read_at >= end;
			continue;
		}
		out[write_at++] = '/';
		memmove(out + write_at, out + seg, seg_len);
		write_at += seg_len;
	}
	if (write_at == 0 || wants_directory)
		out[write_at++] = '/';
	out[write_at] = '\0';
	return 0;
}

static bool is_unreserved_or_slash(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
}

long http_percent_encode_path(const char *path, char *out, size_t cap)
{
	static const char hex_digits[] = "0123456789ABCDEF";
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)path; *p != '\0'; p++) {
		size_t need = is_unreserved_or_slash(*p) ? 1 : 3;
		if (n + need >= cap)
			return -ENAMETOOLONG;
		if (need == 1) {
			out[n++] = (char)*p;
		} else {
			out[n++] = '%';
			out[n++] = hex_digits[*p >> 4];
			out[n++] = hex_digits[*p & 15];
		}
	}
	if (cap == 0)
		return -ENAMETOOLONG;
	out[n] = '\0';
	return (long)n;
}
