/* threads.c - differential test of POSIX threads: create/join/detach/exit, the three mutex
 * kinds, condition variables (ping-pong and timed waits on both clocks), once, keys with
 * destructors, read-write locks, semaphores, a pipe between two threads, cleanup handlers
 * and attributes. Everything printed is decided by the program's logic, never by the
 * order a scheduler happens to pick, so Linux (preemptive, many CPUs) and VMOS
 * (cooperative, one CPU) must print the same. */
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

static void report(const char *what, int err)
{
	printf("%s: %s\n", what, errname(err));
}

static long elapsed_ms(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000 + (b->tv_nsec - a->tv_nsec) / 1000000;
}

static struct timespec in_ms(clockid_t clock, long ms)
{
	struct timespec t;

	clock_gettime(clock, &t);
	t.tv_sec += ms / 1000;
	t.tv_nsec += (ms % 1000) * 1000000;
	if (t.tv_nsec >= 1000000000) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000;
	}
	return t;
}

/* --- create, join, exit, equal --- */

static pthread_t main_thread;

static void *square(void *arg)
{
	intptr_t n = (intptr_t)arg;

	if (!pthread_equal(pthread_self(), pthread_self()) ||
	    pthread_equal(pthread_self(), main_thread))
		return (void *)-1;
	return (void *)(n * n);
}

static void *exits_early(void *arg)
{
	(void)arg;
	pthread_exit((void *)77);
	return NULL;
}

static void test_create_join(void)
{
	pthread_t t[8];
	void *ret;
	long sum = 0;

	main_thread = pthread_self();
	for (intptr_t i = 0; i < 8; i++)
		if (pthread_create(&t[i], NULL, square, (void *)i))
			printf("create %ld failed\n", (long)i);
	for (int i = 0; i < 8; i++) {
		pthread_join(t[i], &ret);
		sum += (long)(intptr_t)ret;
	}
	printf("sum of squares 0..7 from threads: %ld\n", sum);
	pthread_create(&t[0], NULL, exits_early, NULL);
	pthread_join(t[0], &ret);
	printf("pthread_exit value: %ld\n", (long)(intptr_t)ret);
	report("join self", pthread_join(pthread_self(), NULL));
	printf("equal(self, self): %d\n", pthread_equal(pthread_self(), pthread_self()) != 0);
	report("sched_yield", sched_yield() ? errno : 0);
}

/* --- detached threads --- */

static sem_t detached_done;
static int detached_ran;

static void *detached_worker(void *arg)
{
	(void)arg;
	__atomic_fetch_add(&detached_ran, 1, __ATOMIC_SEQ_CST);
	sem_post(&detached_done);
	return NULL;
}

static void test_detach(void)
{
	pthread_attr_t attr;
	pthread_t t;
	int state;

	sem_init(&detached_done, 0, 0);
	pthread_attr_init(&attr);
	pthread_attr_getdetachstate(&attr, &state);
	printf("default detach state joinable: %d\n", state == PTHREAD_CREATE_JOINABLE);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	for (int i = 0; i < 3; i++)
		pthread_create(&t, &attr, detached_worker, NULL);
	pthread_attr_destroy(&attr);
	pthread_create(&t, NULL, detached_worker, NULL);
	report("pthread_detach", pthread_detach(t));
	for (int i = 0; i < 4; i++)
		sem_wait(&detached_done);
	printf("detached threads ran: %d\n", detached_ran);
	sem_destroy(&detached_done);
}

/* --- attributes --- */

static void *stack_user(void *arg)
{
	volatile char buf[8192];

	buf[0] = (char)(intptr_t)arg;
	buf[sizeof(buf) - 1] = buf[0];
	return (void *)(intptr_t)(buf[sizeof(buf) - 1] + 1);
}

