/* netif_vnet.c - lwIP's network interface on the virtio-net card (virtio/virtio_net.h).
 *
 * Receive: one thread ("vnet-rx") takes the core lock once per batch of frames, hands
 * each frame straight to ethernet_input (no message to the tcpip thread), lets go of the
 * lock and blocks in vnet_wait until the card interrupts. Transmit: net/vnet_tx.h, from
 * whichever thread is sending, with the core lock held; what it queued during a hold of
 * the lock goes to the card when the lock is let go.
 *
 * Addresses: DHCP, or the static ip= address from the command line (net/netcfg.h). The
 * address the interface gets is reported on the console ("net: en0 ADDR/PREFIX"). */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "kernel/clock.h"
#include "kernel/kernel.h"
#include "kernel/sched.h"
#include "lwip/dhcp.h"
#include "lwip/etharp.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/tcpip.h"
#include "net/netif_vnet.h"
#include "net/netwatch.h"
#include "net/vnet_tx.h"
#include "netif/ethernet.h"
#include "virtio/virtio_net.h"

#define RX_BATCH       64 /* frames per hold of the core lock */
#define RX_STACK_BYTES (64 * 1024)
#define LINK_CHECK_NS  (100 * 1000000ull) /* link changes are noticed this late at most */

static struct netif vnet_netif;
static struct vnet *card;

/* The receiver (called from vnet_poll with the core lock held): one frame into a pbuf
 * and through the Ethernet layer. */
static void vnet_receive(void *arg, const void *frame, uint32_t len, bool csum_valid)
{
	struct netif *netif = arg;

	(void)csum_valid; /* lwIP checks every checksum itself */
	struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_POOL);
	if (!p) {
		netwatch_rx_no_pbuf(); /* dropped: out of buffers, as a full ring would */
		return;
	}
	pbuf_take(p, frame, (u16_t)len);
	if (netif->input(p, netif) != ERR_OK)
		pbuf_free(p);
}

static void sync_link(struct netif *netif)
{
	bool up = vnet_link_up(card);

	if (up && !netif_is_link_up(netif))
		netif_set_link_up(netif);
	else if (!up && netif_is_link_up(netif))
		netif_set_link_down(netif);
}

static void rx_thread(void *arg)
{
	struct netif *netif = arg;
	uint64_t link_checked_ns = clock_monotonic_ns();

	for (;;) {
		LOCK_TCPIP_CORE();
		int n = vnet_poll(card, RX_BATCH);
		UNLOCK_TCPIP_CORE();
		if (n < 0) {
			kprintf("net: the network card broke the ring protocol; receiving stops\n");
			return;
		}
		if (n == RX_BATCH)
			continue;
		vnet_wait(card, 0);
		/* The link status is a read of device configuration (a trap to the
		 * hypervisor): looked at once per LINK_CHECK_NS at most, not per wake-up. */
		uint64_t now = clock_monotonic_ns();
		if (now - link_checked_ns >= LINK_CHECK_NS) {
			link_checked_ns = now;
			LOCK_TCPIP_CORE();
			sync_link(netif);
			UNLOCK_TCPIP_CORE();
		}
	}
}

static void report_address(struct netif *netif)
{
	const ip4_addr_t *addr = netif_ip4_addr(netif);

	if (ip4_addr_isany(addr))
		return;
	u32_t mask = lwip_ntohl(ip4_addr_get_u32(netif_ip4_netmask(netif)));
	int prefix = 0;
	while (prefix < 32 && (mask & (0x80000000u >> prefix)))
		prefix++;
	char addr_text[IP4ADDR_STRLEN_MAX], gw_text[IP4ADDR_STRLEN_MAX];
	ip4addr_ntoa_r(addr, addr_text, sizeof(addr_text));
	ip4addr_ntoa_r(netif_ip4_gw(netif), gw_text, sizeof(gw_text));
	kprintf("net: %c%c%u %s/%d gateway %s\n", netif->name[0], netif->name[1], netif->num,
	        addr_text, prefix, gw_text);
}

static void status_changed(struct netif *netif)
{
	if (netif_is_up(netif))
		report_address(netif);
}

static err_t vnet_netif_init(struct netif *netif)
{
	netif->name[0] = 'e';
	netif->name[1] = 'n';
	netif->output = etharp_output;
	netif->linkoutput = vnet_tx_output;
	netif->mtu = vnet_mtu(card);
	netif->hwaddr_len = ETH_HWADDR_LEN;
	memcpy(netif->hwaddr, vnet_mac(card), ETH_HWADDR_LEN);
	netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
	return ERR_OK;
}

static ip4_addr_t ip4_of(uint32_t host_order)
{
	ip4_addr_t a;

	ip4_addr_set_u32(&a, lwip_htonl(host_order));
	return a;
}

int netif_vnet_start(const struct netcfg *config)
{
	ip4_addr_t addr = ip4_of(0), mask = ip4_of(0), gw = ip4_of(0);

	if (config->mode == NETCFG_NONE)
		return 0;
	int err = vnet_open(&card);
	if (err)
		return err; /* vnet_open said why */
	if (config->mode == NETCFG_STATIC) {
		addr = ip4_of(config->addr);
		mask = ip4_of(config->netmask);
		gw = ip4_of(config->gw);
	}
	LOCK_TCPIP_CORE();
	if (!netif_add(&vnet_netif, &addr, &mask, &gw, NULL, vnet_netif_init, ethernet_input)) {
		UNLOCK_TCPIP_CORE();
		return -EIO;
	}
	vnet_set_receiver(card, vnet_receive, &vnet_netif);
	vnet_tx_init(card, &vnet_netif);
	/* Frames queued during a hold of the core lock go to the card as it is let go. */
	vmos_set_core_unlock_hook(vnet_tx_flush);
	netif_set_status_callback(&vnet_netif, status_changed);
	netif_set_default(&vnet_netif);
	sync_link(&vnet_netif);
	netif_set_up(&vnet_netif);
	if (config->mode == NETCFG_DHCP)
		err = dhcp_start(&vnet_netif) == ERR_OK ? 0 : -ENOMEM;
	UNLOCK_TCPIP_CORE();
	sys_thread_new("vnet-rx", rx_thread, &vnet_netif, RX_STACK_BYTES, 0);
	netwatch_start(card, config->stats_interval_s);
	return err;
}
