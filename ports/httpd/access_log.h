/* access_log.h - one line per request on stdout, in the Common Log Format:
 *   127.0.0.1 - - [06/Nov/1994:08:49:37 +0000] "GET /index.html HTTP/1.1" 200 612
 * The caller flushes stdout (once per turn of the event loop). */
#ifndef HTTPD_ACCESS_LOG_H
#define HTTPD_ACCESS_LOG_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "http_parse.h"

/* access_log_write - log the answer @status with @body_bytes of body to the request @req
 * (NULL, or without a method, when the request line could not be parsed: logged as "-")
 * from IPv4 address @peer (host byte order) at time @now. */
void access_log_write(uint32_t peer, const struct http_request *req, int status,
                      uint64_t body_bytes, time_t now);

#endif
