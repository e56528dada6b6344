/* console.h - the kernel log: a 16550 UART on COM1, polled, with printf-style formatting.
 * Safe to call from any context, including fault handlers, once console_init() ran. */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>

/* console_init - program COM1 for 115200 8N1, FIFOs on. Idempotent. */
void console_init(void);

/* console_write - write @len bytes; "\n" becomes "\r\n" on the wire. */
void console_write(const char *s, size_t len);

/* kprintf - formatted log output. Supports %d %i %u %x %X %o %c %s %p %% with the flags
 * '-', '0', a field width (or *), a precision for %s, and the length modifiers hh h l ll z
 * j t. Returns the number of characters written. */
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int kvprintf(const char *fmt, va_list ap);

/* ksnprintf / kvsnprintf - the same formatting into @buf (always NUL-terminated when
 * @size > 0). Return the length the full output would have had, like snprintf. */
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

#endif
