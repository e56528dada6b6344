/* clock.h - the kernel's clocks in nanoseconds: monotonic (the TSC, at the frequency
 * kernel/tsc.c finds) and wall time (the CMOS RTC read once at first use, then carried by
 * the monotonic clock). Without an RTC (a microvm with rtc=off) wall time starts at the
 * epoch. */
#ifndef KERNEL_CLOCK_H
#define KERNEL_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

/* clock_monotonic_ns - nanoseconds since the VM started (TSC 0); never goes back. */
uint64_t clock_monotonic_ns(void);

/* clock_realtime_ns - nanoseconds since 1970-01-01 00:00:00 UTC. */
uint64_t clock_realtime_ns(void);

/* clock_ns_to_tsc - the TSC value at monotonic time @ns (for deadlines). */
uint64_t clock_ns_to_tsc(uint64_t ns);

/* clock_tsc_to_ns - @ticks TSC ticks in nanoseconds (a duration, such as CPU time). */
uint64_t clock_tsc_to_ns(uint64_t ticks);

/* clock_resolution_ns - the monotonic clock's step: 1 ns or coarser for slow TSCs. */
uint64_t clock_resolution_ns(void);

/* clock_civil_to_epoch - seconds since the epoch for a UTC calendar date and time
 * (proleptic Gregorian; @month 1-12, @day 1-31). Pure arithmetic, for the RTC. */
int64_t clock_civil_to_epoch(int year, int month, int day, int hour, int minute, int second);

/* clock_bcd - decode one packed-BCD byte (the RTC's default format). */
int clock_bcd(uint8_t v);

#endif
