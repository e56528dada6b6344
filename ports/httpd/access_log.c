/* access_log.c - Common Log Format lines on stdout. */
#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#include "access_log.h"

static const char month_names[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* Request bytes as they came, except quotes, backslashes and non-printing bytes as \xHH,
 * so that a line stays one line and its quoted field cannot be forged. */
static void put_escaped(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
			printf("\\x%02X", c);
		else
			putchar(c);
	}
}

void access_log_write(uint32_t peer, const struct http_request *req, int status,
                      uint64_t body_bytes, time_t now)
{
	struct tm tm;
	if (gmtime_r(&now, &tm) == NULL)
		return;
	printf("%u.%u.%u.%u - - [%02d/%s/%04d:%02d:%02d:%02d +0000] \"", (unsigned)(peer >> 24),
	       (unsigned)(peer >> 16) & 255, (unsigned)(peer >> 8) & 255, (unsigned)peer & 255,
	       tm.tm_mday, month_names[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
	       tm.tm_sec);
	if (req != NULL && req->method_name != NULL && req->target != NULL) {
		put_escaped(req->method_name, req->method_len);
		putchar(' ');
		put_escaped(req->target, req->target_len);
		printf(" HTTP/1.%d", req->version_minor);
	} else {
		putchar('-');
	}
	printf("\" %d %" PRIu64 "\n", status, body_bytes);
}
