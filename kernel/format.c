/* format.c - printf-style formatting for the kernel log (kvsnprintf and friends). */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/console.h"

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_padded(struct out *o, const char *s, size_t n, int width, bool left, char pad)
{
	int fill = width > (int)n ? width - (int)n : 0;

	/* Zero padding goes after a sign or a 0x prefix. */
	if (pad == '0' && !left && n > 0 && s[0] == '-') {
		put(o, '-');
		s++;
		n--;
		fill = width - 1 > (int)n ? width - 1 - (int)n : 0;
	} else if (pad == '0' && !left && n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		put(o, s[0]);
		put(o, s[1]);
		s += 2;
		n -= 2;
		fill = width - 2 > (int)n ? width - 2 - (int)n : 0;
	}
	if (!left)
		while (fill-- > 0)
			put(o, pad);
	for (size_t i = 0; i < n; i++)
		put(o, s[i]);
	if (left)
		while (fill-- > 0)
			put(o, ' ');
}

static size_t utoa(char *tmp, uint64_t v, unsigned base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char rev[24];
	size_t n = 0;

	do {
		rev[n++] = digits[v % base];
		v /= base;
	} while (v);
	for (size_t i = 0; i < n; i++)
		tmp[i] = rev[n - 1 - i];
	return n;
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = {buf, size, 0};

	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		fmt++;
		bool left = false, alt = false;
		char pad = ' ';
		for (;; fmt++) {
			if (*fmt == '-')
				left = true;
			else if (*fmt == '#')
				alt = true;
			else if (*fmt == '0')
				pad = '0';
			else
				break;
		}
		int width = 0;
		if (*fmt == '*') {
			width = va_arg(ap, int);
			fmt++;
		} else {
			while (*fmt >= '0' && *fmt <= '9')
				width = width * 10 + (*fmt++ - '0');
		}
		int precision = -1;
		if (*fmt == '.') {
			fmt++;
			precision = 0;
			if (*fmt == '*') {
				precision = va_arg(ap, int);
				fmt++;
			} else {
				while (*fmt >= '0' && *fmt <= '9')
					precision = precision * 10 + (*fmt++ - '0');
			}
		}
		int longness = 0; /* 1: long/size_t/etc. (all 64-bit here), -1: h, -2: hh */
		for (;; fmt++) {
			if (*fmt == 'l' || *fmt == 'z' || *fmt == 'j' || *fmt == 't')
				longness = 1;
			else if (*fmt == 'h')
				longness = longness < 0 ? -2 : -1;
			else
				break;
		}
		char tmp[32];
		size_t n;
		uint64_t u;
		switch (*fmt) {
		case 'd':
		case 'i': {
			int64_t v = longness > 0 ? va_arg(ap, long) : va_arg(ap, int);
			if (longness == -1)
				v = (short)v;
			else if (longness == -2)
				v = (signed char)v;
			size_t k = 0;
			if (v < 0) {
				tmp[k++] = '-';
				u = (uint64_t)0 - (uint64_t)v;
			} else {
				u = (uint64_t)v;
			}
			n = k + utoa(tmp + k, u, 10, false);
			put_padded(&o, tmp, n, width, left, pad);
			break;
		}
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			u = longness > 0 ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
			if (longness == -1)
				u = (unsigned short)u;
			else if (longness == -2)
				u = (unsigned char)u;
			n = 0;
			if (alt && u && (*fmt == 'x' || *fmt == 'X')) {
				tmp[n++] = '0';
				tmp[n++] = *fmt;
			}
			n += utoa(tmp + n, u, *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16, *fmt == 'X');
			put_padded(&o, tmp, n, width, left, pad);
			break;
		case 'p':
			u = (uint64_t)(uintptr_t)va_arg(ap, void *);
			tmp[0] = '0';
			tmp[1] = 'x';
			n = 2 + utoa(tmp + 2, u, 16, false);
			put_padded(&o, tmp, n, width, left, pad);
			break;
		case 'c':
			tmp[0] = (char)va_arg(ap, int);
			put_padded(&o, tmp, 1, width, left, ' ');
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			size_t len = 0;
			while (s[len] && (precision < 0 || len < (size_t)precision))
				len++;
			put_padded(&o, s, len, width, left, ' ');
			break;
		}
		case '%':
			put(&o, '%');
			break;
		case '\0':
			fmt--; /* a trailing '%': print nothing more */
			break;
		default:
			put(&o, '%');
			put(&o, *fmt);
			break;
		}
	}
	if (size > 0)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int kvprintf(const char *fmt, va_list ap)
{
	char line[512];
	va_list copy;

	va_copy(copy, ap);
	int n = kvsnprintf(line, sizeof(line), fmt, copy);
	va_end(copy);
	if (n < (int)sizeof(line)) {
		console_write(line, (size_t)n);
		return n;
	}
	console_write(line, sizeof(line) - 1);
	console_write("...[truncated]\n", 15);
	return n;
}

int kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = kvprintf(fmt, ap);
	va_end(ap);
	return n;
}
