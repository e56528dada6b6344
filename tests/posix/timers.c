/* timers.c - differential test of the interval timers and of waiting for signals:
 * setitimer/getitimer on the three timers and their error paths, alarm's rounding,
 * ITIMER_REAL's SIGALRM through sigsuspend, sigwait/sigwaitinfo/sigtimedwait with signals
 * from raise, kill, sigqueue, another thread's pthread_kill and timers, pthread_kill's
 * answers, and the POSIX timers (SIGEV_SIGNAL with values and overruns, SIGEV_THREAD,
 * SIGEV_NONE, absolute times on both clocks, the EINVAL/EOPNOTSUPP cases). Times are
 * printed as yes/no against generous bounds; every wait has a long timeout. */
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdint.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

static volatile int alarms, usr1s;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void on_usr1(int sig)
{
	(void)sig;
	usr1s++;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
	nanosleep(&ts, NULL);
}

static int64_t mono_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static struct itimerval itv(long vs, long vus, long is, long ius)
{
	struct itimerval v = {.it_interval = {is, ius}, .it_value = {vs, vus}};
	return v;
}

static const char *signame(int sig)
{
	return sig == SIGUSR1   ? "SIGUSR1"
	       : sig == SIGUSR2 ? "SIGUSR2"
	       : sig == SIGALRM ? "SIGALRM"
	                        : "other";
}

static struct timespec long_wait = {20, 0};

/* --- setitimer, getitimer, alarm --- */

static void test_itimer_values(void)
{
	struct itimerval v, old;

	CHECK(getitimer(5, &v));
	v = itv(1, 0, 0, 0);
	CHECK(setitimer(5, &v, NULL));
	CHECK(setitimer(-1, &v, NULL));
	v = itv(0, 1000000, 0, 0);
	CHECK(setitimer(ITIMER_REAL, &v, NULL));
	v = itv(0, 0, 0, -1);
	CHECK(setitimer(ITIMER_REAL, &v, NULL));
	v = itv(-1, 0, 0, 0);
	CHECK(setitimer(ITIMER_REAL, &v, NULL));
	CHECK(getitimer(ITIMER_REAL, &v));
	printf("ITIMER_REAL at start: %ld.%06ld / %ld.%06ld\n", (long)v.it_value.tv_sec,
	       (long)v.it_value.tv_usec, (long)v.it_interval.tv_sec, (long)v.it_interval.tv_usec);

	printf("alarm(5): %u\n", alarm(5));
	getitimer(ITIMER_REAL, &v);
	printf("after alarm(5): value in (4, 5] s %d, interval zero %d\n",
	       v.it_value.tv_sec == 4 || (v.it_value.tv_sec == 5 && v.it_value.tv_usec == 0),
	       v.it_interval.tv_sec == 0 && v.it_interval.tv_usec == 0);
	printf("alarm(0) after alarm(5): %u\n", alarm(0));
	v = itv(0, 400000, 0, 0);
	setitimer(ITIMER_REAL, &v, NULL);
	printf("alarm(0) with 0.4 s left: %u\n", alarm(0));
	v = itv(2, 600000, 0, 0);
	setitimer(ITIMER_REAL, &v, NULL);
	printf("alarm(0) with 2.6 s left: %u\n", alarm(0));
	printf("alarm(0) disarmed: %u\n", alarm(0));

	v = itv(100, 0, 0, 1);
	CHECK(setitimer(ITIMER_REAL, &v, NULL));
	v = itv(0, 0, 7, 0);
	CHECK(setitimer(ITIMER_REAL, &v, &old));
	printf("old: value in (99, 100] s %d, interval %ld.%06ld\n",
	       old.it_value.tv_sec == 99 || (old.it_value.tv_sec == 100 && !old.it_value.tv_usec),
	       (long)old.it_interval.tv_sec, (long)old.it_interval.tv_usec);
	getitimer(ITIMER_REAL, &v);
	printf("disarmed with an interval: %ld.%06ld / %ld.%06ld\n", (long)v.it_value.tv_sec,
	       (long)v.it_value.tv_usec, (long)v.it_interval.tv_sec, (long)v.it_interval.tv_usec);

	/* The CPU-time timers keep their setting; they are not left to expire here. */
	int which[2] = {ITIMER_VIRTUAL, ITIMER_PROF};
	for (int i = 0; i < 2; i++) {
		v = itv(100, 0, 3, 5);
		CHECK(setitimer(which[i], &v, NULL));
		CHECK(getitimer(which[i], &v));
		printf("%s: value within 2 s of 100 s %d, interval %ld.%06ld\n",
		       i ? "ITIMER_PROF" : "ITIMER_VIRTUAL",
		       v.it_value.tv_sec >= 98 && v.it_value.tv_sec <= 101,
		       (long)v.it_interval.tv_sec, (long)v.it_interval.tv_usec);
		v = itv(0, 0, 0, 0);
		CHECK(setitimer(which[i], &v, &old));
		getitimer(which[i], &v);
		printf("disarmed: value zero %d\n",
		       v.it_value.tv_sec == 0 && v.it_value.tv_usec == 0);
	}
}

static void test_itimer_signals(void)
{
	sigset_t alrm, empty, old;
	struct itimerval v;

	signal(SIGALRM, on_alarm);
	sigemptyset(&empty);
	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	sigprocmask(SIG_BLOCK, &alrm, &old);

	v = itv(0, 20000, 0, 20000);
	CHECK(setitimer(ITIMER_REAL, &v, NULL));
	int rounds = 0, eintr = 0;
	while (alarms < 3 && rounds < 100) {
		errno = 0;
		int rc = sigsuspend(&empty);
		eintr += rc == -1 && errno == EINTR;
		rounds++;
	}
	v = itv(0, 0, 0, 0);
	setitimer(ITIMER_REAL, &v, NULL);
	printf("periodic ITIMER_REAL: 3 alarms %d, every sigsuspend -1 EINTR %d\n", alarms >= 3,
	       eintr == rounds);
	sigset_t mask;
	sigprocmask(SIG_BLOCK, NULL, &mask);
	printf("sigsuspend restored the mask: %d\n", sigismember(&mask, SIGALRM) == 1);

	/* A one-shot alarm while blocked: pending until sigsuspend lets it in. */
	int before = alarms;
	v = itv(0, 30000, 0, 0);
	setitimer(ITIMER_REAL, &v, NULL);
	sleep_ms(200);
	sigset_t pend;
	sigpending(&pend);
	printf("one-shot, blocked: pending %d, handled %d\n", sigismember(&pend, SIGALRM) == 1,
	       alarms - before);
	errno = 0;
	int rc = sigsuspend(&empty);
	printf("sigsuspend: %d %s, handled %d\n", rc, errname(errno), alarms - before);
	sigprocmask(SIG_SETMASK, &old, NULL);

	/* Unblocked: the handler runs while the program sleeps. */
	before = alarms;
	v = itv(0, 30000, 0, 0);
	setitimer(ITIMER_REAL, &v, NULL);
	for (int i = 0; i < 200 && alarms == before; i++)
		sleep_ms(50);
	printf("one-shot, unblocked: handled during a sleep %d\n", alarms - before);
	signal(SIGALRM, SIG_DFL);
}

/* --- sigwait and friends, pthread_kill --- */

static pthread_t main_thread;

static void *kill_main_later(void *arg)
{
	(void)arg;
	sleep_ms(50);
	pthread_kill(main_thread, SIGUSR1);
	return NULL;
}

static int thread_got;

static void *wait_usr2(void *arg)
{
	sigset_t s;
	int sig = 0;

	(void)arg;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	int rc = sigwait(&s, &sig);
	thread_got = rc == 0 ? sig : -rc;
	return NULL;
}

static void *returns(void *arg)
{
	return arg;
}

