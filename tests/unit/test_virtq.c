/* test_virtq.c - host unit tests for virtio/virtq.c against a fake device that reads the
 * available ring and completes buffers into the used ring, in any order. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "virtio/virtq.h"

#define FAKE_PHYS 0x10000000ull

static struct virtq vq;
static void *mem;

/* The device's side: what it has read from the available ring, what it has written to
 * the used ring, how many notifications it sent, and its own suppression requests. */
static struct {
	uint16_t last_avail;
	uint16_t used_idx;
	int interrupts;
	bool event_idx;
} dev;

static void setup_queue(uint16_t size, bool event_idx)
{
	free(mem);
	mem = aligned_alloc(4096, (virtq_mem_bytes(size) + 4095) & ~(size_t)4095);
	assert_non_null(mem);
	memset(mem, 0xa5, virtq_mem_bytes(size)); /* virtq_init must clear it */
	assert_int_equal(virtq_init(&vq, size, mem, FAKE_PHYS, event_idx), 0);
	memset(&dev, 0, sizeof(dev));
	dev.event_idx = event_idx;
}

static int teardown(void **state)
{
	(void)state;
	free(mem);
	mem = NULL;
	return 0;
}

static volatile uint16_t *dev_used_event(void)
{
	return &vq.avail->ring[vq.size];
}

static volatile uint16_t *dev_avail_event(void)
{
	return (volatile uint16_t *)&vq.used->ring[vq.size];
}

/* Buffers the device may take: published by the driver, not yet taken. */
static uint16_t dev_pending(void)
{
	return (uint16_t)(vq.avail->idx - dev.last_avail);
}

/* Take the next available buffer: its head; its segments are checked against
 * @want_out / @want_in when those are not negative. */
static uint16_t dev_take(int want_out, int want_in)
{
	assert_true(dev_pending() > 0);
	uint16_t head = vq.avail->ring[dev.last_avail % vq.size];
	dev.last_avail++;
	assert_true(head < vq.size);
	int out = 0, in = 0, n = 0;
	for (uint16_t i = head;; i = vq.desc[i].next) {
		const struct virtq_desc *d = &vq.desc[i];
		if (d->flags & VIRTQ_DESC_F_WRITE)
			in++;
		else {
			assert_int_equal(in, 0); /* readable segments come first */
			out++;
		}
		assert_true(++n <= vq.size);
		if (!(d->flags & VIRTQ_DESC_F_NEXT))
			break;
	}
	if (want_out >= 0)
		assert_int_equal(out, want_out);
	if (want_in >= 0)
		assert_int_equal(in, want_in);
	if (dev.event_idx)
		*dev_avail_event() = dev.last_avail; /* notify me on the next one */
	return head;
}

/* Complete buffer @head with @len bytes written; notify the driver if it asked. */
static void dev_complete(uint16_t head, uint32_t len)
{
	uint16_t old = dev.used_idx;
	vq.used->ring[dev.used_idx % vq.size].id = head;
	vq.used->ring[dev.used_idx % vq.size].len = len;
	dev.used_idx++;
	vq.used->idx = dev.used_idx;
	bool notify = dev.event_idx ? virtq_need_event(*dev_used_event(), dev.used_idx, old)
	                            : !(vq.avail->flags & VIRTQ_AVAIL_F_NO_INTERRUPT);
	if (notify)
		dev.interrupts++;
}

static int add_one(uint64_t phys, uint32_t len, bool writable, void *cookie)
{
	struct virtq_seg s = {phys, len};
	return virtq_add(&vq, &s, writable ? 0 : 1, writable ? 1 : 0, cookie);
}

