/* http_mime.h - the Content-Type of a file, chosen by its name's extension. */
#ifndef HTTPD_HTTP_MIME_H
#define HTTPD_HTTP_MIME_H

/* The media type served for files without a known extension. */
#define HTTP_MIME_DEFAULT "application/octet-stream"

/* http_mime_type - the media type for the file name or path @path, by the extension after
 * its last '.' in the last path segment, compared without case ("A.PNG" is image/png).
 * Text types carry "; charset=utf-8". Never NULL: unknown or missing extensions give
 * HTTP_MIME_DEFAULT. The string is static. */
const char *http_mime_type(const char *path);

#endif
