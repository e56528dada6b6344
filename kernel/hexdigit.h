/* hexdigit.h - the value of one hexadecimal digit, for the parsers that read numbers in
 * text (virtio/mmio_param.c, posix/fs/cpio.c). Pure; usable on the host too. */
#ifndef KERNEL_HEXDIGIT_H
#define KERNEL_HEXDIGIT_H

/* hex_digit_value - 0-15 for '0'-'9', 'a'-'f', 'A'-'F'; -1 for anything else (so that
 * (unsigned)hex_digit_value(c) < radix checks a digit of any radix up to 16). */
static inline int hex_digit_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif
