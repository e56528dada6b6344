/* pthread.c - POSIX threads over the kernel's cooperative threads (kernel/sched.h):
 * creation, join, detach, exit, cleanup handlers, thread-specific data and pthread_once
 * (cancellation is in cancel.c).
 * Attributes are in pthread_attr.c; mutexes and the other synchronisation objects in
 * pthread_sync.c.
 *
 * Each thread has a record here (struct pthread, malloc'd; the main thread's is static);
 * a pthread_t is its address, and the kernel keeps a pointer to it per thread
 * (thread_posix_get). A joinable thread's record is freed by pthread_join, a detached
 * thread's by the thread itself as it ends. On the way out a thread runs its cleanup
 * handlers and key destructors and gives back its newlib state (_reclaim_reent), then
 * ends in the kernel. No locks: a thread runs until it blocks (see <pthread.h>). */
#define _GNU_SOURCE /* pthread_setname_np and friends */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reent.h>

#include "kernel/kernel.h"
#include "kernel/sched.h"
#include "mm/stack.h"
#include "mm/vm.h"
#include "posix/posix.h"
#include "posix/thread/pthread_internal.h"

struct specific {
	void *value;
	unsigned gen; /* the key's generation when the value was set */
};

struct pthread {
	struct thread *thread;
	void *(*start)(void *);
	void *arg;
	bool detached;
	bool joining;             /* someone waits in pthread_join for it */
	bool ended;               /* it ran pthread_exit (the main thread: waits for the rest) */
	struct pthread *waits_on; /* the thread it is joining, for EDEADLK */
	void *retval;             /* the main thread's, for whoever joins it */
	struct __pthread_cleanup *cleanup;
	struct specific *specific;
	unsigned nspecific;
	char name[16];
	struct posix_cancel cancel;
	struct pthread *live_next; /* the list of records not yet freed */
};

/* The main (boot) thread's record. */
static struct pthread main_record;
static struct wait_queue main_joiners = WAIT_QUEUE_INIT;

/* Threads made by pthread_create that have not ended yet, and the main thread waiting in
 * pthread_exit for them to reach 0. */
static unsigned running_threads;
static struct wait_queue last_thread_wq = WAIT_QUEUE_INIT;

static struct {
	bool used;
	unsigned gen;
	void (*destructor)(void *);
} keys[PTHREAD_KEYS_MAX];

static struct wait_queue once_wq = WAIT_QUEUE_INIT;

/* Records not yet freed: threads alive, and ended ones not yet joined
 * (posix_thread_by_tid skips those, pthread_cancel knows them). */
static struct pthread *live_threads;

static void live_add(struct pthread *p)
{
	p->live_next = live_threads;
	live_threads = p;
}

static void live_remove(struct pthread *p)
{
	for (struct pthread **link = &live_threads; *link; link = &(*link)->live_next) {
		if (*link == p) {
			*link = p->live_next;
			return;
		}
	}
}

/* A new thread's name is its creator's, as Linux copies it on clone; the main thread's
 * is the program's, cut to 15 bytes (Linux's comm). */
static void name_from(struct pthread *p, const char *name)
{
	strncpy(p->name, name, sizeof(p->name) - 1);
	p->name[sizeof(p->name) - 1] = '\0';
}

/* The calling thread's record; threads the POSIX layer did not create get one on first
 * use (the main thread its static one). */
static struct pthread *self_record(void)
{
	struct pthread *self = thread_posix_get();

	if (self)
		return self;
	if (thread_id(thread_self()) == 0) {
		self = &main_record;
		const char *base = strrchr(posix_program_name, '/');
		name_from(self, base ? base + 1 : posix_program_name);
	} else {
		self = calloc(1, sizeof(*self));
		if (!self)
			panic("posix: no memory for a thread record");
		self->detached = true; /* nobody can join a thread made by the kernel */
	}
	self->thread = thread_self();
	thread_posix_set(self->thread, self);
	live_add(self);
	return self;
}

static struct pthread *record_of(pthread_t thread)
{
	return (struct pthread *)(uintptr_t)thread;
}

pthread_t pthread_self(void)
{
	return (pthread_t)(uintptr_t)self_record();
}

int pthread_equal(pthread_t a, pthread_t b)
{
	return a == b;
}

bool posix_thread_ended(pthread_t thread)
{
	return record_of(thread)->ended;
}

static void *thread_start(void *arg)
{
	struct pthread *self = arg;

	pthread_exit(self->start(self->arg));
}

