/* clockcal.c - a count-down clock's rate against the TSC (see clockcal.h). */
#include <stdbool.h>
#include <stdint.h>

#include "kernel/clockcal.h"

/* Readings taken first to find the narrowest bracket. */
#define PROBE_READINGS 8
/* The readings used are this many brackets apart at least (error at most 1/32). */
#define SPAN_IN_BRACKETS 32

struct reading {
	uint64_t mid;   /* TSC halfway through the bracket */
	uint64_t width; /* TSC ticks between the two reads around the counter's */
	uint32_t count;
};

static struct reading take(const struct clockcal_source *src)
{
	struct reading r;
	uint64_t before = src->tsc(src->ctx);
	r.count = src->counter(src->ctx);
	uint64_t after = src->tsc(src->ctx);
	r.width = after - before;
	r.mid = before + r.width / 2;
	return r;
}

uint64_t clockcal_rate_q16(const struct clockcal_source *src, uint32_t span)
{
	uint64_t narrowest = UINT64_MAX;
	unsigned taken = 0;

	for (; taken < PROBE_READINGS; taken++) {
		struct reading r = take(src);
		if (r.width < narrowest)
			narrowest = r.width;
	}
	/* A bracket of 0 (a coarse fake clock) still allows one tick of slack. */
	uint64_t allowed = 2 * narrowest + 1;
	bool started = false;
	struct reading first = {0, 0, 0};

	while (taken++ < CLOCKCAL_MAX_READINGS) {
		struct reading r = take(src);
		if (r.count == 0) {
			started = false; /* ran out: the next reading starts again */
			continue;
		}
		if (r.width > allowed)
			continue;
		if (!started || r.count > first.count) {
			first = r;
			started = true;
			continue;
		}
		uint64_t counted = first.count - r.count;
		uint64_t elapsed = r.mid - first.mid;
		if (counted < span || elapsed < SPAN_IN_BRACKETS * allowed)
			continue;
		/* Both below 2^32 counter ticks; elapsed TSC ticks fit 48 bits in any
		 * measurement that ends (2^48 ticks are days). */
		uint64_t rate = (counted << 16) / elapsed;
		return rate ? rate : 1;
	}
	return 0;
}