static void test_sigwait(void)
{
	sigset_t set, pend;
	siginfo_t si;
	int sig = 0;
	struct timespec zero = {0, 0};

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);

	raise(SIGUSR1);
	sigpending(&pend);
	printf("raised while blocked: pending %d\n", sigismember(&pend, SIGUSR1) == 1);
	int rc = sigwait(&set, &sig);
	printf("sigwait: %d %s\n", rc, signame(sig));
	sigpending(&pend);
	printf("taken: pending %d\n", sigismember(&pend, SIGUSR1) == 1);
	CHECK(sigtimedwait(&set, &si, &zero));
	struct timespec bad = {0, 1000000000};
	CHECK(sigtimedwait(&set, &si, &bad));
	bad.tv_sec = -1;
	bad.tv_nsec = 0;
	CHECK(sigtimedwait(&set, &si, &bad));
	struct timespec short_wait = {0, 50000000};
	int64_t start = mono_ms();
	CHECK(sigtimedwait(&set, &si, &short_wait));
	printf("waited at least 40 ms: %d\n", mono_ms() - start >= 40);

	kill(getpid(), SIGUSR2);
	int got = sigwaitinfo(&set, &si);
	printf("kill: sigwaitinfo %s, si_signo %s, si_code SI_USER %d\n", signame(got),
	       signame(si.si_signo), si.si_code == SI_USER);
	union sigval val = {.sival_int = 7};
	CHECK(sigqueue(getpid(), SIGUSR1, val));
	got = sigtimedwait(&set, &si, &long_wait);
	printf("sigqueue: %s, si_code SI_QUEUE %d, value %d\n", signame(got),
	       si.si_code == SI_QUEUE, si.si_value.sival_int);
	raise(SIGUSR1);
	raise(SIGUSR1);
	got = sigtimedwait(&set, &si, &zero);
	printf("raised twice: first %s, then %d\n", signame(got), sigtimedwait(&set, &si, &zero));

	pthread_t t;
	main_thread = pthread_self();
	pthread_create(&t, NULL, kill_main_later, NULL);
	got = sigtimedwait(&set, &si, &long_wait);
	printf("pthread_kill from a thread while waiting: %s\n", signame(got));
	pthread_join(t, NULL);

	pthread_create(&t, NULL, wait_usr2, NULL);
	sleep_ms(50);
	kill(getpid(), SIGUSR2);
	pthread_join(t, NULL);
	printf("a thread in sigwait took kill's signal: %s\n", signame(thread_got));
	sigpending(&pend);
	printf("nothing left pending: %d\n",
	       !sigismember(&pend, SIGUSR1) && !sigismember(&pend, SIGUSR2));

	/* pthread_kill's answers. */
	printf("pthread_kill 999: %s\n", errname(pthread_kill(pthread_self(), 999)));
	printf("pthread_kill -1: %s\n", errname(pthread_kill(pthread_self(), -1)));
	printf("pthread_kill 0: %s\n", errname(pthread_kill(pthread_self(), 0)));
	pthread_create(&t, NULL, returns, NULL);
	sleep_ms(100);
	signal(SIGUSR1, on_usr1);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	rc = pthread_kill(t, SIGUSR1);
	printf("pthread_kill an ended thread: %s, handled %d\n", errname(rc), usr1s);
	pthread_join(t, NULL);
	rc = pthread_kill(pthread_self(), SIGUSR1);
	printf("pthread_kill self: %s, handled %d\n", errname(rc), usr1s);
	rc = kill(getpid(), SIGUSR1);
	printf("kill self: %d, handled %d\n", rc, usr1s);
	signal(SIGUSR1, SIG_DFL);
}

/* --- POSIX timers --- */

static struct itimerspec its(long vs, long vns, long is, long ins)
{
	struct itimerspec s = {.it_interval = {is, ins}, .it_value = {vs, vns}};
	return s;
}

