/* vnet_tx.h - lwIP's transmit path onto the virtio-net card (net/netif_vnet.c sets it up).
 *
 * Frames go by reference: the card reads lwIP's pbufs, which stay referenced until it is
 * done with them. Where the card offloads checksums (VIRTIO_NET_F_CSUM), lwIP leaves TCP
 * checksums to it; where it also segments (VIRTIO_NET_F_HOST_TSO4), consecutive full
 * segments of one connection queued during one hold of the core lock go as one large
 * frame (net/gso.h) that the host cuts back into the same segments. Frames reach the card
 * in batches, flushed when the core lock is let go. All calls with the core lock held. */
#ifndef NET_VNET_TX_H
#define NET_VNET_TX_H

#include "lwip/err.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "virtio/virtio_net.h"

/* vnet_tx_init - send @netif's frames on @card: registers the transmit-done callback and
 * turns lwIP's TCP checksums off for @netif when the card computes them. */
void vnet_tx_init(struct vnet *card, struct netif *netif);

/* vnet_tx_output - the netif's linkoutput: queue the Ethernet frame in @p. Returns ERR_OK,
 * ERR_MEM when no memory or no room on the card came within a second (TCP resends), or
 * ERR_IF when the card refused the frame. */
err_t vnet_tx_output(struct netif *netif, struct pbuf *p);

/* vnet_tx_flush - hand everything queued to the card (the core lock's unlock hook). */
void vnet_tx_flush(void);

#endif
