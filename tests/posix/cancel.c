/* cancel.c - differential test of deferred cancellation: threads blocked in
 * pthread_cond_wait (the cleanup handler finds the mutex held), pthread_cond_timedwait,
 * sleep, read on a pipe, sem_wait, poll and pthread_join are canceled and join with
 * PTHREAD_CANCELED; cancellation disabled then enabled with pthread_testcancel; cleanup
 * handlers in reverse order, then key destructors; the cancel state and type calls;
 * pthread_cancel of a thread that has finished. A cancel is sticky, so whether the target
 * has blocked yet when it is canceled (Linux: perhaps not) changes nothing printed. */
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

static sem_t started; /* each target posts it just before it blocks */

static void say(void *arg)
{
	printf("  cleanup: %s\n", (const char *)arg);
}

static void join_report(const char *what, pthread_t t)
{
	void *value = NULL;
	int err = pthread_join(t, &value);

	printf("%s: join %s, %s\n", what, errname(err),
	       value == PTHREAD_CANCELED ? "PTHREAD_CANCELED" : "other value");
}

/* Cancel @t and join it; the results are printed after the join, after what the
 * canceled thread printed. */
static void cancel_join(const char *what, pthread_t t)
{
	void *value = NULL;
	int cancel_err = pthread_cancel(t);
	int err = pthread_join(t, &value);

	printf("%s: cancel %s, join %s, %s\n", what, errname(cancel_err), errname(err),
	       value == PTHREAD_CANCELED ? "PTHREAD_CANCELED" : "other value");
}

/* Start @fn, wait until it said it is about to block, cancel it, join it. */
static void cancel_blocked(const char *what, void *(*fn)(void *), void *arg)
{
	pthread_t t;

	pthread_create(&t, NULL, fn, arg);
	sem_wait(&started);
	cancel_join(what, t);
}

/* --- pthread_cond_wait / timedwait: the handler runs with the mutex held --- */

static pthread_mutex_t mutex;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;

static void unlock_mutex(void *arg)
{
	(void)arg;
	/* An error-checking mutex: unlocking succeeds only for its owner. */
	printf("  cleanup: unlock %s\n", errname(pthread_mutex_unlock(&mutex)));
}

static void *cond_waiter(void *arg)
{
	int timed = (int)(intptr_t)arg;

	pthread_mutex_lock(&mutex);
	pthread_cleanup_push(unlock_mutex, NULL);
	sem_post(&started);
	for (;;) {
		if (timed) {
			struct timespec t;
			clock_gettime(CLOCK_REALTIME, &t);
			t.tv_sec += 60;
			pthread_cond_timedwait(&cond, &mutex, &t);
		} else {
			pthread_cond_wait(&cond, &mutex);
		}
	}
	pthread_cleanup_pop(0);
	return NULL;
}

/* --- sleep, read on a pipe, sem_wait, poll --- */

static void *sleeper(void *arg)
{
	(void)arg;
	pthread_cleanup_push(say, "sleep");
	sem_post(&started);
	sleep(60);
	printf("  sleep returned\n");
	pthread_cleanup_pop(0);
	return NULL;
}

static int fds[2];

static void *reader(void *arg)
{
	char c;

	(void)arg;
	pthread_cleanup_push(say, "read");
	sem_post(&started);
	ssize_t n = read(fds[0], &c, 1);
	printf("  read returned %zd\n", n);
	pthread_cleanup_pop(0);
	return NULL;
}

static sem_t never;

static void *sem_waiter(void *arg)
{
	(void)arg;
	pthread_cleanup_push(say, "sem_wait");
	sem_post(&started);
	sem_wait(&never);
	printf("  sem_wait returned\n");
	pthread_cleanup_pop(0);
	return NULL;
}

static void *poller(void *arg)
{
	struct pollfd p = {.fd = fds[0], .events = POLLIN};

	(void)arg;
	pthread_cleanup_push(say, "poll");
	sem_post(&started);
	int n = poll(&p, 1, -1);
	printf("  poll returned %d\n", n);
	pthread_cleanup_pop(0);
	return NULL;
}

/* --- pthread_join: the canceled joiner leaves its target joinable --- */

static pthread_t join_target;

static void *joiner(void *arg)
{
	(void)arg;
	pthread_cleanup_push(say, "join");
	sem_post(&started);
	pthread_join(join_target, NULL);
	printf("  join returned\n");
	pthread_cleanup_pop(0);
	return NULL;
}

static void *blocked_forever(void *arg)
{
	(void)arg;
	pthread_cleanup_push(say, "join target");
	sem_wait(&never);
	pthread_cleanup_pop(0);
	return NULL;
}

/* --- disabled, then enabled; handler order; key destructors --- */

