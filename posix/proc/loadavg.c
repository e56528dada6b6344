/* loadavg.c - getloadavg: Linux's three load averages (1, 5 and 15 minutes, decayed every
 * 5 seconds), sampled when asked rather than by a timer: each 5-second step since the last
 * call gets the same sample, the CPU's busy fraction over that time (the scheduler's CPU
 * time over the wall time: on one CPU, the average number of running threads) plus the
 * threads waiting to run now. */
#include <stdint.h>
#include <stdlib.h>

#include "kernel/clock.h"
#include "kernel/sched.h"

#define STEP_NS   5000000000ull
#define MAX_STEPS 4096              /* after this many steps every average is the sample */
#define DECAY_1M  0.920044414629323 /* e^(-5/60) */
#define DECAY_5M  0.983471453821617 /* e^(-5/300) */
#define DECAY_15M 0.994459848001932 /* e^(-5/900) */

static double averages[3];
static uint64_t last_ns, last_cpu_ns;

static void update(void)
{
	static const double decay[3] = {DECAY_1M, DECAY_5M, DECAY_15M};
	uint64_t now = clock_monotonic_ns(), cpu = clock_tsc_to_ns(sched_cpu_tsc());
	uint64_t steps = (now - last_ns) / STEP_NS;

	if (steps == 0)
		return;
	double busy = (double)(cpu - last_cpu_ns) / (double)(now - last_ns);
	double sample = (busy > 1 ? 1 : busy) + (sched_runnable_count() - 1);
	for (int i = 0; i < 3; i++) {
		if (steps >= MAX_STEPS) {
			averages[i] = sample;
			continue;
		}
		for (uint64_t s = 0; s < steps; s++)
			averages[i] = averages[i] * decay[i] + sample * (1 - decay[i]);
	}
	last_ns += steps * STEP_NS;
	last_cpu_ns = cpu;
}

/* getloadavg - up to 3 of the averages into @loadavg (glibc: more than 3 asked is 3, a
 * negative count is 0). Returns how many were stored. */
int getloadavg(double loadavg[], int nelem)
{
	update();
	if (nelem > 3)
		nelem = 3;
	for (int i = 0; i < nelem; i++)
		loadavg[i] = averages[i];
	return nelem < 0 ? 0 : nelem;
}
