/* bcache.h - the disks' page cache: clean 4 KiB pages of what the disks hold, in the
 * memory nobody else uses.
 *
 * VMOS reads a disk through libext2fs block by block; without a cache every read of a
 * file is a device request (a 4 KiB random read costs a round trip to the host each time,
 * where Linux answers from its page cache). The cache keeps each page read or written at
 * its disk's offset, least recently used first out, in pages taken from the top of memory
 * while more than a reserve stays free (page_alloc_cache). When an allocation finds no
 * room, the page allocator asks the cache to give pages back (vm_set_reclaimer), so the
 * cache never costs an application memory.
 *
 * A disk is named by an owner pointer (its I/O channel) and pages by their byte offset on
 * it divided by BCACHE_PAGE. The cache only holds what the disk holds: a write goes to the
 * disk first and then updates the cached pages it covers (bcache_write); a write that
 * failed drops them (bcache_drop). Not locked: one vCPU, cooperative threads; calls never
 * block. */
#ifndef POSIX_DISK_BCACHE_H
#define POSIX_DISK_BCACHE_H

#include <stdbool.h>
#include <stdint.h>

#define BCACHE_PAGE 4096u

/* bcache_read - @len bytes at @offset of the disk @owner into @dst when every page they
 * touch is cached (true), else nothing is copied (false). Counts a hit or a miss. */
bool bcache_read(const void *owner, uint64_t offset, void *dst, uint64_t len);

/* bcache_fill - the disk's bytes [@offset, @offset + @len) as just read into @src: every
 * whole page among them is cached (or refreshed), as far as memory allows. */
void bcache_fill(const void *owner, uint64_t offset, const void *src, uint64_t len);

/* bcache_seen_before - whether the read-ahead window at @offset of @owner's disk was read
 * before, as far as a small table of recent windows remembers; records it. A stream is
 * cached from its second reading: a file read once does not fill memory with fresh pages
 * (touching a page the first time costs the most, under a hypervisor) nor push out what
 * is read again and again. */
bool bcache_seen_before(const void *owner, uint64_t offset);

/* bcache_take_run - @pages pages (at most 64) in one run, for a read the device makes
 * straight into pages the cache then adopts (bcache_adopt): no copy into fresh pages. NULL
 * when memory is at the cache's reserve. */
void *bcache_take_run(uint64_t pages);

/* bcache_return_run - a run from bcache_take_run that is not adopted (the read failed). */
void bcache_return_run(void *run, uint64_t pages);

/* bcache_adopt - @run (from bcache_take_run) now holds the disk's @pages pages from
 * @offset (page aligned): they become cached pages, replacing any cached copies. The run
 * is the cache's from here: the caller copies what it needs out before. */
void bcache_adopt(const void *owner, uint64_t offset, void *run, uint64_t pages);

/* bcache_write - @len bytes at @offset were written to the disk: the cached pages they
 * touch take them (no page is added). */
void bcache_write(const void *owner, uint64_t offset, const void *src, uint64_t len);

/* bcache_drop - forget the cached pages that [@offset, @offset + @len) touches (a write
 * that failed: the disk may hold either version). */
void bcache_drop(const void *owner, uint64_t offset, uint64_t len);

/* bcache_forget - forget every page of @owner (the disk is closed). */
void bcache_forget(const void *owner);

/* bcache_reclaim - the page allocator's reclaimer (vm_set_reclaimer): with @hi zero, at
 * least @pages pages (all, when fewer are cached) least recently used first; else every
 * cached page at an address in [@lo, @hi). Returns the pages freed. */
uint64_t bcache_reclaim(uint64_t pages, uint64_t lo, uint64_t hi);

struct bcache_stats {
	uint64_t pages;        /* cached now */
	uint64_t hits, misses; /* bcache_read answers */
	uint64_t reclaimed;    /* pages given back under pressure */
};

void bcache_get_stats(struct bcache_stats *out);

#endif
