/* mmio_param.c - parsing "virtio_mmio.device=SIZE@BASE:IRQ[:ID]" (mmio_param.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "kernel/hexdigit.h"
#include "virtio/mmio_param.h"

/* An unsigned integer at *@p in @radix (0: C's prefixes decide), without overflow; *@p is
 * left after it. Returns false when there is no digit or the value does not fit. */
static bool parse_number(const char **p, unsigned radix, uint64_t *out)
{
	const char *s = *p;
	uint64_t v = 0;
	int digits = 0;

	if (radix == 0) {
		radix = 10;
		if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
		    (unsigned)hex_digit_value(s[2]) < 16) {
			radix = 16;
			s += 2;
		} else if (s[0] == '0') {
			radix = 8;
		}
	}
	for (; (unsigned)hex_digit_value(*s) < radix; s++, digits++) {
		unsigned d = (unsigned)hex_digit_value(*s);
		if (v > (UINT64_MAX - d) / radix)
			return false;
		v = v * radix + d;
	}
	*p = s;
	*out = v;
	return digits > 0;
}

static int fail(const char **why, const char *reason)
{
	if (why)
		*why = reason;
	return -EINVAL;
}

int mmio_param_parse(const char *text, struct mmio_param *out, const char **why)
{
	const char *p = text ? text : "";
	uint64_t size, base, irq, id;
	unsigned shift = 0;

	if (!parse_number(&p, 0, &size))
		return fail(why, "bad size");
	/* memparse's multipliers: K, M, G, T, P, E (either case) are 2^10 apart. */
	static const char suffixes[] = "KMGTPE";
	for (int i = 0; suffixes[i]; i++) {
		if ((*p & ~0x20) == suffixes[i]) {
			shift = 10u * (unsigned)(i + 1);
			p++;
			break;
		}
	}
	if (shift && size > UINT64_MAX >> shift)
		return fail(why, "size too large");
	size <<= shift;
	if (*p != '@')
		return fail(why, "no '@' after the size");
	p++;
	if (!parse_number(&p, 0, &base))
		return fail(why, "bad base address");
	if (*p != ':')
		return fail(why, "no ':' after the base address");
	p++;
	if (!parse_number(&p, 10, &irq))
		return fail(why, "bad IRQ");
	if (*p == ':') {
		p++;
		if (!parse_number(&p, 10, &id))
			return fail(why, "bad device ID");
	}
	if (*p)
		return fail(why, "unexpected text after the IRQ");
	if (size < MMIO_PARAM_MIN_SIZE)
		return fail(why, "size smaller than the register block (0x100)");
	if (base & 3)
		return fail(why, "base address not 4-byte aligned");
	if (base + size - 1 < base)
		return fail(why, "range past the end of the address space");
	if (irq > MMIO_PARAM_MAX_IRQ)
		return fail(why, "IRQ out of range");
	*out = (struct mmio_param){base, size, (uint32_t)irq};
	return 0;
}
