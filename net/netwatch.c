/* netwatch.c - the network's watchdog thread and its counters line (see netwatch.h). */
#include <stdbool.h>
#include <stdint.h>

#include "kernel/clock.h"
#include "kernel/console.h"
#include "kernel/kernel.h"
#include "kernel/sched.h"
#include "lwip/memp.h"
#include "lwip/stats.h"
#include "lwip/sys.h"
#include "mm/vm.h"
#include "net/netwatch.h"
#include "virtio/virtio_net.h"

#define CHECK_NS       1000000000ull /* the watchdog's interval */
#define WATCH_STACK    (32 * 1024)
#define NETSTATS_BYTES 640

struct watch {
	struct vnet *card;
	unsigned stats_interval_s;
};

static uint64_t rx_no_pbuf;

void netwatch_rx_no_pbuf(void)
{
	rx_no_pbuf++;
}

static unsigned long pool_used(memp_t pool)
{
	return lwip_stats.memp[pool] ? (unsigned long)lwip_stats.memp[pool]->used : 0;
}

int netwatch_format(struct vnet *card, char *buf, size_t size)
{
	struct vnet_info info;
	uint64_t total_pages, free_pages;
	const struct stats_mem *pbufs = lwip_stats.memp[MEMP_PBUF_POOL];
	const struct stats_mem *segs = lwip_stats.memp[MEMP_TCP_SEG];

	vnet_get_info(card, &info);
	page_stats(&total_pages, &free_pages);
	return ksnprintf(
	    buf, size,
	    "netstats: t_ms=%lu rx_posted=%u rx_pending=%u rx_waiting=%u rx_frames=%lu "
	    "rx_dropped=%lu rx_nopbuf=%lu tx_frames=%lu tx_inflight=%u irqs=%lu "
	    "rx_lost_notify=%lu rx_stuck_busy=%lu tx_renotified=%lu device_fence=%u "
	    "core_held_ms=%lu pbuf_pool_used=%lu pbuf_pool_max=%lu pbuf_pool_err=%lu "
	    "tcp_pcbs=%lu tcp_segs=%lu tcp_seg_err=%lu mem_used=%lu mem_max=%lu mem_err=%lu "
	    "tcp_drop=%lu free_kib=%lu",
	    (unsigned long)(clock_monotonic_ns() / 1000000), info.rx_posted, info.rx_pending,
	    info.rx_waiting, (unsigned long)info.rx_frames, (unsigned long)info.rx_dropped,
	    (unsigned long)rx_no_pbuf, (unsigned long)info.tx_frames, info.tx_inflight,
	    (unsigned long)info.interrupts, (unsigned long)info.rx_lost_notifications,
	    (unsigned long)info.rx_stuck_busy, (unsigned long)info.tx_renotified, info.device_fence,
	    (unsigned long)(vmos_core_lock_held_ns() / 1000000),
	    pbufs ? (unsigned long)pbufs->used : 0, pbufs ? (unsigned long)pbufs->max : 0,
	    pbufs ? (unsigned long)pbufs->err : 0, pool_used(MEMP_TCP_PCB),
	    segs ? (unsigned long)segs->used : 0, segs ? (unsigned long)segs->err : 0,
	    (unsigned long)lwip_stats.mem.used, (unsigned long)lwip_stats.mem.max,
	    (unsigned long)lwip_stats.mem.err, (unsigned long)lwip_stats.tcp.drop,
	    (unsigned long)(free_pages * 4));
}

static void print_counters(struct vnet *card)
{
	char line[NETSTATS_BYTES];

	netwatch_format(card, line, sizeof(line));
	kprintf("%s\n", line);
}

/* Say what vnet_check found, once per kind over the VM's life (every finding is counted
 * in the counters line all the same). */
static void report(struct vnet *card, int found)
{
	static int said;
	int fresh = found & ~said;

	if (!fresh)
		return;
	said |= fresh;
	const char *ring = (found & VNET_CHECK_RX_RING_EMPTY)
	                       ? " (the receive ring was empty: the card held no buffer)"
	                       : "";
	if (fresh & VNET_CHECK_RX_LOST_NOTIFICATION)
		kprintf("net: receive stalled for 1 s%s: the card used receive buffers and "
		        "raised no interrupt (a lost notification); the receiver was woken\n",
		        ring);
	if (fresh & VNET_CHECK_RX_STUCK_BUSY)
		kprintf("net: receive stalled for 1 s%s: the receiver is not waiting for the card "
		        "(the stack's core lock held for %lu ms)\n",
		        ring, (unsigned long)(vmos_core_lock_held_ns() / 1000000));
	if (fresh & VNET_CHECK_TX_RENOTIFIED)
		kprintf("net: transmit stalled for 1 s: the card took none of the frames it was "
		        "given; it was notified again\n");
	print_counters(card);
}

static void watch_thread(void *arg)
{
	struct watch *w = arg;
	uint64_t next_check = clock_monotonic_ns() + CHECK_NS;
	uint64_t stats_ns = (uint64_t)w->stats_interval_s * 1000000000ull;
	uint64_t next_stats = clock_monotonic_ns() + stats_ns;

	for (;;) {
		uint64_t wake = next_check;
		if (stats_ns && next_stats < wake)
			wake = next_stats;
		sched_sleep_until(clock_ns_to_tsc(wake));
		uint64_t now = clock_monotonic_ns();
		if (now >= next_check) {
			report(w->card, vnet_check(w->card));
			next_check = now + CHECK_NS;
		}
		if (stats_ns && now >= next_stats) {
			print_counters(w->card);
			next_stats += stats_ns;
			if (next_stats <= now)
				next_stats = now + stats_ns; /* behind: no burst of lines */
		}
	}
}

void netwatch_start(struct vnet *card, unsigned stats_interval_s)
{
	static struct watch w;

	w.card = card;
	w.stats_interval_s = stats_interval_s;
	sys_thread_new("net-watch", watch_thread, &w, WATCH_STACK, 0);
}
