/* fnmatch.c - shell wildcard matching as glibc's fnmatch (newlib has the header only):
 * '*', '?', bracket expressions with ranges, negation ('!' or '^') and character classes,
 * and the flags FNM_NOESCAPE, FNM_PATHNAME, FNM_PERIOD, FNM_LEADING_DIR, FNM_CASEFOLD.
 * Returns 0 on a match, FNM_NOMATCH otherwise. */
#define _GNU_SOURCE /* FNM_LEADING_DIR, FNM_CASEFOLD */
#include <ctype.h>
#include <fnmatch.h>
#include <string.h>

static int fold(int c, int flags)
{
	if ((flags & FNM_CASEFOLD) && c >= 'A' && c <= 'Z')
		return c - 'A' + 'a';
	return c;
}

static int in_class(const char *name, size_t len, int c)
{
	static const struct {
		const char *name;
		int (*test)(int);
	} classes[] = {
	    {"alnum", isalnum}, {"alpha", isalpha}, {"blank", isblank}, {"cntrl", iscntrl},
	    {"digit", isdigit}, {"graph", isgraph}, {"lower", islower}, {"print", isprint},
	    {"punct", ispunct}, {"space", isspace}, {"upper", isupper}, {"xdigit", isxdigit},
	};
	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (strlen(classes[i].name) == len && memcmp(classes[i].name, name, len) == 0)
			return classes[i].test(c) != 0;
	return 0;
}

/* A bracket expression at @p (just past '['), tried on @c. Returns the pattern past the
 * closing ']' and sets *@matched; NULL when the expression is not closed (then '[' is an
 * ordinary character, as in glibc). */
static const char *bracket(const char *p, int c, int flags, int *matched)
{
	int negate = 0, found = 0;

	if (*p == '!' || *p == '^') {
		negate = 1;
		p++;
	}
	int first = 1;
	while (*p && (*p != ']' || first)) {
		first = 0;
		if (p[0] == '[' && p[1] == ':') {
			const char *end = strstr(p + 2, ":]");
			if (end) {
				if (in_class(p + 2, (size_t)(end - p - 2), c))
					found = 1;
				p = end + 2;
				continue;
			}
		}
		int lo = (unsigned char)*p;
		if (lo == '\\' && !(flags & FNM_NOESCAPE) && p[1])
			lo = (unsigned char)*++p;
		if ((flags & FNM_PATHNAME) && lo == '/')
			return NULL;
		p++;
		int hi = lo;
		if (p[0] == '-' && p[1] && p[1] != ']') {
			hi = (unsigned char)p[1];
			p += 2;
			if (hi == '\\' && !(flags & FNM_NOESCAPE) && *p)
				hi = (unsigned char)*p++;
		}
		if ((fold(c, flags) >= fold(lo, flags) && fold(c, flags) <= fold(hi, flags)) ||
		    (c >= lo && c <= hi))
			found = 1;
	}
	if (*p != ']')
		return NULL;
	*matched = found != negate;
	return p + 1;
}

static int leading_period(const char *s, const char *start, int flags)
{
	return (flags & FNM_PERIOD) && *s == '.' &&
	       (s == start || ((flags & FNM_PATHNAME) && s[-1] == '/'));
}

static int match(const char *p, const char *s, const char *start, int flags)
{
	for (;;) {
		int c = (unsigned char)*p++;
		switch (c) {
		case '\0':
			if (*s == '\0')
				return 0;
			if ((flags & FNM_LEADING_DIR) && *s == '/')
				return 0;
			return FNM_NOMATCH;
		case '?':
			if (*s == '\0' || ((flags & FNM_PATHNAME) && *s == '/') ||
			    leading_period(s, start, flags))
				return FNM_NOMATCH;
			s++;
			break;
		case '*':
			while (*p == '*')
				p++;
			if (leading_period(s, start, flags))
				return FNM_NOMATCH;
			if (*p == '\0') {
				if ((flags & FNM_PATHNAME) && !(flags & FNM_LEADING_DIR) &&
				    strchr(s, '/'))
					return FNM_NOMATCH;
				return 0;
			}
			/* The star takes 0, 1, 2... characters, never a '/' under FNM_PATHNAME. */
			for (const char *t = s;; t++) {
				if (match(p, t, start, flags) == 0)
					return 0;
				if (*t == '\0' || ((flags & FNM_PATHNAME) && *t == '/'))
					return FNM_NOMATCH;
			}
		case '[': {
			int matched;
			if (*s == '\0')
				return FNM_NOMATCH;
			if (((flags & FNM_PATHNAME) && *s == '/') ||
			    leading_period(s, start, flags))
				return FNM_NOMATCH;
			const char *next = bracket(p, (unsigned char)*s, flags, &matched);
			if (next) {
				if (!matched)
					return FNM_NOMATCH;
				p = next;
				s++;
				break;
			}
			if (*s != '[')
				return FNM_NOMATCH; /* unclosed: a literal '[' */
			s++;
			break;
		}
		case '\\':
			if (!(flags & FNM_NOESCAPE) && *p)
				c = (unsigned char)*p++;
			/* fall through */
		default:
			if (fold(c, flags) != fold((unsigned char)*s, flags))
				return FNM_NOMATCH;
			s++;
			break;
		}
	}
}

int fnmatch(const char *pattern, const char *string, int flags)
{
	return match(pattern, string, string, flags);
}
