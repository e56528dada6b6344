/* execinfo.c - backtrace and its symbols, as glibc: the running thread's return
 * addresses found by following frame pointers (every VMOS image is built with them), and
 * each named "program(symbol+0xoffset) [address]" from the image's own symbol table, or
 * "program(+0xoffset) [address]" by its link-time address when no symbol holds it. */
#include <execinfo.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel/symbols.h"
#include "mm/reloc.h"
#include "mm/vm.h"
#include "posix/posix.h"

int backtrace(void **buffer, int size)
{
	uintptr_t frame = (uintptr_t)__builtin_frame_address(0);
	int n = 0;

	/* Each frame holds the caller's frame pointer, then the return address into it; the
	 * chain ends at a zero, an unreadable or a non-ascending frame pointer. */
	while (n < size && frame && !(frame & 7) && vm_is_mapped(frame, 16)) {
		const uintptr_t *words = (const uintptr_t *)frame;
		if (!words[1])
			break;
		buffer[n++] = (void *)words[1];
		if (words[0] <= frame)
			break;
		frame = words[0];
	}
	return n;
}

/* One line for @address into @out (at most @room bytes with the NUL); its length. */
static int describe(void *address, char *out, size_t room)
{
	struct kernel_symbol sym;
	uintptr_t a = (uintptr_t)address;

	if (symbol_at(a, &sym))
		return snprintf(out, room, "%s(%s+%#lx) [%p]", posix_program_name, sym.name,
		                (unsigned long)(a - sym.address), address);
	uintptr_t bias = symbol_image_base() - IMAGE_LINK_BASE;
	return snprintf(out, room, "%s(+%#lx) [%p]", posix_program_name, (unsigned long)(a - bias),
	                address);
}

char **backtrace_symbols(void *const *buffer, int size)
{
	char line[256];
	size_t text = 0;

	if (size < 0)
		size = 0;
	for (int i = 0; i < size; i++) {
		int len = describe(buffer[i], line, sizeof(line));
		text += (size_t)(len < (int)sizeof(line) ? len : (int)sizeof(line) - 1) + 1;
	}
	/* One block, the pointers first: the caller frees only the array, as with glibc. */
	char **lines = malloc((size_t)size * sizeof(char *) + text);
	if (!lines)
		return NULL;
	char *p = (char *)(lines + size);
	for (int i = 0; i < size; i++) {
		describe(buffer[i], line, sizeof(line));
		size_t len = strlen(line) + 1;
		memcpy(p, line, len);
		lines[i] = p;
		p += len;
	}
	return lines;
}

void backtrace_symbols_fd(void *const *buffer, int size, int fd)
{
	char line[256];

	for (int i = 0; i < size; i++) {
		int len = describe(buffer[i], line, sizeof(line) - 1);
		if (len > (int)sizeof(line) - 2)
			len = (int)sizeof(line) - 2;
		line[len] = '\n';
		if (write(fd, line, (size_t)len + 1) < 0)
			return;
	}
}