static void test_init(void **state)
{
	(void)state;
	char buf[8192] __attribute__((aligned(4096)));
	assert_int_equal(virtq_init(&vq, 0, buf, 0, false), -EINVAL);
	assert_int_equal(virtq_init(&vq, 3, buf, 0, false), -EINVAL);
	assert_int_equal(virtq_init(&vq, 8, buf + 8, 0, false), -EINVAL);
	assert_int_equal(virtq_init(&vq, 8, buf, 0x123, false), -EINVAL);

	setup_queue(256, false);
	assert_int_equal(vq.desc_phys, FAKE_PHYS);
	assert_int_equal(vq.avail_phys, FAKE_PHYS + 256 * 16);
	assert_int_equal(vq.used_phys % 4096, 0);
	assert_true(vq.used_phys >= vq.avail_phys + 4 + 2 * 256 + 2);
	assert_true(virtq_mem_bytes(256) >= vq.used_phys - FAKE_PHYS + 4 + 8 * 256 + 2);
	assert_int_equal(virtq_free_count(&vq), 256);
	assert_int_equal(vq.avail->idx, 0);
	assert_int_equal(vq.avail->flags, 0);
	assert_int_equal(vq.used->idx, 0);
	assert_false(virtq_has_used(&vq));
}

static void test_chain(void **state)
{
	(void)state;
	setup_queue(16, false);
	struct virtq_seg segs[3] = {{0x1000, 10}, {0x2000, 1500}, {0x3000, 2048}};
	int cookie;
	assert_int_equal(virtq_add(&vq, segs, 2, 1, &cookie), 0);
	assert_int_equal(virtq_free_count(&vq), 13);
	assert_int_equal(dev_pending(), 0); /* not published yet */
	assert_true(virtq_publish(&vq));
	assert_int_equal(dev_pending(), 1);

	uint16_t head = dev_take(2, 1);
	const struct virtq_desc *d = &vq.desc[head];
	assert_int_equal(d->addr, 0x1000);
	assert_int_equal(d->len, 10);
	assert_int_equal(d->flags, VIRTQ_DESC_F_NEXT);
	d = &vq.desc[d->next];
	assert_int_equal(d->addr, 0x2000);
	assert_int_equal(d->flags, VIRTQ_DESC_F_NEXT);
	d = &vq.desc[d->next];
	assert_int_equal(d->addr, 0x3000);
	assert_int_equal(d->len, 2048);
	assert_int_equal(d->flags, VIRTQ_DESC_F_WRITE);

	void *got;
	uint32_t len;
	assert_int_equal(virtq_harvest(&vq, &got, &len), 0);
	dev_complete(head, 777);
	assert_int_equal(dev.interrupts, 1);
	assert_true(virtq_has_used(&vq));
	assert_int_equal(virtq_harvest(&vq, &got, &len), 1);
	assert_ptr_equal(got, &cookie);
	assert_int_equal(len, 777);
	assert_int_equal(virtq_free_count(&vq), 16);
	assert_int_equal(virtq_harvest(&vq, &got, &len), 0);

	assert_int_equal(virtq_add(&vq, segs, 0, 0, &cookie), -EINVAL);
	assert_int_equal(virtq_add(&vq, segs, 1, 0, NULL), -EINVAL);
}

/* More than 65536 buffers through a small ring: both 16-bit indices wrap, in batches
 * that straddle the wrap, with one- and two-segment chains. */
static void run_wrap(bool event_idx)
{
	setup_queue(8, event_idx);
	uintptr_t next_cookie = 1, expect_cookie = 1;
	for (int round = 0; round < 40000; round++) {
		int batch = 1 + round % 3;
		for (int k = 0; k < batch; k++) {
			struct virtq_seg segs[2] = {{0x1000 * next_cookie, 64}, {0x5000, 64}};
			assert_int_equal(
			    virtq_add(&vq, segs, 1, (int)(next_cookie % 2), (void *)next_cookie),
			    0);
			next_cookie++;
		}
		virtq_publish(&vq);
		while (dev_pending())
			dev_complete(dev_take(1, -1), 64);
		void *got;
		uint32_t len;
		while (virtq_harvest(&vq, &got, &len) == 1) {
			assert_int_equal((uintptr_t)got, expect_cookie);
			expect_cookie++;
		}
		assert_int_equal(virtq_free_count(&vq), 8);
	}
	assert_true(next_cookie > 65536 + 8);
	assert_int_equal(expect_cookie, next_cookie);
	assert_int_equal(vq.avail->idx, (uint16_t)(next_cookie - 1));
	assert_int_equal(vq.last_used, (uint16_t)(next_cookie - 1));
}

