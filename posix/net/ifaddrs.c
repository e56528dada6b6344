/* ifaddrs.c - the network interfaces as Linux names them: if_nametoindex, if_indextoname,
 * if_nameindex, if_freenameindex, getifaddrs, freeifaddrs. lwIP's interfaces (the stack
 * starts on first use, net/net.h) in index order: its loopback is "lo" (index 1), the
 * virtio-net card "eth0" (index 2). getifaddrs lists one AF_INET entry per interface
 * with an IPv4 address (no AF_PACKET entries, no IPv6: the stack runs without it).
 * Flags as Linux reports them: IFF_UP, IFF_RUNNING and IFF_LOWER_UP while the link is
 * up, IFF_LOOPBACK or IFF_BROADCAST; no IFF_MULTICAST (lwIP runs without IGMP). */
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lwip/netif.h"
#include "lwip/tcpip.h"
#include "net/net.h"
#include "posix/posix.h"

#define MAX_IFS 8

struct iface {
	unsigned index;
	char name[IF_NAMESIZE];
	unsigned flags;
	uint32_t addr; /* network order; 0: none */
	uint32_t mask;
};

/* The interfaces now, in index order, into @out (at most MAX_IFS); returns how many. */
static int snapshot(struct iface *out)
{
	struct netif *n;
	int count = 0, ethernet = 0;

	net_start();
	LOCK_TCPIP_CORE();
	for (unsigned index = 1; index <= 255 && count < MAX_IFS; index++) {
		NETIF_FOREACH(n)
		{
			if (netif_get_index(n) != index)
				continue;
			struct iface *i = &out[count++];
			bool loop = n->name[0] == 'l' && n->name[1] == 'o';
			i->index = index;
			if (loop)
				snprintf(i->name, sizeof(i->name), "lo");
			else
				snprintf(i->name, sizeof(i->name), "eth%d", ethernet++);
			i->flags = 0;
			if (netif_is_up(n))
				i->flags |= IFF_UP;
			if (netif_is_up(n) && (loop || netif_is_link_up(n)))
				i->flags |= IFF_RUNNING | IFF_LOWER_UP;
			i->flags |= loop ? IFF_LOOPBACK : 0;
			i->flags |= n->flags & NETIF_FLAG_BROADCAST ? IFF_BROADCAST : 0;
			i->addr = ip4_addr_get_u32(netif_ip4_addr(n));
			i->mask = ip4_addr_get_u32(netif_ip4_netmask(n));
		}
	}
	UNLOCK_TCPIP_CORE();
	return count;
}

/* if_nametoindex - @name's index, or 0 with ENODEV (glibc's answer, also for a name of
 * IF_NAMESIZE bytes or more). */
unsigned if_nametoindex(const char *name)
{
	struct iface ifs[MAX_IFS];
	int n = snapshot(ifs);

	for (int i = 0; i < n && strlen(name) < IF_NAMESIZE; i++)
		if (strcmp(ifs[i].name, name) == 0)
			return ifs[i].index;
	errno = ENODEV;
	return 0;
}

/* if_indextoname - @index's name into @name (IF_NAMESIZE bytes), or NULL with ENXIO. */
char *if_indextoname(unsigned index, char *name)
{
	struct iface ifs[MAX_IFS];
	int n = snapshot(ifs);

	for (int i = 0; i < n; i++) {
		if (ifs[i].index == index) {
			strcpy(name, ifs[i].name);
			return name;
		}
	}
	errno = ENXIO;
	return NULL;
}

/* if_nameindex - every interface, then an entry of index 0 and a NULL name; one block
 * (names included) for if_freenameindex. NULL with ENOBUFS when memory runs out. */
struct if_nameindex *if_nameindex(void)
{
	struct iface ifs[MAX_IFS];
	int n = snapshot(ifs);
	struct if_nameindex *list = malloc((size_t)(n + 1) * (sizeof(*list) + IF_NAMESIZE));

	if (!list) {
		errno = ENOBUFS;
		return NULL;
	}
	char *names = (char *)(list + n + 1);
	for (int i = 0; i < n; i++) {
		list[i].if_index = ifs[i].index;
		list[i].if_name = strcpy(names + i * IF_NAMESIZE, ifs[i].name);
	}
	list[n].if_index = 0;
	list[n].if_name = NULL;
	return list;
}

void if_freenameindex(struct if_nameindex *list)
{
	free(list);
}

/* One getifaddrs entry and what it points to, allocated together. */
struct entry {
	struct ifaddrs ifa;
	struct sockaddr_in addr, mask, broad;
	char name[IF_NAMESIZE];
};

static void sin_of(struct sockaddr_in *sin, uint32_t addr)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = addr;
}

/* getifaddrs - a list of the interfaces' IPv4 addresses in @out, freed by freeifaddrs.
 * Returns 0, or -1 with ENOMEM. */
int getifaddrs(struct ifaddrs **out)
{
	struct iface ifs[MAX_IFS];
	int n = snapshot(ifs), used = 0;
	struct entry *e = calloc((size_t)(n ? n : 1), sizeof(*e));

	if (!e)
		return (int)posix_result(-ENOMEM);
	for (int i = 0; i < n; i++) {
		if (!ifs[i].addr)
			continue;
		struct entry *x = &e[used];
		strcpy(x->name, ifs[i].name);
		sin_of(&x->addr, ifs[i].addr);
		sin_of(&x->mask, ifs[i].mask);
		x->ifa.ifa_name = x->name;
		x->ifa.ifa_flags = ifs[i].flags;
		x->ifa.ifa_addr = (struct sockaddr *)&x->addr;
		x->ifa.ifa_netmask = (struct sockaddr *)&x->mask;
		if (ifs[i].flags & IFF_BROADCAST) {
			sin_of(&x->broad, ifs[i].addr | ~ifs[i].mask);
			x->ifa.ifa_broadaddr = (struct sockaddr *)&x->broad;
		}
		if (used)
			e[used - 1].ifa.ifa_next = &x->ifa;
		used++;
	}
	if (!used) {
		free(e);
		*out = NULL;
		return 0;
	}
	*out = &e[0].ifa;
	return 0;
}

/* freeifaddrs - the whole list: it is one block, whose first entry is the list's head. */
void freeifaddrs(struct ifaddrs *list)
{
	free(list);
}