static void test_timer_errors(void)
{
	struct sigevent ev = {0};
	struct itimerspec s = its(1, 0, 0, 0), cur;
	timer_t id;

	CHECK(timer_create((clockid_t)12345, NULL, &id));
	CHECK(timer_create(CLOCK_MONOTONIC_COARSE, NULL, &id));
	CHECK(timer_create(CLOCK_MONOTONIC_RAW, NULL, &id));
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = 0;
	CHECK(timer_create(CLOCK_MONOTONIC, &ev, &id));
	ev.sigev_signo = 99;
	CHECK(timer_create(CLOCK_MONOTONIC, &ev, &id));
	ev.sigev_notify = 77;
	CHECK(timer_create(CLOCK_MONOTONIC, &ev, &id));
	ev.sigev_notify = SIGEV_NONE;
	CHECK(timer_create(CLOCK_MONOTONIC, &ev, &id));
	CHECK(timer_settime(id, 0, NULL, NULL));
	s = its(0, 1000000000, 0, 0);
	CHECK(timer_settime(id, 0, &s, NULL));
	s = its(1, 0, -1, 0);
	CHECK(timer_settime(id, 0, &s, NULL));
	CHECK(timer_gettime(id, &cur));
	printf("new timer: %ld.%09ld / %ld.%09ld\n", (long)cur.it_value.tv_sec,
	       cur.it_value.tv_nsec, (long)cur.it_interval.tv_sec, cur.it_interval.tv_nsec);
	CHECK(timer_getoverrun(id));
	CHECK(timer_delete(id));
	CHECK(timer_delete(id));
	s = its(1, 0, 0, 0);
	CHECK(timer_settime(id, 0, &s, NULL));
	CHECK(timer_gettime(id, &cur));
	CHECK(timer_getoverrun(id));
	CHECK(timer_delete((timer_t)12345));
	CHECK(timer_create(CLOCK_BOOTTIME, NULL, &id));
	CHECK(timer_delete(id));
}

static void test_timer_signals(void)
{
	sigset_t set;
	siginfo_t si;
	struct sigevent ev = {0};
	struct itimerspec cur, s;
	timer_t id;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGALRM);
	sigprocmask(SIG_BLOCK, &set, NULL);

	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = SIGUSR1;
	ev.sigev_value.sival_int = 42;
	CHECK(timer_create(CLOCK_MONOTONIC, &ev, &id));
	s = its(0, 30000000, 0, 0);
	CHECK(timer_settime(id, 0, &s, NULL));
	timer_gettime(id, &cur);
	printf("armed: value at most 30 ms %d\n",
	       cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec <= 30000000);
	int got = sigtimedwait(&set, &si, &long_wait);
	printf("one-shot: %s, si_code SI_TIMER %d, value %d, overrun %d\n", signame(got),
	       si.si_code == SI_TIMER, si.si_value.sival_int, timer_getoverrun(id));
	timer_gettime(id, &cur);
	printf("expired: value zero %d\n", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0);

	/* Periodic while the signal stays pending: the missed expiries are overruns. */
	s = its(0, 10000000, 0, 10000000);
	timer_settime(id, 0, &s, NULL);
	sleep_ms(250);
	got = sigtimedwait(&set, &si, &long_wait);
	int overrun = timer_getoverrun(id);
	printf("periodic, 250 ms pending: %s, overrun at least 5 %d\n", signame(got), overrun >= 5);
	got = sigtimedwait(&set, &si, &long_wait);
	printf("next expiry: %s\n", signame(got));
	timer_gettime(id, &cur);
	printf("periodic: interval %ld.%09ld, value at most 10 ms %d\n",
	       (long)cur.it_interval.tv_sec, cur.it_interval.tv_nsec,
	       cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec <= 10000000);
	struct itimerspec old;
	s = its(0, 0, 1, 0);
	CHECK(timer_settime(id, 0, &s, &old));
	printf("old interval %ld.%09ld\n", (long)old.it_interval.tv_sec, old.it_interval.tv_nsec);
	timer_gettime(id, &cur);
	printf("disarmed: %ld.%09ld / %ld.%09ld\n", (long)cur.it_value.tv_sec, cur.it_value.tv_nsec,
	       (long)cur.it_interval.tv_sec, cur.it_interval.tv_nsec);
	struct timespec zero = {0, 0};
	while (sigtimedwait(&set, &si, &zero) > 0)
		; /* one more may have come before the disarm */

	/* Absolute on the wall clock. */
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	timer_t rt;
	ev.sigev_value.sival_int = 43;
	CHECK(timer_create(CLOCK_REALTIME, &ev, &rt));
	now.tv_nsec += 50000000;
	if (now.tv_nsec >= 1000000000) {
		now.tv_sec++;
		now.tv_nsec -= 1000000000;
	}
	s = its(now.tv_sec, now.tv_nsec, 0, 0);
	int64_t start = mono_ms();
	CHECK(timer_settime(rt, TIMER_ABSTIME, &s, NULL));
	got = sigtimedwait(&set, &si, &long_wait);
	printf("realtime absolute: %s value %d, waited at least 40 ms %d\n", signame(got),
	       si.si_value.sival_int, mono_ms() - start >= 40);
	s = its(0, 1, 0, 0);
	CHECK(timer_settime(rt, TIMER_ABSTIME, &s, NULL));
	got = sigtimedwait(&set, &si, &long_wait);
	printf("absolute in the past: %s\n", signame(got));
	CHECK(timer_delete(rt));

	/* The default notification: SIGALRM with the id as value. */
	timer_t def;
	CHECK(timer_create(CLOCK_MONOTONIC, NULL, &def));
	s = its(0, 20000000, 0, 0);
	timer_settime(def, 0, &s, NULL);
	got = sigtimedwait(&set, &si, &long_wait);
	printf("default: %s, si_code SI_TIMER %d\n", signame(got), si.si_code == SI_TIMER);
	CHECK(timer_delete(def));

	/* Deleted while its signal is pending. */
	s = its(0, 10000000, 0, 0);
	timer_settime(id, 0, &s, NULL);
	sleep_ms(100);
	CHECK(timer_delete(id));
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	while (sigtimedwait(&set, &si, &zero) > 0)
		;
}