static void test_wrap(void **state)
{
	(void)state;
	run_wrap(false);
	run_wrap(true);
}

/* The device completes in an order of its own; the free list survives it. */
static void test_out_of_order(void **state)
{
	(void)state;
	setup_queue(8, false);
	int cookies[4];
	for (int i = 0; i < 4; i++) {
		struct virtq_seg segs[2] = {{0x1000 * (i + 1), 100}, {0x9000, 100}};
		assert_int_equal(virtq_add(&vq, segs, 1, 1, &cookies[i]), 0);
	}
	assert_int_equal(virtq_free_count(&vq), 0);
	virtq_publish(&vq);
	uint16_t heads[4];
	for (int i = 0; i < 4; i++)
		heads[i] = dev_take(1, 1);
	const int order[4] = {2, 0, 3, 1};
	for (int i = 0; i < 4; i++)
		dev_complete(heads[order[i]], (uint32_t)(10 + order[i]));
	for (int i = 0; i < 4; i++) {
		void *got;
		uint32_t len;
		assert_int_equal(virtq_harvest(&vq, &got, &len), 1);
		assert_ptr_equal(got, &cookies[order[i]]);
		assert_int_equal(len, 10 + order[i]);
	}
	assert_int_equal(virtq_free_count(&vq), 8);
	/* Every descriptor can be used again: eight single-segment buffers fit. */
	for (uintptr_t i = 1; i <= 8; i++)
		assert_int_equal(add_one(i * 0x1000, 1, false, (void *)i), 0);
	virtq_publish(&vq);
	bool seen[8] = {false};
	for (int i = 0; i < 8; i++) {
		uint16_t h = dev_take(1, 0);
		assert_false(seen[h]);
		seen[h] = true;
		dev_complete(h, 0);
	}
}

/* A full ring refuses more and loses nothing. */
static void test_full(void **state)
{
	(void)state;
	setup_queue(8, false);
	for (uintptr_t i = 1; i <= 7; i++)
		assert_int_equal(add_one(i * 0x1000, 1, true, (void *)i), 0);
	struct virtq_seg two[2] = {{0x1000, 1}, {0x2000, 1}};
	assert_int_equal(virtq_add(&vq, two, 1, 1, (void *)99), -ENOSPC);
	assert_int_equal(virtq_free_count(&vq), 1);
	assert_int_equal(add_one(0x8000, 1, true, (void *)8), 0);
	assert_int_equal(add_one(0x9000, 1, true, (void *)9), -ENOSPC);
	assert_int_equal(virtq_free_count(&vq), 0);
	virtq_publish(&vq);
	assert_int_equal(dev_pending(), 8);

	/* Completing one frees room for exactly one more. */
	dev_complete(dev_take(0, 1), 5);
	void *got;
	uint32_t len;
	assert_int_equal(virtq_harvest(&vq, &got, &len), 1);
	assert_int_equal((uintptr_t)got, 1);
	assert_int_equal(add_one(0x9000, 1, true, (void *)9), 0);
	assert_int_equal(add_one(0xa000, 1, true, (void *)10), -ENOSPC);
	virtq_publish(&vq);

	int seen = 0;
	while (dev_pending())
		dev_complete(dev_take(0, 1), 1);
	while (virtq_harvest(&vq, &got, &len) == 1) {
		uintptr_t c = (uintptr_t)got;
		assert_true(c >= 2 && c <= 9);
		assert_false(seen & (1 << c));
		seen |= 1 << c;
	}
	assert_int_equal(seen, 0x3fc); /* 2..9, each once */
	assert_int_equal(virtq_free_count(&vq), 8);
}

/* A device id that is not outstanding is refused. */
static void test_bad_id(void **state)
{
	(void)state;
	setup_queue(8, false);
	assert_int_equal(add_one(0x1000, 1, true, (void *)1), 0);
	virtq_publish(&vq);
	dev_take(0, 1);
	dev_complete(5, 0); /* never handed out */
	void *got;
	uint32_t len;
	assert_int_equal(virtq_harvest(&vq, &got, &len), -EIO);
	assert_int_equal(virtq_free_count(&vq), 7);
}

