/* net/if.h - network interface names and requests (missing from newlib), Linux's layout.
 * The name and index calls are in posix/net/ifaddrs.c; the request structure and
 * constants exist, no interface ioctls yet. */
#ifndef VMOS_NET_IF_H
#define VMOS_NET_IF_H

#include <sys/socket.h>

#define IFNAMSIZ    16
#define IF_NAMESIZE IFNAMSIZ

#define IFF_UP          0x1
#define IFF_BROADCAST   0x2
#define IFF_LOOPBACK    0x8
#define IFF_RUNNING     0x40
#define IFF_POINTOPOINT 0x10
#define IFF_NOARP       0x80
#define IFF_PROMISC     0x100
#define IFF_MULTICAST   0x1000
#define IFF_LOWER_UP    0x10000

struct ifreq {
	char ifr_name[IFNAMSIZ];
	union {
		struct sockaddr ifru_addr;
		struct sockaddr ifru_netmask;
		struct sockaddr ifru_hwaddr;
		short ifru_flags;
		int ifru_ivalue;
		int ifru_mtu;
		char ifru_slave[IFNAMSIZ];
		char ifru_newname[IFNAMSIZ];
		char __pad[24];
	} ifr_ifru;
};
#define ifr_addr    ifr_ifru.ifru_addr
#define ifr_netmask ifr_ifru.ifru_netmask
#define ifr_hwaddr  ifr_ifru.ifru_hwaddr
#define ifr_flags   ifr_ifru.ifru_flags
#define ifr_ifindex ifr_ifru.ifru_ivalue
#define ifr_mtu     ifr_ifru.ifru_mtu

struct if_nameindex {
	unsigned int if_index;
	char *if_name;
};

#ifdef __cplusplus
extern "C" {
#endif
unsigned int if_nametoindex(const char *ifname);
char *if_indextoname(unsigned int ifindex, char *ifname);
struct if_nameindex *if_nameindex(void);
void if_freenameindex(struct if_nameindex *ptr);
#ifdef __cplusplus
}
#endif

#endif
