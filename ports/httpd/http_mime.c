/* http_mime.c - the extension to media type table. */
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "http_mime.h"

struct mime_entry {
	const char *extension;
	const char *type;
};

static const struct mime_entry mime_table[] = {
    {"html", "text/html; charset=utf-8"},
    {"htm", "text/html; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"json", "application/json"},
    {"txt", "text/plain; charset=utf-8"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},
    {"svg", "image/svg+xml"},
    {"ico", "image/x-icon"},
    {"wasm", "application/wasm"},
    {"pdf", "application/pdf"},
};

const char *http_mime_type(const char *path)
{
	const char *name = strrchr(path, '/');
	name = name ? name + 1 : path;
	const char *dot = strrchr(name, '.');
	if (dot == NULL || dot == name)
		return HTTP_MIME_DEFAULT;
	for (size_t i = 0; i < sizeof(mime_table) / sizeof(mime_table[0]); i++) {
		if (strcasecmp(dot + 1, mime_table[i].extension) == 0)
			return mime_table[i].type;
	}
	return HTTP_MIME_DEFAULT;
}
