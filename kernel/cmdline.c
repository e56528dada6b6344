/* cmdline.c - splitting the kernel command line into options and program arguments. */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "kernel/cmdline.h"

/* Word separators. Newlines and carriage returns count too: boot loaders and VMMs
 * sometimes leave one at the end of the line. */
static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Append @c to the storage, or -E2BIG when it is full. */
static int put(struct cmdline *out, size_t *pos, char c)
{
	if (*pos >= CMDLINE_MAX_BYTES)
		return -E2BIG;
	out->storage[(*pos)++] = c;
	return 0;
}

/* Copy one word starting at *@p into the storage, removing quotes and backslashes, and
 * leave *@p at the blank or NUL after it. @literal tells whether any quote or backslash
 * was seen (a quoted "--" is an ordinary word, not the separator). */
static int parse_word(const char **p, struct cmdline *out, size_t *pos, bool *literal)
{
	const char *s = *p;
	int err = 0;

	*literal = false;
	while (*s && !is_blank(*s) && !err) {
		char c = *s++;

		if (c == '\'') {
			/* Single quotes: everything up to the closing quote, as is. */
			*literal = true;
			while (*s && *s != '\'' && !err)
				err = put(out, pos, *s++);
			if (!err && !*s)
				return -EINVAL;
			s++;
		} else if (c == '"') {
			/* Double quotes: blanks are kept, a backslash still escapes. */
			*literal = true;
			while (*s && *s != '"' && !err) {
				if (*s == '\\' && !*++s)
					return -EINVAL;
				err = put(out, pos, *s++);
			}
			if (!err && !*s)
				return -EINVAL;
			s++;
		} else if (c == '\\') {
			*literal = true;
			if (!*s)
				return -EINVAL;
			err = put(out, pos, *s++);
		} else {
			err = put(out, pos, c);
		}
	}
	if (!err)
		err = put(out, pos, '\0');
	*p = s;
	return err;
}

/* Keys of the words a VMM appends for the kernel (cmdline.h: device words). */
static const char *const device_keys[] = {"virtio_mmio.device", NULL};

/* The length of @word's key when it is a device key, else 0. */
static size_t device_key_len(const char *word)
{
	for (int i = 0; device_keys[i]; i++) {
		size_t len = strlen(device_keys[i]);
		if (strncmp(word, device_keys[i], len) == 0 && word[len] == '=')
			return len;
	}
	return 0;
}

static void clear(struct cmdline *out)
{
	out->word_count = 0;
	out->separator = -1;
	out->words[0] = NULL;
	out->device_word_count = 0;
}

int cmdline_parse(const char *text, struct cmdline *out)
{
	const char *p = text ? text : "";
	size_t pos = 0;
	int count = 0;
	int devices = 0;
	int separator = -1;

	clear(out);
	for (;;) {
		size_t start;
		bool literal;
		int err;

		while (is_blank(*p))
			p++;
		if (!*p)
			break;
		start = pos;
		err = parse_word(&p, out, &pos, &literal);
		if (err) {
			clear(out);
			return count == CMDLINE_MAX_WORDS ? -E2BIG
			                                  : err; /* the count ran out first */
		}
		if (!literal && device_key_len(&out->storage[start])) {
			if (devices == CMDLINE_MAX_DEVICE_WORDS) {
				clear(out);
				return -E2BIG;
			}
			out->device_words[devices++] = &out->storage[start];
			continue;
		}
		if (count == CMDLINE_MAX_WORDS) {
			clear(out);
			return -E2BIG;
		}
		out->words[count] = &out->storage[start];
		if (separator < 0 && !literal && strcmp(out->words[count], "--") == 0)
			separator = count;
		count++;
	}
	/* argv style: a NULL after the last word, when there is room for one. */
	if (count < CMDLINE_MAX_WORDS)
		out->words[count] = NULL;
	out->word_count = count;
	out->separator = separator;
	out->device_word_count = devices;
	return 0;
}

bool cmdline_option(const struct cmdline *cl, const char *key, const char **value)
{
	int options = cl->separator >= 0 ? cl->separator : cl->word_count;
	size_t key_len = strlen(key);
	bool found = false;

	if (strchr(key, '='))
		return false; /* no word's key can contain '=' */
	for (int i = 0; i < options; i++) {
		const char *word = cl->words[i];

		/* The key is the text before the first '=', so it must match in full. */
		if (strncmp(word, key, key_len) != 0 ||
		    (word[key_len] != '\0' && word[key_len] != '='))
			continue;
		found = true;
		if (value)
			*value = word[key_len] == '=' ? &word[key_len + 1] : "";
	}
	return found;
}

const char *const *cmdline_args(const struct cmdline *cl, int *argc)
{
	int first = cl->separator >= 0 ? cl->separator + 1 : 0;

	*argc = cl->word_count - first;
	return &cl->words[first];
}

int cmdline_devices(const struct cmdline *cl, const char *key, const char **values, int max)
{
	size_t key_len = strlen(key);
	int n = 0;

	for (int i = 0; i < cl->device_word_count; i++) {
		const char *word = cl->device_words[i];
		if (device_key_len(word) != key_len || strncmp(word, key, key_len) != 0)
			continue;
		if (n < max)
			values[n] = &word[key_len + 1];
		n++;
	}
	return n;
}
