/* bcache.c - the disks' page cache (bcache.h): a hash of (disk, page) over entries on one
 * least-recently-used list. Entries live in slab pages that stay with the cache; the data
 * pages go back to the page allocator when the cache is squeezed: the oldest ones, or
 * those where a heap wants to grow. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "mm/vm.h"
#include "posix/disk/bcache.h"

#define MIN_RESERVE_PAGES 1024 /* 4 MiB stay free for everything else */
#define SEEN_SLOTS        1024 /* read-ahead windows remembered (bcache_seen_before) */
#define RESERVE_SHARE     16   /* and 1/16 of memory */

struct bentry {
	const void *owner;
	uint64_t page;
	struct bentry *hnext;         /* bucket chain; free list when unused */
	struct bentry *newer, *older; /* the LRU list */
	uint8_t *data;
};

static struct {
	bool ready, busy;
	uint64_t reserve;
	struct bentry **buckets;
	uint64_t bucket_mask;
	struct bentry *newest, *oldest;
	struct bentry *spare; /* unused entries */
	struct bcache_stats stats;
	uint64_t seen[SEEN_SLOTS]; /* a hash of (disk, window) + 1 per slot; 0: none */
} cache;

/* The table, sized to memory (one bucket per 8 pages), on first use. */
static bool ready(void)
{
	if (cache.ready)
		return true;
	uint64_t total, free_pages;
	page_stats(&total, &free_pages);
	uint64_t buckets = 64;
	while (buckets < total / 8)
		buckets *= 2;
	struct bentry **table = calloc(buckets, sizeof(*table));
	if (!table)
		return false;
	cache.buckets = table;
	cache.bucket_mask = buckets - 1;
	cache.reserve =
	    total / RESERVE_SHARE > MIN_RESERVE_PAGES ? total / RESERVE_SHARE : MIN_RESERVE_PAGES;
	cache.ready = true;
	vm_set_reclaimer(bcache_reclaim);
	return true;
}

static struct bentry **bucket_of(const void *owner, uint64_t page)
{
	uint64_t h = ((uint64_t)(uintptr_t)owner >> 4) * 0x9e3779b97f4a7c15ull ^ page;
	h *= 0xff51afd7ed558ccdull;
	return &cache.buckets[(h >> 29) & cache.bucket_mask];
}

static struct bentry *lookup(const void *owner, uint64_t page)
{
	for (struct bentry *e = *bucket_of(owner, page); e; e = e->hnext)
		if (e->page == page && e->owner == owner)
			return e;
	return NULL;
}

static void lru_unlink(struct bentry *e)
{
	if (e->newer)
		e->newer->older = e->older;
	else
		cache.newest = e->older;
	if (e->older)
		e->older->newer = e->newer;
	else
		cache.oldest = e->newer;
}

static void lru_push(struct bentry *e)
{
	e->newer = NULL;
	e->older = cache.newest;
	if (cache.newest)
		cache.newest->newer = e;
	else
		cache.oldest = e;
	cache.newest = e;
}

static void touch(struct bentry *e)
{
	if (cache.newest != e) {
		lru_unlink(e);
		lru_push(e);
	}
}

/* @e out of the table and the list; its data page is the caller's. */
static void unhook(struct bentry *e)
{
	struct bentry **link = bucket_of(e->owner, e->page);
	while (*link != e)
		link = &(*link)->hnext;
	*link = e->hnext;
	lru_unlink(e);
	cache.stats.pages--;
}

static void release(struct bentry *e)
{
	unhook(e);
	page_free(e->data, 1);
	e->hnext = cache.spare;
	cache.spare = e;
}

/* An unused entry: a spare one, else a new slab page of them. */
static struct bentry *spare_entry(void)
{
	if (!cache.spare) {
		/* From the heap, not the cache's pages: entries are kept for good, and a page
		 * of them among the data pages would stand where the heap grows. */
		struct bentry *e = malloc(PAGE_SIZE_4K);
		if (!e)
			return NULL;
		for (size_t i = 0; i < PAGE_SIZE_4K / sizeof(*e); i++) {
			e[i].hnext = cache.spare;
			cache.spare = &e[i];
		}
	}
	struct bentry *e = cache.spare;
	cache.spare = e->hnext;
	return e;
}

/* @e, with its data page set, as @owner's @page. */
static void hook(struct bentry *e, const void *owner, uint64_t page)
{
	e->owner = owner;
	e->page = page;
	struct bentry **b = bucket_of(owner, page);
	e->hnext = *b;
	*b = e;
	lru_push(e);
	cache.stats.pages++;
}

/* A page of @owner's disk to hold @page: a new one while memory allows, else the least
 * recently used one. NULL when neither exists. */
static struct bentry *new_entry(const void *owner, uint64_t page)
{
	struct bentry *e = spare_entry();
	void *data = NULL;
	if (e && page_alloc_cache(1, cache.reserve, &data) == 0) {
		e->data = data;
	} else if (cache.oldest) {
		if (e) {
			e->hnext = cache.spare;
			cache.spare = e;
		}
		e = cache.oldest;
		unhook(e);
	} else {
		if (e) {
			e->hnext = cache.spare;
			cache.spare = e;
		}
		return NULL;
	}
	hook(e, owner, page);
	return e;
}

