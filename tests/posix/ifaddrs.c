/* ifaddrs.c - interface names, indexes and addresses. The host has more interfaces than
 * the test image (loopback only): what is printed is the loopback's, which both have. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "common.h"

int main(void)
{
	char name[IF_NAMESIZE];

	CHECK(if_nametoindex("lo"));
	CHECK(if_nametoindex("nosuch0"));
	CHECK(if_nametoindex("a-name-much-longer-than-ifnamsiz"));
	CHECK(if_indextoname(1, name) == name);
	printf("index 1: %s\n", name);
	CHECK(if_indextoname(250, name));

	struct if_nameindex *list = if_nameindex();
	int lo_listed = 0, ended = 0;
	for (struct if_nameindex *i = list; i; i++) {
		if (i->if_index == 0) {
			ended = i->if_name == NULL;
			break;
		}
		if (i->if_index == 1 && strcmp(i->if_name, "lo") == 0)
			lo_listed = 1;
	}
	printf("if_nameindex: lo at 1 %d, ends with 0/NULL %d\n", lo_listed, ended);
	if_freenameindex(list);

	struct ifaddrs *ifa;
	CHECK(getifaddrs(&ifa));
	int lo_inet = 0;
	for (struct ifaddrs *i = ifa; i; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET || strcmp(i->ifa_name, "lo"))
			continue;
		char addr[INET_ADDRSTRLEN], mask[INET_ADDRSTRLEN];
		inet_ntop(AF_INET, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, addr,
		          sizeof(addr));
		inet_ntop(AF_INET, &((struct sockaddr_in *)i->ifa_netmask)->sin_addr, mask,
		          sizeof(mask));
		printf("lo: %s/%s flags up %d loopback %d running %d broadcast %d\n", addr, mask,
		       !!(i->ifa_flags & IFF_UP), !!(i->ifa_flags & IFF_LOOPBACK),
		       !!(i->ifa_flags & IFF_RUNNING), !!(i->ifa_flags & IFF_BROADCAST));
		lo_inet++;
	}
	printf("lo AF_INET entries: %d\n", lo_inet);
	freeifaddrs(ifa);
	return 0;
}