/* Without EVENT_IDX: the two flags. */
static void test_suppression_flags(void **state)
{
	(void)state;
	setup_queue(8, false);
	assert_false(virtq_publish(&vq)); /* nothing new: no notification */
	assert_int_equal(add_one(0x1000, 1, true, (void *)1), 0);
	vq.used->flags = VIRTQ_USED_F_NO_NOTIFY;
	assert_false(virtq_publish(&vq));
	assert_int_equal(add_one(0x2000, 1, true, (void *)2), 0);
	vq.used->flags = 0;
	assert_true(virtq_publish(&vq));

	virtq_interrupts_off(&vq);
	assert_int_equal(vq.avail->flags, VIRTQ_AVAIL_F_NO_INTERRUPT);
	dev_complete(dev_take(0, 1), 1);
	assert_int_equal(dev.interrupts, 0);
	assert_true(virtq_interrupts_on(&vq)); /* one is waiting already */
	assert_int_equal(vq.avail->flags, 0);
	dev_complete(dev_take(0, 1), 1);
	assert_int_equal(dev.interrupts, 1);

	void *got;
	uint32_t len;
	while (virtq_harvest(&vq, &got, &len) == 1)
		;
	assert_false(virtq_interrupts_on(&vq));
}

/* With EVENT_IDX: avail_event and used_event, including across the 16-bit wrap. */
static void run_event_idx(uint16_t start)
{
	setup_queue(8, true);
	/* Start every index at @start, as if that many buffers had gone through. */
	vq.avail_shadow = vq.avail_kicked = vq.last_used = start;
	vq.avail->idx = start;
	vq.used->idx = start;
	dev.last_avail = dev.used_idx = start;
	*dev_avail_event() = start;
	*dev_used_event() = start;

	/* The device wants a notification when entry `start` is published. */
	for (uintptr_t i = 1; i <= 3; i++)
		assert_int_equal(add_one(i * 0x1000, 1, true, (void *)i), 0);
	assert_true(virtq_publish(&vq));
	/* It has not caught up (avail_event still `start`): no more notifications. */
	assert_int_equal(add_one(0x4000, 1, true, (void *)4), 0);
	assert_false(virtq_publish(&vq));
	/* It reads all four and asks for the next: publishing the fifth notifies again. */
	uint16_t h[7];
	for (int i = 1; i <= 4; i++)
		h[i] = dev_take(0, 1);
	assert_int_equal(add_one(0x5000, 1, true, (void *)5), 0);
	assert_true(virtq_publish(&vq));
	/* VIRTQ_USED_F_NO_NOTIFY means nothing once EVENT_IDX is on. */
	vq.used->flags = VIRTQ_USED_F_NO_NOTIFY;
	h[5] = dev_take(0, 1);
	assert_int_equal(add_one(0x6000, 1, true, (void *)6), 0);
	assert_true(virtq_publish(&vq));
	vq.used->flags = 0;
	h[6] = dev_take(0, 1);

	/* used_event = start: the first completion notifies, the next ones do not until
	 * the driver harvests and so moves used_event. */
	dev_complete(h[2], 1);
	assert_int_equal(dev.interrupts, 1);
	dev_complete(h[1], 1);
	assert_int_equal(dev.interrupts, 1);
	void *got;
	uint32_t len;
	assert_int_equal(virtq_harvest(&vq, &got, &len), 1);
	assert_int_equal((uintptr_t)got, 2);
	assert_int_equal(virtq_harvest(&vq, &got, &len), 1);
	assert_int_equal((uintptr_t)got, 1);
	assert_int_equal(*dev_used_event(), (uint16_t)(start + 2));
	dev_complete(h[3], 1);
	assert_int_equal(dev.interrupts, 2);

	/* Interrupts off: used_event is put out of reach; completions stay silent. */
	virtq_interrupts_off(&vq);
	assert_int_equal(virtq_harvest(&vq, &got, &len), 1);
	assert_int_equal((uintptr_t)got, 3);
	dev_complete(h[4], 1);
	assert_int_equal(dev.interrupts, 2);
	/* On again with one waiting: the caller is told to harvest. */
	assert_true(virtq_interrupts_on(&vq));
	assert_int_equal(virtq_harvest(&vq, &got, &len), 1);
	assert_int_equal((uintptr_t)got, 4);
	assert_false(virtq_interrupts_on(&vq));
	dev_complete(h[5], 1);
	assert_int_equal(dev.interrupts, 3);
	assert_int_equal(virtq_harvest(&vq, &got, &len), 1);
	assert_int_equal((uintptr_t)got, 5);
	dev_complete(h[6], 1);
	assert_int_equal(dev.interrupts, 4);
	assert_int_equal(virtq_harvest(&vq, &got, &len), 1);
	assert_int_equal((uintptr_t)got, 6);
	assert_int_equal(virtq_free_count(&vq), 8);
}