int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *), void *arg)
{
	uint64_t stack = STACK_DEFAULT_LIMIT;
	struct thread *t;

	if (attr) {
		if (attr->__stacksize < PTHREAD_STACK_MIN)
			return EINVAL;
		stack = attr->__stacksize;
		/* A slot holds at most 1 GiB less a page: larger requests get the most there is. */
		if (stack > VM_STACK_SLOT_SIZE - 4096)
			stack = VM_STACK_SLOT_SIZE - 4096;
	}
	struct pthread *p = calloc(1, sizeof(*p));
	if (!p)
		return EAGAIN;
	p->start = start;
	p->arg = arg;
	name_from(p, self_record()->name);
	int err = thread_create(thread_start, p, stack, &t);
	if (err) {
		free(p);
		return err == -EINVAL ? EINVAL : EAGAIN;
	}
	p->thread = t;
	thread_posix_set(t, p);
	if (attr && attr->__detachstate == PTHREAD_CREATE_DETACHED) {
		p->detached = true;
		thread_detach(t);
	}
	running_threads++;
	live_add(p);
	*thread = (pthread_t)(uintptr_t)p;
	return 0;
}

int pthread_join(pthread_t thread, void **retval)
{
	struct pthread *self = self_record(), *p = record_of(thread);

	if (!p)
		return ESRCH;
	if (p == self || p->waits_on == self)
		return EDEADLK;
	if (p->detached || p->joining)
		return EINVAL;
	posix_cancel_point();
	p->joining = true;
	self->waits_on = p;
	if (p == &main_record) {
		/* The main thread never ends in the kernel: wait for its pthread_exit. */
		while (!p->ended) {
			if (posix_cancel_wait(&main_joiners, NULL) == -ECANCELED) {
				self->waits_on = NULL;
				p->joining = false;
				posix_cancel_act();
			}
		}
		self->waits_on = NULL;
		if (retval)
			*retval = p->retval;
		return 0;
	}
	void *value;
	posix_cancel_begin();
	int err = thread_join(p->thread, &value);
	bool canceled = posix_cancel_end();
	self->waits_on = NULL;
	if (err) {
		p->joining = false;
		if (canceled)
			posix_cancel_act(); /* p stays joinable, as POSIX says */
		return -err;
	}
	if (retval)
		*retval = value;
	live_remove(p);
	free(p);
	return 0;
}

int pthread_detach(pthread_t thread)
{
	struct pthread *p = record_of(thread);

	if (!p)
		return ESRCH;
	if (p->detached || p->joining)
		return EINVAL;
	p->detached = true;
	if (p == &main_record)
		return 0;
	thread_detach(p->thread); /* reaps it at once if it has ended */
	if (p->ended) {
		live_remove(p);
		free(p);
	}
	return 0;
}

static void run_cleanup_handlers(struct pthread *self)
{
	while (self->cleanup) {
		struct __pthread_cleanup *frame = self->cleanup;
		self->cleanup = frame->__previous;
		frame->__routine(frame->__arg);
	}
}

/* Key destructors: a value set again by a destructor gets another round, up to
 * PTHREAD_DESTRUCTOR_ITERATIONS. */
static void run_key_destructors(struct pthread *self)
{
	for (int round = 0; round < PTHREAD_DESTRUCTOR_ITERATIONS; round++) {
		bool ran = false;
		for (unsigned k = 0; k < self->nspecific; k++) {
			struct specific *s = &self->specific[k];
			if (!s->value || !keys[k].used || s->gen != keys[k].gen ||
			    !keys[k].destructor)
				continue;
			void *value = s->value;
			s->value = NULL;
			keys[k].destructor(value);
			ran = true;
		}
		if (!ran)
			break;
	}
	free(self->specific);
	self->specific = NULL;
	self->nspecific = 0;
}

/* Give back the thread's newlib state (posix/reent.c made it on first use). After this
 * the thread must not call into the C library: it would get a new one. */
static void release_reent(struct thread *t)
{
	struct _reent *r = thread_local_get();

	if (!r || r == _global_impure_ptr)
		return;
	_reclaim_reent(r);
	thread_local_set(t, NULL);
	_free_r(_global_impure_ptr, r);
}

void pthread_exit(void *retval)
{
	struct pthread *self = self_record();
	struct thread *t = self->thread;

	run_cleanup_handlers(self);
	run_key_destructors(self);
	if (self == &main_record) {
		/* The process ends with its last thread: wait for the others, then exit(0). */
		self->ended = true;
		self->retval = retval;
		wait_queue_wake_all(&main_joiners);
		while (running_threads)
			wait_queue_wait(&last_thread_wq, 0);
		exit(0);
	}
	self->ended = true;
	if (self->start && --running_threads == 0)
		wait_queue_wake_all(&last_thread_wq);
	if (self->detached) {
		live_remove(self);
		free(self); /* nobody will look at it again */
	}
	release_reent(t);
	thread_exit(retval);
}

void __pthread_cleanup_push(struct __pthread_cleanup *frame, void (*routine)(void *), void *arg)
{
	struct pthread *self = self_record();

	frame->__routine = routine;
	frame->__arg = arg;
	frame->__previous = self->cleanup;
	self->cleanup = frame;
}