static void test_attributes(void)
{
	pthread_attr_t attr;
	pthread_t t;
	size_t size;
	void *ret;

	pthread_attr_init(&attr);
	report("setstacksize below PTHREAD_STACK_MIN", pthread_attr_setstacksize(&attr, 1024));
	report("setstacksize 256 KiB", pthread_attr_setstacksize(&attr, 256 * 1024));
	pthread_attr_getstacksize(&attr, &size);
	printf("stack size read back: %zu\n", size);
	report("setdetachstate 42", pthread_attr_setdetachstate(&attr, 42));
	pthread_create(&t, &attr, stack_user, (void *)41);
	pthread_join(t, &ret);
	printf("thread on a 256 KiB stack returned %ld\n", (long)(intptr_t)ret);
	pthread_attr_destroy(&attr);
}

/* --- mutex kinds --- */

static void test_mutex_kinds(void)
{
	pthread_mutexattr_t attr;
	pthread_mutex_t normal = PTHREAD_MUTEX_INITIALIZER, recursive, check;

	report("normal lock", pthread_mutex_lock(&normal));
	report("normal trylock when held", pthread_mutex_trylock(&normal));
	report("normal unlock", pthread_mutex_unlock(&normal));
	report("normal destroy", pthread_mutex_destroy(&normal));

	pthread_mutexattr_init(&attr);
	report("settype 99", pthread_mutexattr_settype(&attr, 99));
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&recursive, &attr);
	report("recursive lock 1", pthread_mutex_lock(&recursive));
	report("recursive lock 2", pthread_mutex_lock(&recursive));
	report("recursive trylock 3", pthread_mutex_trylock(&recursive));
	for (int i = 1; i <= 3; i++)
		report("recursive unlock", pthread_mutex_unlock(&recursive));
	report("recursive unlock when free", pthread_mutex_unlock(&recursive));
	pthread_mutex_destroy(&recursive);

	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
	pthread_mutex_init(&check, &attr);
	report("errorcheck lock", pthread_mutex_lock(&check));
	report("errorcheck relock", pthread_mutex_lock(&check));
	report("errorcheck trylock", pthread_mutex_trylock(&check));
	report("errorcheck unlock", pthread_mutex_unlock(&check));
	report("errorcheck unlock when free", pthread_mutex_unlock(&check));
	pthread_mutex_destroy(&check);
	pthread_mutexattr_destroy(&attr);
}

/* --- a counter shared by threads that yield while holding the mutex --- */

static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *count_up(void *arg)
{
	(void)arg;
	for (int i = 0; i < 500; i++) {
		pthread_mutex_lock(&counter_lock);
		long seen = counter;
		if (i % 50 == 0)
			sched_yield(); /* others must wait for the lock, not lose updates */
		counter = seen + 1;
		pthread_mutex_unlock(&counter_lock);
	}
	return NULL;
}

static void test_mutex_counter(void)
{
	pthread_t t[4];

	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, count_up, NULL);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	printf("counter after 4 x 500 locked increments: %ld\n", counter);
}

/* --- condition variable ping-pong --- */

static pthread_mutex_t pp_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pp_cond = PTHREAD_COND_INITIALIZER;
static int pp_turn; /* 0: ping's turn, 1: pong's */
static int pp_rounds[2];
static int pp_out_of_turn;

static void *ping_pong(void *arg)
{
	int me = (int)(intptr_t)arg;

	for (int i = 0; i < 200; i++) {
		pthread_mutex_lock(&pp_lock);
		while (pp_turn != me)
			pthread_cond_wait(&pp_cond, &pp_lock);
		/* ping's round k follows pong's round k-1; pong's follows ping's round k */
		if (pp_rounds[me] != pp_rounds[!me] - me)
			pp_out_of_turn++;
		pp_rounds[me]++;
		pp_turn = !me;
		pthread_cond_broadcast(&pp_cond);
		pthread_mutex_unlock(&pp_lock);
	}
	return NULL;
}

static void test_ping_pong(void)
{
	pthread_t a, b;

	pthread_create(&a, NULL, ping_pong, (void *)0);
	pthread_create(&b, NULL, ping_pong, (void *)1);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	printf("ping-pong rounds: %d and %d, out of turn: %d\n", pp_rounds[0], pp_rounds[1],
	       pp_out_of_turn);
}