static sem_t notified;
static volatile int notify_value, notify_other_thread;

static void notify(union sigval v)
{
	notify_value = v.sival_int;
	notify_other_thread = !pthread_equal(pthread_self(), main_thread);
	sem_post(&notified);
}

static int wait_notified(void)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	t.tv_sec += 20;
	return sem_timedwait(&notified, &t);
}

static void test_timer_threads(void)
{
	struct sigevent ev = {0};
	struct itimerspec s, cur;
	timer_t id;
	pthread_attr_t attr;

	main_thread = pthread_self();
	sem_init(&notified, 0, 0);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	ev.sigev_notify = SIGEV_THREAD;
	ev.sigev_notify_function = notify;
	ev.sigev_notify_attributes = &attr;
	ev.sigev_value.sival_int = 5;
	CHECK(timer_create(CLOCK_MONOTONIC, &ev, &id));
	s = its(0, 30000000, 0, 0);
	CHECK(timer_settime(id, 0, &s, NULL));
	int rc = wait_notified();
	printf("SIGEV_THREAD: waited %d, value %d, in another thread %d\n", rc, notify_value,
	       notify_other_thread);
	s = its(0, 20000000, 0, 20000000);
	timer_settime(id, 0, &s, NULL);
	int ok = 0;
	for (int i = 0; i < 3; i++)
		ok += wait_notified() == 0;
	printf("periodic SIGEV_THREAD: 3 notifications %d\n", ok == 3);
	CHECK(timer_delete(id));
	sleep_ms(100); /* a notification already started may still run */

	ev.sigev_notify = SIGEV_NONE;
	CHECK(timer_create(CLOCK_MONOTONIC, &ev, &id));
	s = its(10, 0, 0, 0);
	timer_settime(id, 0, &s, NULL);
	timer_gettime(id, &cur);
	printf("SIGEV_NONE 10 s: value in (9, 10] s %d\n",
	       cur.it_value.tv_sec == 9 ||
	           (cur.it_value.tv_sec == 10 && cur.it_value.tv_nsec == 0));
	s = its(0, 1, 0, 0);
	timer_settime(id, TIMER_ABSTIME, &s, NULL);
	timer_gettime(id, &cur);
	printf("SIGEV_NONE expired one-shot: %ld.%09ld\n", (long)cur.it_value.tv_sec,
	       cur.it_value.tv_nsec);
	s = its(0, 10000000, 0, 30000000);
	timer_settime(id, 0, &s, NULL);
	sleep_ms(100);
	timer_gettime(id, &cur);
	printf("SIGEV_NONE periodic: value at most 30 ms %d, not zero %d, interval %ld.%09ld\n",
	       cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec <= 30000000,
	       cur.it_value.tv_nsec > 0, (long)cur.it_interval.tv_sec, cur.it_interval.tv_nsec);
	CHECK(timer_delete(id));
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_itimer_values();
	test_itimer_signals();
	test_sigwait();
	test_timer_errors();
	test_timer_signals();
	test_timer_threads();
	return 0;
}
