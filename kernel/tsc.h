/* tsc.h - the time-stamp counter's frequency, without waiting where the CPU or the
 * hypervisor can tell it. */
#ifndef KERNEL_TSC_H
#define KERNEL_TSC_H

#include <stdint.h>

/* tsc_frequency - TSC ticks per second and where the figure came from, tried in this
 * order: "cpuid 0x15", "hypervisor 0x40000010", "kvmclock", "cpuid 0x16", "PIT
 * calibration", "PIT channel 0 calibration" ("unknown" and 0 when nothing could tell).
 * Only the PIT ones wait (about 10 ms, once). Call after the move into the linear range
 * (kvmclock needs the image's physical address). */
uint64_t tsc_frequency(const char **source);

/* tsc_to_us - convert a tick count to microseconds at @hz (0 when @hz is 0). */
uint64_t tsc_to_us(uint64_t ticks, uint64_t hz);

#endif
