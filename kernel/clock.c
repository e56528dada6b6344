/* clock.c - monotonic and wall clocks from the TSC and the CMOS RTC (see clock.h). */
#include <stdbool.h>
#include <stdint.h>

#include "kernel/clock.h"
#include "kernel/cpu.h"
#include "kernel/tsc.h"

static bool wall_read;
static uint64_t wall_at_tsc;   /* TSC when the RTC was read */
static uint64_t wall_epoch_ns; /* the RTC's time then */

int64_t clock_civil_to_epoch(int year, int month, int day, int hour, int minute, int second)
{
	/* Days from 1970-01-01, counting years from March so that leap days come last. */
	int64_t y = year - (month <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	int64_t days = era * 146097 + doe - 719468;
	return days * 86400 + hour * 3600 + minute * 60 + second;
}

int clock_bcd(uint8_t v)
{
	return (v >> 4) * 10 + (v & 0x0f);
}

static uint8_t cmos(uint8_t reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

/* The RTC's date, or 0 when there is none (every register reads 0xff). */
static uint64_t rtc_epoch_seconds(void)
{
	/* Wait (bounded) for a moment with no update in progress. */
	for (int i = 0; i < 100000 && (cmos(0x0a) & 0x80); i++)
		;
	uint8_t sec = cmos(0x00), min = cmos(0x02), hour = cmos(0x04);
	uint8_t day = cmos(0x07), mon = cmos(0x08), year = cmos(0x09), century = cmos(0x32);
	uint8_t status_b = cmos(0x0b);
	if (sec == 0xff && mon == 0xff)
		return 0;
	bool pm = hour & 0x80;
	hour &= 0x7f;
	if (!(status_b & 0x04)) { /* BCD */
		sec = (uint8_t)clock_bcd(sec);
		min = (uint8_t)clock_bcd(min);
		hour = (uint8_t)clock_bcd(hour);
		day = (uint8_t)clock_bcd(day);
		mon = (uint8_t)clock_bcd(mon);
		year = (uint8_t)clock_bcd(year);
		century = (uint8_t)clock_bcd(century);
	}
	if (!(status_b & 0x02)) { /* 12-hour clock */
		hour %= 12;
		if (pm)
			hour += 12;
	}
	int full_year = (century >= 19 && century <= 30 ? century : 20) * 100 + year;
	if (mon < 1 || mon > 12 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 60)
		return 0;
	int64_t s = clock_civil_to_epoch(full_year, mon, day, hour, min, sec);
	return s > 0 ? (uint64_t)s : 0;
}

static uint64_t tsc_to_ns(uint64_t ticks)
{
	const char *source;
	uint64_t hz = tsc_frequency(&source);

	if (!hz)
		hz = 1000000000ull; /* unknown: count ticks as nanoseconds rather than stop */
	return ticks / hz * 1000000000ull + ticks % hz * 1000000000ull / hz;
}

uint64_t clock_monotonic_ns(void)
{
	return tsc_to_ns(rdtsc());
}

uint64_t clock_tsc_to_ns(uint64_t ticks)
{
	return tsc_to_ns(ticks);
}

uint64_t clock_realtime_ns(void)
{
	if (!wall_read) {
		wall_at_tsc = rdtsc();
		wall_epoch_ns = rtc_epoch_seconds() * 1000000000ull;
		wall_read = true;
	}
	return wall_epoch_ns + tsc_to_ns(rdtsc() - wall_at_tsc);
}

uint64_t clock_ns_to_tsc(uint64_t ns)
{
	const char *source;
	uint64_t hz = tsc_frequency(&source);

	if (!hz)
		hz = 1000000000ull;
	return ns / 1000000000ull * hz + ns % 1000000000ull * hz / 1000000000ull;
}

uint64_t clock_resolution_ns(void)
{
	const char *source;
	uint64_t hz = tsc_frequency(&source);

	return hz >= 1000000000ull || !hz ? 1 : (1000000000ull + hz - 1) / hz;
}
