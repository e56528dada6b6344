/* test_vblk_req.c - host unit tests for virtio/vblk_req.c (virtio-blk requests over a split
 * virtqueue) against a fake disk device: it walks each chain as a device would (5.2.6),
 * checks its shape, reads or writes a RAM disk, and completes requests in any order, with
 * the status, length and id a test asks for (a device that lies included).
 *
 * Physical addresses are made from the host's virtual ones with a gap after every 4 KiB
 * page, so a buffer that crosses pages is split as in the VM (where the linear range is
 * not physically contiguous). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "virtio/vblk_req.h"
#include "virtio/virtq.h"

#define DISK_SECTORS 256

static struct vblk_queue q;
static void *ring_mem, *table_mem;
static uint8_t disk[DISK_SECTORS * VBLK_SECTOR_BYTES];
static int phys_faults_from; /* to_phys fails at or past this offset of fault_base */
static const uint8_t *fault_base;

/* The device's side: what it took from the available ring. */
static struct {
	uint16_t last_avail;
	uint16_t used_idx;
} dev;

/* Page k of the host's memory is at physical 2k pages: no two pages are adjacent. */
static uint64_t fake_phys(const void *virt)
{
	uint64_t a = (uintptr_t)virt;
	return ((a >> 12) << 13) | (a & 4095);
}

static void *dev_ptr(uint64_t phys)
{
	return (void *)(uintptr_t)(((phys >> 13) << 12) | (phys & 4095));
}

static int fake_to_phys(const void *virt, uint64_t *phys, uint64_t *contig)
{
	uintptr_t a = (uintptr_t)virt;
	if (fault_base && (const uint8_t *)virt >= fault_base + phys_faults_from)
		return -EFAULT;
	*phys = fake_phys(virt);
	*contig = 4096 - (a & 4095);
	return 0;
}

static void setup_queue(uint16_t size, uint32_t seg_max, uint32_t size_max)
{
	free(ring_mem);
	free(table_mem);
	ring_mem = aligned_alloc(4096, (virtq_mem_bytes(size) + 4095) & ~(size_t)4095);
	table_mem = aligned_alloc(4096, 4096);
	assert_non_null(ring_mem);
	assert_non_null(table_mem);
	memset(&q, 0, sizeof(q));
	assert_int_equal(virtq_init(&q.vq, size, ring_mem, (uintptr_t)ring_mem, false), 0);
	memset(table_mem, 0xa5, 4096);
	assert_int_equal(
	    vblkq_init(&q, table_mem, fake_phys(table_mem), seg_max, size_max, fake_to_phys), 0);
	memset(&dev, 0, sizeof(dev));
	fault_base = NULL;
	for (size_t i = 0; i < sizeof(disk); i++)
		disk[i] = (uint8_t)(i * 7 + 3);
}

static int teardown(void **state)
{
	(void)state;
	free(ring_mem);
	free(table_mem);
	ring_mem = table_mem = NULL;
	return 0;
}

/* What the device found in a chain. */
struct taken {
	uint16_t head;
	struct vblk_wire_hdr hdr;
	int data_segs;
	uint32_t data_bytes;
	bool data_writable;
	uint8_t *status;
};

/* Take the next published request and check its shape: a readable 16-byte header first,
 * data all readable or all writable, a writable 1-byte status last. */
static struct taken dev_take(void)
{
	struct taken t = {0};
	assert_true((uint16_t)(q.vq.avail->idx - dev.last_avail) > 0);
	t.head = q.vq.avail->ring[dev.last_avail % q.vq.size];
	dev.last_avail++;
	const struct virtq_desc *d = &q.vq.desc[t.head];
	assert_int_equal(d->len, sizeof(struct vblk_wire_hdr));
	assert_false(d->flags & VIRTQ_DESC_F_WRITE);
	memcpy(&t.hdr, dev_ptr(d->addr), sizeof(t.hdr));
	assert_true(d->flags & VIRTQ_DESC_F_NEXT);
	for (;;) {
		d = &q.vq.desc[d->next];
		if (!(d->flags & VIRTQ_DESC_F_NEXT)) {
			assert_int_equal(d->len, 1);
			assert_true(d->flags & VIRTQ_DESC_F_WRITE);
			t.status = dev_ptr(d->addr);
			break;
		}
		bool w = d->flags & VIRTQ_DESC_F_WRITE;
		if (t.data_segs)
			assert_int_equal(w, t.data_writable);
		t.data_writable = w;
		t.data_segs++;
		t.data_bytes += d->len;
	}
	return t;
}