static sem_t go;
static pthread_key_t key;
static int enable_err = -1, enable_old = -1; /* printed by main: printf is a cancellation point */

static void destructor(void *value)
{
	printf("  destructor: %s\n", (const char *)value);
}

static void *disabled(void *arg)
{
	int old = -1;

	(void)arg;
	printf("  disable: %s", errname(pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old)));
	printf(", old %s\n", old == PTHREAD_CANCEL_ENABLE ? "ENABLE" : "other");
	pthread_setspecific(key, "key value");
	pthread_cleanup_push(say, "first pushed");
	pthread_cleanup_push(say, "popped and run");
	pthread_cleanup_pop(1);
	pthread_cleanup_push(say, "second pushed");
	pthread_cleanup_push(say, "third pushed");
	sem_post(&started);
	/* A cancellation point, but cancellation is disabled: it returns normally. */
	printf("  sem_wait with cancel disabled: %d\n", sem_wait(&go));
	usleep(1000);
	pthread_testcancel();
	printf("  still running after testcancel while disabled\n");
	/* Deferred: enabling does not act at once; pthread_testcancel does. */
	enable_err = pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, &enable_old);
	pthread_testcancel();
	printf("  not reached\n");
	pthread_cleanup_pop(0);
	pthread_cleanup_pop(0);
	pthread_cleanup_pop(0);
	return NULL;
}

static void *finishes(void *arg)
{
	(void)arg;
	sem_post(&started);
	return (void *)(intptr_t)42;
}

static void state_calls(void)
{
	int old = -1;

	printf("setcancelstate bad: %s\n", errname(pthread_setcancelstate(99, &old)));
	printf("setcanceltype bad: %s\n", errname(pthread_setcanceltype(99, &old)));
	printf("setcanceltype async: %s",
	       errname(pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, &old)));
	printf(", old %s\n", old == PTHREAD_CANCEL_DEFERRED ? "DEFERRED" : "other");
	printf("setcanceltype deferred: %s",
	       errname(pthread_setcanceltype(PTHREAD_CANCEL_DEFERRED, &old)));
	printf(", old %s\n", old == PTHREAD_CANCEL_ASYNCHRONOUS ? "ASYNCHRONOUS" : "other");
}

int main(void)
{
	pthread_mutexattr_t ma;

	setvbuf(stdout, NULL, _IONBF, 0);
	sem_init(&started, 0, 0);
	sem_init(&never, 0, 0);
	sem_init(&go, 0, 0);
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_ERRORCHECK);
	pthread_mutex_init(&mutex, &ma);
	pipe(fds);
	pthread_key_create(&key, destructor);

	state_calls();

	/* The main thread takes the mutex once the waiter is in pthread_cond_wait. */
	cancel_blocked("cond_wait", cond_waiter, (void *)0);
	printf("cond_wait: mutex free again: %s\n", errname(pthread_mutex_trylock(&mutex)));
	pthread_mutex_unlock(&mutex);
	cancel_blocked("cond_timedwait", cond_waiter, (void *)1);
	printf("cond_timedwait: mutex free again: %s\n", errname(pthread_mutex_trylock(&mutex)));
	pthread_mutex_unlock(&mutex);

	cancel_blocked("sleep", sleeper, NULL);
	cancel_blocked("read", reader, NULL);
	cancel_blocked("sem_wait", sem_waiter, NULL);
	cancel_blocked("poll", poller, NULL);
	/* The pipe still works: the canceled read and poll let it go. */
	char c = 0;
	ssize_t wrote = write(fds[1], "x", 1);
	ssize_t got = read(fds[0], &c, 1);
	printf("pipe after: write %zd, read %zd '%c'\n", wrote, got, c);

	pthread_create(&join_target, NULL, blocked_forever, NULL);
	cancel_blocked("join", joiner, NULL);
	cancel_join("join target", join_target);

	pthread_t t;
	pthread_create(&t, NULL, disabled, NULL);
	sem_wait(&started);
	int cancel_err = pthread_cancel(t);
	sem_post(&go);
	join_report("disabled", t);
	printf("disabled: cancel %s, enable %s, old %s\n", errname(cancel_err), errname(enable_err),
	       enable_old == PTHREAD_CANCEL_DISABLE ? "DISABLE" : "other");

	pthread_create(&t, NULL, finishes, NULL);
	sem_wait(&started);
	usleep(50000); /* let it end (on VMOS it has; on Linux the result is the same) */
	printf("finished: cancel %s\n", errname(pthread_cancel(t)));
	void *value = NULL;
	printf("finished: join %s", errname(pthread_join(t, &value)));
	printf(", value %d\n", (int)(intptr_t)value);
	return 0;
}