void __pthread_cleanup_pop(struct __pthread_cleanup *frame, int execute)
{
	struct pthread *self = self_record();

	self->cleanup = frame->__previous;
	if (execute)
		frame->__routine(frame->__arg);
}

/* pthread_once: 0 not run, 1 running (others wait), 2 done. */
int pthread_once(pthread_once_t *once, void (*init)(void))
{
	while (*once == 1)
		wait_queue_wait(&once_wq, 0);
	if (*once == 2)
		return 0;
	*once = 1;
	init();
	*once = 2;
	wait_queue_wake_all(&once_wq);
	return 0;
}

int pthread_key_create(pthread_key_t *key, void (*destructor)(void *))
{
	for (unsigned k = 0; k < PTHREAD_KEYS_MAX; k++) {
		if (keys[k].used)
			continue;
		keys[k].used = true;
		keys[k].gen++;
		keys[k].destructor = destructor;
		*key = k;
		return 0;
	}
	return EAGAIN;
}

int pthread_key_delete(pthread_key_t key)
{
	if (key >= PTHREAD_KEYS_MAX || !keys[key].used)
		return EINVAL;
	keys[key].used = false;
	return 0;
}

void *pthread_getspecific(pthread_key_t key)
{
	struct pthread *self = self_record();

	if (key >= self->nspecific || !keys[key].used || self->specific[key].gen != keys[key].gen)
		return NULL;
	return self->specific[key].value;
}

int pthread_setspecific(pthread_key_t key, const void *value)
{
	struct pthread *self = self_record();

	if (key >= PTHREAD_KEYS_MAX || !keys[key].used)
		return EINVAL;
	if (key >= self->nspecific) {
		unsigned n = self->nspecific ? self->nspecific : 8;
		while (n <= key)
			n *= 2;
		struct specific *s = realloc(self->specific, n * sizeof(*s));
		if (!s)
			return ENOMEM;
		memset(s + self->nspecific, 0, (n - self->nspecific) * sizeof(*s));
		self->specific = s;
		self->nspecific = n;
	}
	self->specific[key].value = (void *)(uintptr_t)value;
	self->specific[key].gen = keys[key].gen;
	return 0;
}

int pthread_atfork(void (*prepare)(void), void (*parent)(void), void (*child)(void))
{
	(void)prepare;
	(void)parent;
	(void)child;
	return 0; /* fork() fails with ENOSYS: the handlers would never run */
}

static int concurrency;

int pthread_getconcurrency(void)
{
	return concurrency;
}

int pthread_setconcurrency(int level)
{
	if (level < 0)
		return EINVAL;
	concurrency = level;
	return 0;
}

int pthread_setschedparam(pthread_t thread, int policy, const struct sched_param *param)
{
	(void)thread;
	if (policy != SCHED_OTHER || param->sched_priority != 0)
		return EINVAL; /* one cooperative policy, no priorities */
	return 0;
}

int pthread_getschedparam(pthread_t thread, int *policy, struct sched_param *param)
{
	(void)thread;
	*policy = SCHED_OTHER;
	memset(param, 0, sizeof(*param));
	return 0;
}

int pthread_setname_np(pthread_t thread, const char *name)
{
	struct pthread *p = record_of(thread);

	if (strlen(name) >= sizeof(p->name))
		return ERANGE;
	strcpy(p->name, name);
	return 0;
}

int pthread_getname_np(pthread_t thread, char *name, size_t len)
{
	struct pthread *p = record_of(thread);

	if (len <= strlen(p->name))
		return ERANGE;
	strcpy(name, p->name);
	return 0;
}

pid_t posix_thread_tid(pthread_t thread)
{
	struct pthread *p = record_of(thread);

	return p && !p->ended ? (pid_t)(thread_id(p->thread) + 1) : 0;
}

struct thread *posix_thread_by_tid(pid_t tid)
{
	self_record(); /* the caller is listed */
	for (struct pthread *p = live_threads; p; p = p->live_next)
		if (tid > 0 && (!p->ended || p == &main_record) &&
		    thread_id(p->thread) + 1 == (uint64_t)tid)
			return p->thread;
	return NULL;
}

struct posix_cancel *posix_cancel_of(pthread_t thread, struct thread **kt)
{
	self_record(); /* the caller is listed */
	for (struct pthread *p = live_threads; p; p = p->live_next) {
		if (p != record_of(thread))
			continue;
		if (kt)
			*kt = p->thread;
		return &p->cancel;
	}
	return NULL;
}

struct posix_cancel *posix_cancel_self_known(void)
{
	struct pthread *self = thread_posix_get();

	return self ? &self->cancel : NULL;
}

pid_t gettid(void)
{
	self_record();
	return (pid_t)(thread_id(thread_self()) + 1);
}