/* --- timed waits --- */

static void timed_wait_on(const char *name, clockid_t clock)
{
	pthread_condattr_t attr;
	pthread_cond_t cond;
	pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	struct timespec start, end, deadline;

	pthread_condattr_init(&attr);
	report("condattr_setclock", pthread_condattr_setclock(&attr, clock));
	pthread_cond_init(&cond, &attr);
	pthread_mutex_lock(&lock);
	clock_gettime(CLOCK_MONOTONIC, &start);
	deadline = in_ms(clock, 50);
	int err = pthread_cond_timedwait(&cond, &lock, &deadline);
	clock_gettime(CLOCK_MONOTONIC, &end);
	printf("%s cond_timedwait 50 ms: %s, waited at least 50 ms: %d, "
	       "mutex held after: %s\n",
	       name, errname(err), elapsed_ms(&start, &end) >= 49,
	       errname(pthread_mutex_trylock(&lock)));
	deadline.tv_nsec = 1000000000;
	report("cond_timedwait with tv_nsec 1e9", pthread_cond_timedwait(&cond, &lock, &deadline));
	pthread_mutex_unlock(&lock);
	pthread_cond_destroy(&cond);
	pthread_condattr_destroy(&attr);
}

static pthread_mutex_t held_lock = PTHREAD_MUTEX_INITIALIZER;
static sem_t holder_ready, holder_release;

static void *hold_lock(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&held_lock);
	sem_post(&holder_ready);
	sem_wait(&holder_release);
	pthread_mutex_unlock(&held_lock);
	return NULL;
}

static void test_timed_waits(void)
{
	pthread_t holder;
	struct timespec deadline;

	timed_wait_on("REALTIME", CLOCK_REALTIME);
	timed_wait_on("MONOTONIC", CLOCK_MONOTONIC);

	sem_init(&holder_ready, 0, 0);
	sem_init(&holder_release, 0, 0);
	pthread_create(&holder, NULL, hold_lock, NULL);
	sem_wait(&holder_ready);
	deadline = in_ms(CLOCK_REALTIME, 30);
	report("mutex_timedlock on a held mutex", pthread_mutex_timedlock(&held_lock, &deadline));
	sem_post(&holder_release);
	pthread_join(holder, NULL);
	deadline = in_ms(CLOCK_REALTIME, 30);
	report("mutex_timedlock once free", pthread_mutex_timedlock(&held_lock, &deadline));
	pthread_mutex_unlock(&held_lock);
}

/* --- once --- */

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_runs;

static void init_once(void)
{
	once_runs++;
	sched_yield(); /* the others arrive while it runs and must wait */
}

static void *call_once(void *arg)
{
	(void)arg;
	pthread_once(&once, init_once);
	return (void *)(intptr_t)once_runs;
}

static void test_once(void)
{
	pthread_t t[4];
	int all_saw_it = 1;
	void *ret;

	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, call_once, NULL);
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], &ret);
		all_saw_it &= (intptr_t)ret == 1;
	}
	printf("once ran %d time(s), every caller returned after it: %d\n", once_runs, all_saw_it);
}

/* --- keys --- */

static pthread_key_t key;
static long destructed_sum;
static int destructor_calls;

static void destroy_value(void *value)
{
	__atomic_fetch_add(&destructor_calls, 1, __ATOMIC_SEQ_CST);
	__atomic_fetch_add(&destructed_sum, (long)(intptr_t)value, __ATOMIC_SEQ_CST);
}

static void *use_key(void *arg)
{
	void *before = pthread_getspecific(key);

	pthread_setspecific(key, arg);
	sched_yield();
	return (void *)(intptr_t)(before == NULL && pthread_getspecific(key) == arg);
}