/* Do what the request asks on the RAM disk (a copy per segment). */
static void dev_execute(const struct taken *t)
{
	uint64_t at = t->hdr.sector * VBLK_SECTOR_BYTES;
	const struct virtq_desc *d = &q.vq.desc[q.vq.desc[t->head].next];
	for (int i = 0; i < t->data_segs; i++, d = &q.vq.desc[d->next]) {
		assert_true(at + d->len <= sizeof(disk));
		if (t->hdr.type == VIRTIO_BLK_T_IN)
			memcpy(dev_ptr(d->addr), disk + at, d->len);
		else if (t->hdr.type == VIRTIO_BLK_T_OUT)
			memcpy(disk + at, dev_ptr(d->addr), d->len);
		at += d->len;
	}
}

static void dev_complete(uint32_t id, uint32_t len)
{
	volatile struct virtq_used_elem *e = &q.vq.used->ring[dev.used_idx % q.vq.size];
	e->id = id;
	e->len = len;
	dev.used_idx++;
	q.vq.used->idx = dev.used_idx;
}

/* Take, execute and complete one request with @status and an honest length. */
static struct taken dev_serve(uint8_t status)
{
	struct taken t = dev_take();
	dev_execute(&t);
	*t.status = status;
	dev_complete(t.head, (t.data_writable ? t.data_bytes : 0) + 1);
	return t;
}

static void test_init(void **state)
{
	(void)state;
	setup_queue(64, 0, 0);
	assert_int_equal(vblkq_in_flight(&q), 0);
	assert_int_equal(vblkq_max_segments(&q), 62); /* the ring less header and status */
	setup_queue(256, 0, 0);
	assert_int_equal(vblkq_max_segments(&q), VBLK_MAX_SEGS);
	setup_queue(256, 8, 0);
	assert_int_equal(vblkq_max_segments(&q), 8);
	assert_int_equal(vblkq_init(&q, NULL, 0, 0, 0, fake_to_phys), -EINVAL);
	assert_int_equal(vblkq_init(&q, (char *)table_mem + 1, 0, 0, 0, fake_to_phys), -EINVAL);
}

static void test_write_then_read(void **state)
{
	(void)state;
	setup_queue(64, 0, 0);
	/* 3 sectors from the middle of a page: the data crosses into the next one. */
	uint8_t *page = aligned_alloc(4096, 8192);
	uint8_t *buf = page + 4096 - 512;
	for (int i = 0; i < 1536; i++)
		buf[i] = (uint8_t)(i ^ 0x5a);
	struct vblk_request w = {.type = VIRTIO_BLK_T_OUT, .sector = 10, .buf = buf, .bytes = 1536};
	assert_int_equal(vblkq_submit(&q, &w), 0);
	assert_false(w.done);
	assert_int_equal(vblkq_in_flight(&q), 1);
	assert_true(virtq_publish(&q.vq));
	struct taken t = dev_serve(VIRTIO_BLK_S_OK);
	assert_int_equal(t.hdr.type, VIRTIO_BLK_T_OUT);
	assert_int_equal(t.hdr.sector, 10);
	assert_int_equal(t.data_segs, 2); /* split at the page boundary */
	assert_false(t.data_writable);
	assert_int_equal(vblkq_complete(&q), 1);
	assert_true(w.done);
	assert_int_equal(w.result, 0);
	assert_memory_equal(disk + 10 * 512, buf, 1536);

	memset(buf, 0, 1536);
	struct vblk_request r = {.type = VIRTIO_BLK_T_IN, .sector = 10, .buf = buf, .bytes = 1536};
	assert_int_equal(vblkq_submit(&q, &r), 0);
	virtq_publish(&q.vq);
	t = dev_serve(VIRTIO_BLK_S_OK);
	assert_true(t.data_writable);
	assert_int_equal(vblkq_complete(&q), 1);
	assert_int_equal(r.result, 0);
	for (int i = 0; i < 1536; i++)
		assert_int_equal(buf[i], (uint8_t)(i ^ 0x5a));
	assert_int_equal(vblkq_in_flight(&q), 0);
	assert_int_equal(q.vq.num_free, 64); /* every descriptor back */
	free(page);
}

static void test_flush_and_get_id(void **state)
{
	(void)state;
	setup_queue(64, 0, 0);
	struct vblk_request f = {.type = VIRTIO_BLK_T_FLUSH, .sector = 99};
	assert_int_equal(vblkq_submit(&q, &f), 0);
	virtq_publish(&q.vq);
	struct taken t = dev_serve(VIRTIO_BLK_S_OK);
	assert_int_equal(t.hdr.type, VIRTIO_BLK_T_FLUSH);
	assert_int_equal(t.hdr.sector, 0); /* 5.2.6: the sector field is 0 but for IN/OUT */
	assert_int_equal(t.data_segs, 0);
	assert_int_equal(vblkq_complete(&q), 1);
	assert_int_equal(f.result, 0);

	char *id = aligned_alloc(64, 64);
	struct vblk_request g = {.type = VIRTIO_BLK_T_GET_ID, .buf = id, .bytes = VBLK_ID_BYTES};
	assert_int_equal(vblkq_submit(&q, &g), 0);
	virtq_publish(&q.vq);
	t = dev_take();
	assert_int_equal(t.data_segs, 1);
	assert_true(t.data_writable);
	*t.status = VIRTIO_BLK_S_UNSUPP;
	dev_complete(t.head, 1);
	assert_int_equal(vblkq_complete(&q), 1);
	assert_int_equal(g.result, -EOPNOTSUPP);
	free(id);
}