static void test_suppression_event_idx(void **state)
{
	(void)state;
	run_event_idx(0);
	run_event_idx(65533); /* the indices and the event indices wrap during the run */
	run_event_idx(65535);
}

/* The device fence runs between the driver's store and its load of the device's field:
 * a device that acts at that moment (as QEMU's device thread may under TCG) sees the
 * store, and the driver sees what the device did. */
static int fences;
static uint16_t fence_head;

static void fence_at_wait(void *arg)
{
	(void)arg;
	fences++;
	assert_int_equal(*dev_used_event(), vq.last_used); /* the request is out */
	dev_complete(fence_head, 1);                       /* and the device completes now */
}

static void fence_at_publish(void *arg)
{
	(void)arg;
	fences++;
	assert_int_equal(vq.avail->idx, vq.avail_shadow); /* the new index is out */
	*dev_avail_event() = dev.last_avail;              /* the device asks for a kick now */
}

static void test_device_fence(void **state)
{
	(void)state;
	setup_queue(8, true);
	fences = 0;
	virtq_set_device_fence(&vq, fence_at_publish, NULL);
	assert_false(virtq_publish(&vq)); /* nothing new: no fence, no kick */
	assert_int_equal(fences, 0);
	assert_int_equal(add_one(0x1000, 1, true, (void *)1), 0);
	assert_true(virtq_publish(&vq));
	fence_head = dev_take(0, 1);
	*dev_avail_event() = (uint16_t)(dev.last_avail + 100); /* the device wants no kick */
	assert_int_equal(add_one(0x2000, 1, true, (void *)2), 0);
	assert_true(virtq_publish(&vq)); /* it changed its mind at the fence */
	assert_int_equal(fences, 2);

	virtq_interrupts_off(&vq);
	virtq_set_device_fence(&vq, fence_at_wait, NULL);
	assert_true(virtq_interrupts_on(&vq)); /* completed at the fence: seen, not slept on */
	assert_int_equal(dev.interrupts, 1);   /* and the device notified as well */
	assert_int_equal(fences, 3);
	virtq_set_device_fence(&vq, NULL, NULL);
	void *got;
	uint32_t len;
	assert_int_equal(virtq_harvest(&vq, &got, &len), 1);
	assert_false(virtq_interrupts_on(&vq));
	assert_int_equal(fences, 3);
}

static void test_need_event(void **state)
{
	(void)state;
	assert_true(virtq_need_event(0, 1, 0));
	assert_false(virtq_need_event(1, 1, 0));
	assert_true(virtq_need_event(5, 10, 0));
	assert_false(virtq_need_event(10, 10, 0));
	assert_true(virtq_need_event(65535, 2, 65534)); /* across the wrap */
	assert_false(virtq_need_event(2, 2, 65534));
	assert_false(virtq_need_event(7, 7, 7));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_init, teardown),
	    cmocka_unit_test_teardown(test_chain, teardown),
	    cmocka_unit_test_teardown(test_wrap, teardown),
	    cmocka_unit_test_teardown(test_out_of_order, teardown),
	    cmocka_unit_test_teardown(test_full, teardown),
	    cmocka_unit_test_teardown(test_bad_id, teardown),
	    cmocka_unit_test_teardown(test_suppression_flags, teardown),
	    cmocka_unit_test_teardown(test_suppression_event_idx, teardown),
	    cmocka_unit_test_teardown(test_device_fence, teardown),
	    cmocka_unit_test(test_need_event),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