static void test_keys(void)
{
	pthread_t t[3];
	int own_values = 1;
	void *ret;

	report("key_create", pthread_key_create(&key, destroy_value));
	pthread_setspecific(key, (void *)1000);
	for (intptr_t i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, use_key, (void *)(i + 1));
	for (int i = 0; i < 3; i++) {
		pthread_join(t[i], &ret);
		own_values &= (intptr_t)ret == 1;
	}
	printf("each thread saw only its own value: %d\n", own_values);
	printf("destructor calls: %d, sum of values: %ld\n", destructor_calls, destructed_sum);
	printf("main's value kept: %ld\n", (long)(intptr_t)pthread_getspecific(key));
	report("key_delete", pthread_key_delete(key));
}

/* --- read-write locks --- */

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;

static void *try_read(void *arg)
{
	(void)arg;
	int err = pthread_rwlock_tryrdlock(&rw);
	if (!err)
		pthread_rwlock_unlock(&rw);
	return (void *)(intptr_t)err;
}

static void *try_write(void *arg)
{
	(void)arg;
	int err = pthread_rwlock_trywrlock(&rw);
	if (!err)
		pthread_rwlock_unlock(&rw);
	return (void *)(intptr_t)err;
}

static int in_thread(void *(*fn)(void *))
{
	pthread_t t;
	void *ret;

	pthread_create(&t, NULL, fn, NULL);
	pthread_join(t, &ret);
	return (int)(intptr_t)ret;
}

static void test_rwlock(void)
{
	struct timespec deadline;

	report("rdlock", pthread_rwlock_rdlock(&rw));
	report("another reader while read-locked", in_thread(try_read));
	report("a writer while read-locked", in_thread(try_write));
	report("unlock", pthread_rwlock_unlock(&rw));
	report("wrlock", pthread_rwlock_wrlock(&rw));
	report("a reader while write-locked", in_thread(try_read));
	report("a writer while write-locked", in_thread(try_write));
	report("unlock", pthread_rwlock_unlock(&rw));
	report("a writer once free", in_thread(try_write));
	report("rdlock", pthread_rwlock_rdlock(&rw));
	deadline = in_ms(CLOCK_REALTIME, 20);
	report("timedwrlock by the reader itself", pthread_rwlock_timedwrlock(&rw, &deadline));
	pthread_rwlock_unlock(&rw);
	report("destroy", pthread_rwlock_destroy(&rw));
}

/* --- semaphores --- */

static sem_t items, spaces;
static int ring[4], ring_head, ring_tail;

static void *produce(void *arg)
{
	(void)arg;
	for (int i = 1; i <= 100; i++) {
		sem_wait(&spaces);
		ring[ring_head++ % 4] = i;
		sem_post(&items);
	}
	return NULL;
}

static void test_semaphores(void)
{
	pthread_t producer;
	sem_t empty;
	struct timespec deadline;
	long sum = 0;
	int value;

	sem_init(&items, 0, 0);
	sem_init(&spaces, 0, 4);
	pthread_create(&producer, NULL, produce, NULL);
	for (int i = 0; i < 100; i++) {
		sem_wait(&items);
		sum += ring[ring_tail++ % 4];
		sem_post(&spaces);
	}
	pthread_join(producer, NULL);
	printf("consumed 100 items through a 4-slot ring, sum %ld\n", sum);
	sem_getvalue(&spaces, &value);
	printf("free slots after: %d\n", value);

	sem_init(&empty, 0, 0);
	errno = 0;
	int rc = sem_trywait(&empty);
	printf("sem_trywait on 0: %d %s\n", rc, errname(errno));
	deadline = in_ms(CLOCK_REALTIME, 30);
	errno = 0;
	rc = sem_timedwait(&empty, &deadline);
	printf("sem_timedwait on 0: %d %s\n", rc, errname(errno));
	deadline.tv_nsec = -1;
	errno = 0;
	rc = sem_timedwait(&empty, &deadline);
	printf("sem_timedwait bad time: %d %s\n", rc, errname(errno));
	sem_post(&empty);
	printf("sem_trywait after post: %d\n", sem_trywait(&empty));
	sem_destroy(&empty);
	sem_destroy(&items);
	sem_destroy(&spaces);
}

/* --- a pipe between threads --- */

