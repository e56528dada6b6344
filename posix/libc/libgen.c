/* libgen.c - POSIX dirname (newlib 3.3 declares it in libgen.h but does not build it),
 * with glibc's answers: it modifies its argument; "." for NULL, "" or a name without a
 * slash; a path whose parent is reached through exactly two leading slashes keeps them
 * ("//" and "//a" give "//", as XBD 4.13 leaves "//" to the implementation). */
#include <libgen.h>
#include <string.h>

char *dirname(char *path)
{
	static char dot[] = ".";

	if (!path || !*path)
		return dot;
	size_t len = strlen(path);
	char *end = path + len;
	while (end > path && end[-1] == '/') /* trailing slashes */
		end--;
	char *last_slash; /* the slash before the last component */
	if (end == path) {
		last_slash = path + len - 1; /* only slashes */
	} else {
		char *p = end;
		while (p > path && p[-1] != '/')
			p--;
		if (p == path)
			return dot;
		last_slash = p - 1;
	}
	char *run = last_slash; /* the first of the slashes that end at last_slash */
	while (run > path && run[-1] == '/')
		run--;
	if (run == path)
		path[last_slash == path + 1 ? 2 : 1] = '\0';
	else
		*run = '\0';
	return path;
}
