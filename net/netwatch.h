/* netwatch.h - the network's watchdog and counters: a thread ("net-watch") that checks
 * the card once a second (virtio/virtio_net.h, vnet_check), says on the console, once per
 * kind, when the receive path stalls, and with netstats=SECONDS prints the counters every
 * SECONDS. It reads everything without the core lock, so that it still reports when the
 * stack is wedged.
 *
 * The counters line, one per interval (docs/networking.md lists the keys):
 *   netstats: t_ms=... rx_posted=... rx_pending=... ... free_kib=...
 * space-separated key=value pairs, values are unsigned integers. */
#ifndef NET_NETWATCH_H
#define NET_NETWATCH_H

#include <stddef.h>

struct vnet;

/* netwatch_start - start the watchdog thread for @card; with @stats_interval_s > 0 it
 * prints the counters line every @stats_interval_s seconds. Called once, by
 * netif_vnet_start, without the core lock. */
void netwatch_start(struct vnet *card, unsigned stats_interval_s);

/* netwatch_format - the counters line (without a newline) into @buf of @size bytes;
 * returns its length as ksnprintf does. */
int netwatch_format(struct vnet *card, char *buf, size_t size);

/* netwatch_rx_no_pbuf - count a received frame dropped for want of a pbuf (called by the
 * netif's receiver). */
void netwatch_rx_no_pbuf(void);

#endif
