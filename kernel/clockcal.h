/* clockcal.h - the rate of a count-down clock against the TSC, for the APIC's one-shot
 * timer. Each reading of the counter is bracketed by two TSC reads, and one whose bracket
 * is wide (the vCPU was descheduled, or the read waited for the hypervisor's lock) is not
 * used: a pause between the two clocks' reads would otherwise skew the rate by as much as
 * the pause is long against the measurement, and a rate measured too high makes every
 * timer fire that much too late. Pure logic over two callbacks, host-tested with clocks
 * that pause. */
#ifndef KERNEL_CLOCKCAL_H
#define KERNEL_CLOCKCAL_H

#include <stdint.h>

struct clockcal_source {
	uint64_t (*tsc)(void *ctx);     /* the TSC (counts up) */
	uint32_t (*counter)(void *ctx); /* the clock measured: counts down, stops at 0 */
	void *ctx;
};

/* How many readings clockcal_rate_q16 takes at most before it gives up. */
#define CLOCKCAL_MAX_READINGS 1000000u

/* clockcal_rate_q16 - @src's counter ticks per 2^16 TSC ticks, from two readings whose
 * brackets are at most twice the narrowest of a first few, at least @span counter ticks
 * apart and far enough apart that the brackets add at most 1/32 (3 %) to the error.
 * The counter must be running and must not reach 0 during the measurement (a reading of
 * 0 starts it again from the next one). Returns 0 when no trustworthy pair came within
 * CLOCKCAL_MAX_READINGS readings, or the counter did not move. */
uint64_t clockcal_rate_q16(const struct clockcal_source *src, uint32_t span);

#endif
