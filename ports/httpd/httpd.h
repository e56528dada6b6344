/* httpd.h - the server's configuration, filled by main.c from the command line and read
 * by every other part. */
#ifndef HTTPD_HTTPD_H
#define HTTPD_HTTPD_H

#include <stdbool.h>
#include <stdint.h>

#include "http_parse.h"

struct httpd_config {
	uint32_t bind_address;    /* IPv4, host byte order (0: every address) */
	uint16_t port;            /* TCP port to listen on */
	const char *root;         /* document root, without a trailing '/' */
	int max_connections;      /* open client connections at most; more wait in backlog */
	int idle_timeout_seconds; /* close connections without progress for this long */
	struct http_limits limits;
	bool quiet;           /* no access log on stdout */
	bool follow_symlinks; /* serve through symbolic links (not checked then) */
};

#endif
