/* overflow.c - a thread with a 64 KiB stack recurses until it runs off its stack slot's
 * limit. Expected: "PANIC: stack overflow in stack slot N" from the kernel. */
#include <pthread.h>
#include <stdio.h>

static int depth_reached;

static int recurse(int depth)
{
	volatile char frame[512];

	frame[0] = (char)depth;
	depth_reached = depth;
	return recurse(depth + 1) + frame[0];
}

static void *run_away(void *arg)
{
	(void)arg;
	return (void *)(long)recurse(0);
}

int main(void)
{
	pthread_attr_t attr;
	pthread_t t;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	if (pthread_create(&t, &attr, run_away, NULL)) {
		printf("pthread_create failed\n");
		return 1;
	}
	printf("thread started, recursing\n");
	pthread_join(t, NULL);
	printf("not reached: depth %d\n", depth_reached);
	return 0;
}
