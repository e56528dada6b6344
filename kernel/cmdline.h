/* cmdline.h - the kernel command line, split into words.
 *
 * Words are separated by blanks; double or single quotes group blanks into one word and
 * are removed; a backslash outside single quotes takes the next character literally.
 * A lone "--" splits the line: words before it are the kernel's options (key=value or a
 * bare flag), words after it are the program's arguments. Without "--" every word is
 * both: the kernel picks out the options it knows and the program sees all words.
 *
 * Device words: the VMM may append words of its own for the kernel after the user's
 * line. QEMU's microvm (with -kernel, acpi=off) appends one Linux-style
 * "virtio_mmio.device=SIZE@BASE:IRQ" per virtio-mmio device, so they land after a user's
 * "--" or make a line of their own when the user passed none. Unquoted words with such a
 * key are set aside wherever they are: they are neither options nor arguments (so never
 * the program's argv or environment) and do not count in word_count; cmdline_devices
 * reads them, every occurrence, in order.
 * Pure logic: unit-tested on the host.
 */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

#define CMDLINE_MAX_BYTES        4096
#define CMDLINE_MAX_WORDS        256
#define CMDLINE_MAX_DEVICE_WORDS 32

struct cmdline {
	char storage[CMDLINE_MAX_BYTES]; /* the words, each NUL-terminated */
	const char *words[CMDLINE_MAX_WORDS];
	int word_count;
	int separator; /* index of the "--" word, or -1 when there is none */
	const char *device_words[CMDLINE_MAX_DEVICE_WORDS]; /* set aside (above), in order */
	int device_word_count;
};

/* cmdline_parse - split @text into @out. Returns 0, -E2BIG when the text, the word count
 * or the device word count does not fit, or -EINVAL for an unterminated quote or a trailing
 * backslash. On an error @out holds no words. */
int cmdline_parse(const char *text, struct cmdline *out);

/* cmdline_option - look up kernel option @key among the option words. Returns true when
 * it is present; @value (when not NULL) gets the text after '=' or "" for a bare flag.
 * The last occurrence wins. */
bool cmdline_option(const struct cmdline *cl, const char *key, const char **value);

/* cmdline_args - the program's arguments: the words after "--", or every word when there
 * is no "--". Stores their count in @argc and returns a pointer to the first. */
const char *const *cmdline_args(const struct cmdline *cl, int *argc);

/* cmdline_devices - the values of the device words with key @key (the text after
 * "@key="), in the order they came, up to @max into @values. Returns how many there are
 * (possibly more than @max: only @max are stored); 0 for a key that is not a device key. */
int cmdline_devices(const struct cmdline *cl, const char *key, const char **values, int max);

#endif