bool bcache_read(const void *owner, uint64_t offset, void *dst, uint64_t len)
{
	if (!cache.ready || len == 0)
		return false;
	uint64_t first = offset / BCACHE_PAGE, last = (offset + len - 1) / BCACHE_PAGE;
	for (uint64_t p = first; p <= last; p++) {
		if (!lookup(owner, p)) {
			cache.stats.misses++;
			return false;
		}
	}
	cache.busy = true;
	uint8_t *out = dst;
	for (uint64_t at = offset; at < offset + len;) {
		struct bentry *e = lookup(owner, at / BCACHE_PAGE);
		uint64_t in = at % BCACHE_PAGE;
		uint64_t n =
		    BCACHE_PAGE - in < offset + len - at ? BCACHE_PAGE - in : offset + len - at;
		memcpy(out, e->data + in, n);
		touch(e);
		out += n;
		at += n;
	}
	cache.stats.hits++;
	cache.busy = false;
	return true;
}

void bcache_fill(const void *owner, uint64_t offset, const void *src, uint64_t len)
{
	uint64_t first = (offset + BCACHE_PAGE - 1) / BCACHE_PAGE;
	uint64_t end = (offset + len) / BCACHE_PAGE;
	if (first >= end)
		return;
	cache.busy = true;
	if (ready()) {
		const uint8_t *in = (const uint8_t *)src + (first * BCACHE_PAGE - offset);
		for (uint64_t p = first; p < end; p++, in += BCACHE_PAGE) {
			struct bentry *e = lookup(owner, p);
			if (e)
				touch(e);
			else if (!(e = new_entry(owner, p)))
				break;
			memcpy(e->data, in, BCACHE_PAGE);
		}
	}
	cache.busy = false;
}

bool bcache_seen_before(const void *owner, uint64_t offset)
{
	uint64_t h = (((uint64_t)(uintptr_t)owner >> 4) * 0x9e3779b97f4a7c15ull ^ offset) *
	             0xff51afd7ed558ccdull;
	uint64_t key = (h | 1), *slot = &cache.seen[(h >> 40) % SEEN_SLOTS];
	bool seen = *slot == key;
	*slot = key;
	return seen;
}

void *bcache_take_run(uint64_t pages)
{
	void *run = NULL;
	cache.busy = true;
	if (!ready() || page_alloc_cache(pages, cache.reserve, &run))
		run = NULL;
	cache.busy = false;
	return run;
}

void bcache_return_run(void *run, uint64_t pages)
{
	page_free(run, pages);
}

void bcache_adopt(const void *owner, uint64_t offset, void *run, uint64_t pages)
{
	cache.busy = true;
	uint64_t first = offset / BCACHE_PAGE, i = 0;
	for (; i < pages; i++) {
		struct bentry *old = lookup(owner, first + i);
		if (old)
			release(old);
		struct bentry *e = spare_entry();
		if (!e)
			break;
		e->data = (uint8_t *)run + i * BCACHE_PAGE;
		hook(e, owner, first + i);
	}
	if (i < pages)
		page_free((uint8_t *)run + i * BCACHE_PAGE, pages - i);
	cache.busy = false;
}

void bcache_write(const void *owner, uint64_t offset, const void *src, uint64_t len)
{
	if (!cache.ready || len == 0)
		return;
	const uint8_t *in = src;
	for (uint64_t at = offset; at < offset + len;) {
		uint64_t o = at % BCACHE_PAGE;
		uint64_t n =
		    BCACHE_PAGE - o < offset + len - at ? BCACHE_PAGE - o : offset + len - at;
		struct bentry *e = lookup(owner, at / BCACHE_PAGE);
		if (e)
			memcpy(e->data + o, in, n);
		in += n;
		at += n;
	}
}

void bcache_drop(const void *owner, uint64_t offset, uint64_t len)
{
	if (!cache.ready || len == 0)
		return;
	cache.busy = true;
	for (uint64_t p = offset / BCACHE_PAGE; p <= (offset + len - 1) / BCACHE_PAGE; p++) {
		struct bentry *e = lookup(owner, p);
		if (e)
			release(e);
	}
	cache.busy = false;
}

void bcache_forget(const void *owner)
{
	if (!cache.ready)
		return;
	cache.busy = true;
	for (struct bentry *e = cache.oldest, *next; e; e = next) {
		next = e->newer;
		if (e->owner == owner)
			release(e);
	}
	cache.busy = false;
}

uint64_t bcache_reclaim(uint64_t pages, uint64_t lo, uint64_t hi)
{
	uint64_t freed = 0;
	if (cache.busy) /* the allocation came from inside the cache (a stack fault) */
		return 0;
	cache.busy = true;
	if (hi) {
		for (struct bentry *e = cache.oldest, *next; e; e = next) {
			next = e->newer;
			uint64_t at = (uint64_t)(uintptr_t)e->data;
			if (at >= lo && at < hi) {
				release(e);
				freed++;
			}
		}
	} else {
		while (cache.oldest && (freed < pages || freed == 0)) {
			release(cache.oldest);
			freed++;
		}
	}
	cache.stats.reclaimed += freed;
	cache.busy = false;
	return freed;
}

void bcache_get_stats(struct bcache_stats *out)
{
	*out = cache.stats;
}