static int pipe_fds[2];

static void *pipe_writer(void *arg)
{
	static char chunk[3000];
	long total = 0;

	(void)arg;
	for (int i = 0; i < 100; i++) {
		for (size_t j = 0; j < sizeof(chunk); j++)
			chunk[j] = (char)(i + j);
		ssize_t n = write(pipe_fds[1], chunk, sizeof(chunk));
		if (n > 0)
			total += n;
	}
	close(pipe_fds[1]);
	return (void *)(intptr_t)total;
}

static void test_pipe_between_threads(void)
{
	pthread_t writer;
	char buf[4096];
	unsigned long sum = 0;
	long got = 0;
	ssize_t n;
	void *written;

	pipe(pipe_fds);
	pthread_create(&writer, NULL, pipe_writer, NULL);
	while ((n = read(pipe_fds[0], buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++)
			sum = sum * 31 + (unsigned char)buf[i];
		got += n;
	}
	pthread_join(writer, &written);
	close(pipe_fds[0]);
	printf("pipe between threads: wrote %ld, read %ld, checksum %lu\n", (long)(intptr_t)written,
	       got, sum);
}

/* --- cleanup handlers --- */

static char cleanup_order[8];
static int cleanup_n;

static void note_cleanup(void *arg)
{
	cleanup_order[cleanup_n++] = *(const char *)arg;
}

static void *with_cleanups(void *arg)
{
	(void)arg;
	pthread_cleanup_push(note_cleanup, "a");
	pthread_cleanup_push(note_cleanup, "b");
	pthread_cleanup_push(note_cleanup, "c");
	pthread_cleanup_pop(0); /* c: removed, not run */
	pthread_exit(NULL);     /* runs b, then a */
	pthread_cleanup_pop(0);
	pthread_cleanup_pop(0);
	return NULL;
}

static void test_cleanup(void)
{
	pthread_t t;

	pthread_create(&t, NULL, with_cleanups, NULL);
	pthread_join(t, NULL);
	printf("cleanup handlers ran: %s\n", cleanup_order);
}

/* --- barriers and spin locks --- */

static pthread_barrier_t barrier;
static pthread_spinlock_t spin;
static int arrived_before_release, serial_threads, spin_counter;

static void *at_barrier(void *arg)
{
	(void)arg;
	for (int round = 0; round < 3; round++) {
		pthread_spin_lock(&spin);
		spin_counter++;
		pthread_spin_unlock(&spin);
		__atomic_fetch_add(&arrived_before_release, 1, __ATOMIC_SEQ_CST);
		if (pthread_barrier_wait(&barrier) == PTHREAD_BARRIER_SERIAL_THREAD)
			__atomic_fetch_add(&serial_threads, 1, __ATOMIC_SEQ_CST);
		pthread_barrier_wait(&barrier); /* everyone has seen this round's count */
	}
	return NULL;
}

static void test_barrier_spin(void)
{
	pthread_t t[4];

	report("barrier_init with count 0", pthread_barrier_init(&barrier, NULL, 0));
	pthread_barrier_init(&barrier, NULL, 4);
	pthread_spin_init(&spin, PTHREAD_PROCESS_PRIVATE);
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, at_barrier, NULL);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	printf("barrier: %d arrivals, %d serial threads, spin-locked counter %d\n",
	       arrived_before_release, serial_threads, spin_counter);
	report("spin_trylock", pthread_spin_trylock(&spin));
	report("spin_trylock when held", pthread_spin_trylock(&spin));
	pthread_spin_unlock(&spin);
	pthread_spin_destroy(&spin);
	report("barrier_destroy", pthread_barrier_destroy(&barrier));
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_create_join();
	test_detach();
	test_attributes();
	test_mutex_kinds();
	test_mutex_counter();
	test_ping_pong();
	test_timed_waits();
	test_once();
	test_keys();
	test_rwlock();
	test_semaphores();
	test_pipe_between_threads();
	test_cleanup();
	test_barrier_spin();
	return 0;
}
