/* net.h - starting the network stack (lwIP) for the POSIX layer.
 *
 * The stack starts on first use (the first socket() or name lookup), so a program that
 * never touches the network pays nothing at run time: net_start() starts lwIP's tcpip
 * thread and timers, brings up the loopback interface (127.0.0.1) and reads the network
 * configuration (ip=, dns=) from the kernel command line and brings up the virtio-net
 * card, when there is one, as en0 (net/netif_vnet.h). */
#ifndef NET_NET_H
#define NET_NET_H

#include "net/netcfg.h"

/* net_start - start lwIP once; later calls return at once. Returns 0 (a malformed ip= or
 * dns= option is reported on the console and the defaults are used). Not called from
 * lwIP's own threads. */
int net_start(void);

/* net_config - the configuration read from the command line by net_start(). */
const struct netcfg *net_config(void);

#endif
