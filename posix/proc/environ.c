/* environ.c - setenv, unsetenv and putenv over the environ array, in place of
 * newlib's: newlib's setenv accepts an empty name and its putenv copies the string, where
 * POSIX (and Linux) refuse the empty name with EINVAL and make putenv's string itself part
 * of the environment, so a later change to it shows in getenv. newlib's getenv reads the
 * same environ array, so the two stay consistent.
 *
 * The array is copied into one this file owns on the first change; strings this file
 * allocated are freed when replaced or removed, strings from putenv and from the command
 * line never are. A program that assigns environ itself starts a new array, which is
 * adopted as it is on the next change (the replaced array is the program's business). */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "posix/posix.h"

extern char **environ;

static char **owned_array;       /* environ when this file made it */
static bool *owned_strings;      /* per entry: allocated here */
static size_t entries, capacity; /* used entries (no final NULL) and room */

/* Make environ an array this file owns with room for one more entry. Returns 0 or
 * -ENOMEM (nothing changed). */
static int adopt(void)
{
	if (environ != owned_array || !owned_array) {
		size_t n = 0;
		while (environ && environ[n])
			n++;
		size_t cap = n + 16;
		char **array = malloc((cap + 1) * sizeof(*array));
		bool *owned = calloc(cap, sizeof(*owned));
		if (!array || !owned) {
			free(array);
			free(owned);
			return -ENOMEM;
		}
		if (n)
			memcpy(array, environ, n * sizeof(*array));
		array[n] = NULL;
		free(owned_strings); /* an earlier array of ours, if any, was replaced by the
		                        program */
		owned_array = environ = array;
		owned_strings = owned;
		entries = n;
		capacity = cap;
	}
	if (entries == capacity) {
		size_t cap = capacity * 2;
		char **array = realloc(owned_array, (cap + 1) * sizeof(*array));
		if (!array)
			return -ENOMEM;
		owned_array = environ = array;
		bool *owned = realloc(owned_strings, cap * sizeof(*owned));
		if (!owned)
			return -ENOMEM;
		memset(owned + capacity, 0, (cap - capacity) * sizeof(*owned));
		owned_strings = owned;
		capacity = cap;
	}
	return 0;
}

static bool name_valid(const char *name)
{
	return name && *name && !strchr(name, '=');
}

/* The index of the entry for the @len-byte name @name, or entries when there is none. */
static size_t find(const char *name, size_t len)
{
	for (size_t i = 0; i < entries; i++)
		if (!strncmp(environ[i], name, len) && environ[i][len] == '=')
			return i;
	return entries;
}

static void remove_at(size_t i)
{
	if (owned_strings[i])
		free(environ[i]);
	memmove(&environ[i], &environ[i + 1], (entries - i) * sizeof(*environ));
	memmove(&owned_strings[i], &owned_strings[i + 1], (entries - i - 1) * sizeof(bool));
	entries--;
}

/* Put @entry ("name=value", @len the name's length) in place of the variable's entry or
 * at the end. */
static void store(char *entry, size_t len, bool owned)
{
	size_t i = find(entry, len);

	if (i == entries) {
		entries++;
		environ[entries] = NULL;
	} else if (owned_strings[i]) {
		free(environ[i]);
	}
	environ[i] = entry;
	owned_strings[i] = owned;
}

int setenv(const char *name, const char *value, int overwrite)
{
	if (!name_valid(name))
		return (int)posix_result(-EINVAL);
	size_t len = strlen(name);
	if (!overwrite && getenv(name))
		return 0;
	int err = adopt();
	if (err)
		return (int)posix_result(err);
	size_t vlen = strlen(value ? value : "");
	char *entry = malloc(len + vlen + 2);
	if (!entry)
		return (int)posix_result(-ENOMEM);
	memcpy(entry, name, len);
	entry[len] = '=';
	memcpy(entry + len + 1, value ? value : "", vlen + 1);
	store(entry, len, true);
	return 0;
}

int unsetenv(const char *name)
{
	if (!name_valid(name))
		return (int)posix_result(-EINVAL);
	int err = adopt();
	if (err)
		return (int)posix_result(err);
	size_t len = strlen(name), i;
	while ((i = find(name, len)) < entries)
		remove_at(i);
	return 0;
}

/* "name=value" becomes the variable itself; a string without '=' removes the variable
 * of that name (as glibc does). */
int putenv(char *string)
{
	const char *eq = string ? strchr(string, '=') : NULL;

	if (!string || eq == string)
		return (int)posix_result(-EINVAL);
	if (!eq)
		return unsetenv(string);
	int err = adopt();
	if (err)
		return (int)posix_result(err);
	store(string, (size_t)(eq - string), false);
	return 0;
}

/* clearenv: every variable removed; environ becomes an empty list, as glibc's (which sets
 * it to NULL: getenv and setenv work on either). */
int clearenv(void)
{
	int err = adopt();

	if (err)
		return (int)posix_result(err);
	while (entries)
		remove_at(entries - 1);
	return 0;
}
