/* netif_vnet.h - the virtio-net card as lwIP's default network interface (en0). */
#ifndef NET_NETIF_VNET_H
#define NET_NETIF_VNET_H

#include "net/netcfg.h"

/* netif_vnet_start - bring up the first virtio-net card as en0 with @config's addresses
 * (DHCP or static; nothing for NETCFG_NONE) and start its receive thread. Called once by
 * net_start, after tcpip_init, without the core lock. Returns 0, or -errno from vnet_open
 * (-ENODEV: no usable card, and the console says why), -EIO/-ENOMEM from lwIP. */
int netif_vnet_start(const struct netcfg *config);

#endif