static void test_bad_lengths(void **state)
{
	(void)state;
	setup_queue(64, 0, 0);
	uint8_t buf[1024];
	struct vblk_request r = {.type = VIRTIO_BLK_T_IN, .buf = buf, .bytes = 100};
	assert_int_equal(vblkq_submit(&q, &r), -EINVAL);
	r.bytes = 0;
	assert_int_equal(vblkq_submit(&q, &r), -EINVAL);
	r = (struct vblk_request){.type = VIRTIO_BLK_T_FLUSH, .buf = buf, .bytes = 512};
	assert_int_equal(vblkq_submit(&q, &r), -EINVAL);
	r = (struct vblk_request){.type = 77, .buf = buf, .bytes = 512};
	assert_int_equal(vblkq_submit(&q, &r), -EINVAL);
	r = (struct vblk_request){.type = VIRTIO_BLK_T_OUT, .buf = NULL, .bytes = 512};
	assert_int_equal(vblkq_submit(&q, &r), -EINVAL);
	assert_int_equal(vblkq_in_flight(&q), 0);
	assert_int_equal(q.vq.num_free, 64);
}

static void test_segment_limits(void **state)
{
	(void)state;
	uint8_t *mem = aligned_alloc(4096, 16 * 4096);
	/* seg_max 4: 4 pages fit from a page boundary; from mid-page, 3.5 pages fit and the
	 * prefix is rounded down to sectors. */
	setup_queue(64, 4, 0);
	assert_int_equal(vblkq_fit(&q, mem, 8 * 4096), 4 * 4096);
	assert_int_equal(vblkq_fit(&q, mem + 2048, 8 * 4096), 4 * 4096 - 2048);
	assert_int_equal(vblkq_fit(&q, mem, 2 * 4096), 2 * 4096);
	struct vblk_request r = {.type = VIRTIO_BLK_T_IN, .buf = mem, .bytes = 5 * 4096};
	assert_int_equal(vblkq_submit(&q, &r), -EMSGSIZE);
	assert_int_equal(q.vq.num_free, 64);
	r.bytes = 4 * 4096;
	assert_int_equal(vblkq_submit(&q, &r), 0);
	virtq_publish(&q.vq);
	assert_int_equal(dev_serve(VIRTIO_BLK_S_OK).data_segs, 4);
	assert_int_equal(vblkq_complete(&q), 1);

	/* size_max 1024: each page is four segments, so seg_max 4 carries 4 KiB. */
	setup_queue(64, 4, 1024);
	assert_int_equal(vblkq_fit(&q, mem, 8 * 4096), 4096);
	r = (struct vblk_request){.type = VIRTIO_BLK_T_IN, .buf = mem, .bytes = 4096};
	assert_int_equal(vblkq_submit(&q, &r), 0);
	virtq_publish(&q.vq);
	struct taken t = dev_serve(VIRTIO_BLK_S_OK);
	assert_int_equal(t.data_segs, 4);
	assert_int_equal(t.data_bytes, 4096);
	assert_int_equal(vblkq_complete(&q), 1);
	assert_int_equal(r.result, 0);

	/* seg_max 1 and a sector across a page boundary: nothing fits. */
	setup_queue(64, 1, 0);
	assert_int_equal(vblkq_fit(&q, mem + 4096 - 256, 4096), 0);
	assert_int_equal(vblkq_fit(&q, mem + 4096 - 512, 4096), 512);

	/* Memory without a physical address. */
	setup_queue(64, 0, 0);
	fault_base = mem;
	phys_faults_from = 4096;
	assert_int_equal(vblkq_fit(&q, mem, 2 * 4096), 0);
	r = (struct vblk_request){.type = VIRTIO_BLK_T_IN, .buf = mem, .bytes = 2 * 4096};
	assert_int_equal(vblkq_submit(&q, &r), -EFAULT);
	assert_int_equal(vblkq_in_flight(&q), 0);
	free(mem);
}

