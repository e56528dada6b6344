/* http_path.h - from a request target to a clean path inside the document root.
 *
 * The target's path is percent-decoded and then normalised: empty and "." segments go,
 * ".." removes the segment before it, and a ".." that would climb above the root is
 * refused (so are encoded forms such as %2e%2e, since decoding comes first). The result
 * starts with '/', has no "//", "." or ".." segments, and ends with '/' when the target's
 * path did (or ended with a "." or ".." segment), which is how a caller tells a request
 * for a directory. */
#ifndef HTTPD_HTTP_PATH_H
#define HTTPD_HTTP_PATH_H

#include <stddef.h>

/* http_path_from_target - the clean path of request target @target (@len bytes, no NUL
 * needed): origin form ("/a/b?q") or absolute form ("http://host/a/b?q"); the query is
 * dropped. Writes the path and a NUL into @out (@cap bytes). Returns 0, or
 *   -EINVAL        not a path (does not start with '/'), a bad %XX escape, or a
 *                  decoded NUL byte
 *   -EACCES        a ".." segment climbs above the root
 *   -ENAMETOOLONG  the clean path does not fit in @cap bytes */
int http_path_from_target(const char *target, size_t len, char *out, size_t cap);

/* http_percent_decode - decode %XX escapes of @len bytes at @in into @out (@cap bytes,
 * NUL-terminated); '+' stays '+' (it only means a space in queries). Returns the decoded
 * length, or -EINVAL for a '%' not followed by two hex digits or a %00, or -ENAMETOOLONG
 * when @out is too small. */
long http_percent_decode(const char *in, size_t len, char *out, size_t cap);

/* http_percent_encode_path - @path with every byte other than unreserved characters
 * (RFC 3986: letters, digits, "-._~") and '/' written as %XX, NUL-terminated into @out
 * (@cap bytes): safe to put in a header such as Location. Returns the encoded length, or
 * -ENAMETOOLONG. */
long http_percent_encode_path(const char *path, char *out, size_t cap);

#endif
