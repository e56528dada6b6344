/* time.c - differential test of the clocks and sleeps: clock_gettime and clock_getres on
 * the realtime and monotonic clocks and their coarse forms, gettimeofday and time against
 * each other, nanosleep/usleep/sleep/clock_nanosleep accuracy within a tolerance, and the
 * error paths. Times are printed as yes/no against bounds, never as values. The
 * tolerance for oversleeping is generous: tests run on loaded machines and, for VMOS,
 * under an emulator. */
#include <stdint.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

#define OVERSLEEP_LIMIT_MS 400

static int64_t ns_of(const struct timespec *t)
{
	return (int64_t)t->tv_sec * 1000000000 + t->tv_nsec;
}

static int64_t monotonic_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return ns_of(&t);
}

static void show(const char *what, int rc)
{
	printf("%s: %d %s\n", what, rc, rc ? errname(errno) : "");
}

static void test_clocks(void)
{
	static const struct {
		const char *name;
		clockid_t id;
		int coarse;
	} clocks[] = {
	    {"CLOCK_REALTIME", CLOCK_REALTIME, 0},
	    {"CLOCK_MONOTONIC", CLOCK_MONOTONIC, 0},
	    {"CLOCK_REALTIME_COARSE", CLOCK_REALTIME_COARSE, 1},
	    {"CLOCK_MONOTONIC_COARSE", CLOCK_MONOTONIC_COARSE, 1},
	};
	struct timespec t, res;

	for (unsigned i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
		int rc = clock_gettime(clocks[i].id, &t);
		printf("%s: gettime %d, nsec in range %d", clocks[i].name, rc,
		       t.tv_nsec >= 0 && t.tv_nsec < 1000000000);
		rc = clock_getres(clocks[i].id, &res);
		/* Linux's coarse clocks tick at the kernel's HZ: only the fine ones are checked. */
		printf(", getres %d, resolution at most 1 ms %d\n", rc,
		       clocks[i].coarse || (res.tv_sec == 0 && res.tv_nsec <= 1000000));
	}
	errno = 0;
	show("clock_gettime(12345)", clock_gettime((clockid_t)12345, &t));
	errno = 0;
	show("clock_getres(12345)", clock_getres((clockid_t)12345, &res));
	show("clock_getres(REALTIME, NULL)", clock_getres(CLOCK_REALTIME, NULL));
}

static void test_wall_clock(void)
{
	struct timespec ts;
	struct timeval tv;
	time_t now, t2;

	clock_gettime(CLOCK_REALTIME, &ts);
	gettimeofday(&tv, NULL);
	now = time(&t2);
	printf("wall clock after 2024-01-01: %d\n", ts.tv_sec > 1704067200);
	printf("gettimeofday within 2 s of clock_gettime: %d, usec in range: %d\n",
	       tv.tv_sec - ts.tv_sec <= 2 && tv.tv_sec >= ts.tv_sec,
	       tv.tv_usec >= 0 && tv.tv_usec < 1000000);
	printf("time() within 2 s and stored: %d %d\n", now - ts.tv_sec <= 2 && now >= ts.tv_sec,
	       t2 == now);
	struct tm tm;
	gmtime_r(&now, &tm);
	printf("gmtime year plausible: %d\n",
	       tm.tm_year + 1900 >= 2024 && tm.tm_year + 1900 < 2200);
}

static void test_monotonic(void)
{
	int64_t prev = monotonic_ns(), backwards = 0;

	for (int i = 0; i < 10000; i++) {
		int64_t now = monotonic_ns();
		if (now < prev)
			backwards++;
		prev = now;
	}
	printf("monotonic went backwards: %ld times in 10000 reads\n", (long)backwards);
}

/* Run @sleep_call of @ms milliseconds; prints whether it slept at least that long and
 * not more than the tolerance beyond. */
static void check_sleep(const char *what, long ms, int rc, int64_t start)
{
	int64_t took_ms = (monotonic_ns() - start) / 1000000;

	printf("%s %ld ms: rc %d, slept long enough %d, overslept less than %d ms %d\n", what, ms,
	       rc, took_ms >= ms, OVERSLEEP_LIMIT_MS, took_ms < ms + OVERSLEEP_LIMIT_MS);
}

static void test_sleeps(void)
{
	struct timespec req = {0, 20 * 1000000}, rem = {5, 5};
	int64_t start;

	start = monotonic_ns();
	check_sleep("nanosleep", 20, nanosleep(&req, &rem), start);
	printf("nanosleep remainder untouched or zero: %d\n",
	       (rem.tv_sec == 5 && rem.tv_nsec == 5) || (rem.tv_sec == 0 && rem.tv_nsec == 0));
	for (int i = 0; i < 3; i++) {
		req.tv_nsec = 1000000;
		start = monotonic_ns();
		check_sleep("nanosleep", 1, nanosleep(&req, NULL), start);
	}
	start = monotonic_ns();
	check_sleep("usleep", 15, usleep(15000), start);
	start = monotonic_ns();
	check_sleep("sleep", 1000, (int)sleep(1), start);
	printf("sleep(0): %u\n", sleep(0));
	req.tv_sec = 0;
	req.tv_nsec = 0;
	printf("nanosleep 0: %d\n", nanosleep(&req, NULL));

	struct timespec deadline;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_nsec += 25 * 1000000;
	if (deadline.tv_nsec >= 1000000000) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000;
	}
	start = monotonic_ns();
	int err = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, NULL);
	check_sleep("clock_nanosleep absolute", 25, err, start);
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec -= 1;
	start = monotonic_ns();
	err = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, NULL);
	check_sleep("clock_nanosleep to a past time", 0, err, start);
	req.tv_sec = 0;
	req.tv_nsec = 10 * 1000000;
	start = monotonic_ns();
	err = clock_nanosleep(CLOCK_REALTIME, 0, &req, NULL);
	check_sleep("clock_nanosleep relative on REALTIME", 10, err, start);

	req.tv_nsec = 1000000000;
	errno = 0;
	show("nanosleep tv_nsec 1e9", nanosleep(&req, NULL));
	req.tv_nsec = -1;
	errno = 0;
	show("nanosleep tv_nsec -1", nanosleep(&req, NULL));
	req.tv_sec = -1;
	req.tv_nsec = 0;
	errno = 0;
	show("nanosleep tv_sec -1", nanosleep(&req, NULL));
	printf("clock_nanosleep on a bad clock: %s\n",
	       errname(clock_nanosleep((clockid_t)12345, 0, &req, NULL)));
	req.tv_sec = 0;
	req.tv_nsec = 1000000000;
	printf("clock_nanosleep tv_nsec 1e9: %s\n",
	       errname(clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL)));
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_clocks();
	test_wall_clock();
	test_monotonic();
	test_sleeps();
	return 0;
}