static void test_out_of_order_and_errors(void **state)
{
	(void)state;
	setup_queue(64, 0, 0);
	uint8_t *mem = aligned_alloc(4096, 4 * 4096);
	struct vblk_request r[4];
	for (int i = 0; i < 4; i++) {
		r[i] = (struct vblk_request){.type = VIRTIO_BLK_T_IN,
		                             .sector = (uint64_t)i * 8,
		                             .buf = mem + i * 4096,
		                             .bytes = 4096};
		assert_int_equal(vblkq_submit(&q, &r[i]), 0);
	}
	virtq_publish(&q.vq);
	struct taken t[4];
	for (int i = 0; i < 4; i++)
		t[i] = dev_take();
	/* Completed 2, 0, 3, 1: an I/O error, a success, a status left unwritten, and a
	 * length longer than the writable part. */
	*t[2].status = VIRTIO_BLK_S_IOERR;
	dev_complete(t[2].head, 1);
	dev_execute(&t[0]);
	*t[0].status = VIRTIO_BLK_S_OK;
	dev_complete(t[0].head, 4097);
	dev_complete(t[3].head, 4097); /* status left as the driver set it */
	*t[1].status = VIRTIO_BLK_S_OK;
	dev_complete(t[1].head, 4098);
	assert_int_equal(vblkq_complete(&q), 4);
	assert_int_equal(r[0].result, 0);
	assert_memory_equal(mem, disk, 4096);
	assert_int_equal(r[1].result, -EIO);
	assert_int_equal(r[2].result, -EIO);
	assert_int_equal(r[3].result, -EIO);
	for (int i = 0; i < 4; i++)
		assert_true(r[i].done);
	assert_int_equal(q.device_errors, 2); /* the unwritten status and the lie */
	assert_int_equal(vblkq_in_flight(&q), 0);
	assert_int_equal(q.vq.num_free, 64);
	free(mem);
}

static void test_full(void **state)
{
	(void)state;
	uint8_t *mem = aligned_alloc(4096, 4096);
	/* The ring runs out first: 16 descriptors hold five 1-segment requests (3 each). */
	setup_queue(16, 0, 0);
	struct vblk_request r[VBLK_SLOTS + 1];
	int n = 0;
	for (;; n++) {
		r[n] = (struct vblk_request){.type = VIRTIO_BLK_T_IN, .buf = mem, .bytes = 512};
		int err = vblkq_submit(&q, &r[n]);
		if (err) {
			assert_int_equal(err, -ENOSPC);
			break;
		}
	}
	assert_int_equal(n, 5);
	assert_int_equal(vblkq_in_flight(&q), 5);
	/* The slots run out first on a large ring. */
	setup_queue(256, 0, 0);
	for (n = 0; n < VBLK_SLOTS; n++) {
		r[n] = (struct vblk_request){.type = VIRTIO_BLK_T_FLUSH};
		assert_int_equal(vblkq_submit(&q, &r[n]), 0);
	}
	r[n] = (struct vblk_request){.type = VIRTIO_BLK_T_FLUSH};
	assert_int_equal(vblkq_submit(&q, &r[n]), -ENOSPC);
	virtq_publish(&q.vq);
	dev_serve(VIRTIO_BLK_S_OK);
	assert_int_equal(vblkq_complete(&q), 1);
	assert_int_equal(vblkq_submit(&q, &r[n]), 0); /* a slot again */
	free(mem);
}

static void test_bad_id(void **state)
{
	(void)state;
	setup_queue(64, 0, 0);
	struct vblk_request a = {.type = VIRTIO_BLK_T_FLUSH}, b = {.type = VIRTIO_BLK_T_FLUSH};
	assert_int_equal(vblkq_submit(&q, &a), 0);
	assert_int_equal(vblkq_submit(&q, &b), 0);
	virtq_publish(&q.vq);
	struct taken t = dev_take();
	dev_complete(t.head, 1);
	dev_complete(t.head, 1); /* the same request twice */
	assert_int_equal(vblkq_complete(&q), -EIO);
	assert_true(a.done);
	assert_false(b.done);
	dev_complete(60, 1); /* an id past anything submitted */
	assert_int_equal(vblkq_complete(&q), -EIO);
	vblkq_fail_all(&q, -EIO);
	assert_true(b.done);
	assert_int_equal(b.result, -EIO);
	assert_int_equal(vblkq_in_flight(&q), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_init, teardown),
	    cmocka_unit_test_teardown(test_write_then_read, teardown),
	    cmocka_unit_test_teardown(test_flush_and_get_id, teardown),
	    cmocka_unit_test_teardown(test_bad_lengths, teardown),
	    cmocka_unit_test_teardown(test_segment_limits, teardown),
	    cmocka_unit_test_teardown(test_out_of_order_and_errors, teardown),
	    cmocka_unit_test_teardown(test_full, teardown),
	    cmocka_unit_test_teardown(test_bad_id, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
