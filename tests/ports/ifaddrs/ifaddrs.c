/* ifaddrs.c - print the interfaces as getifaddrs and if_nameindex list them, one line
 * each, for a boot test with a virtio-net card: the card is eth0 at index 2 with the
 * address the command line or DHCP gave it. With the argument "wait" it first waits (up
 * to 20 s) for eth0's IPv4 address: DHCP's lease comes after the stack has started. */
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *text_of(const struct sockaddr *a, char *buf, size_t size)
{
	if (!a)
		return "none";
	if (a->sa_family != AF_INET)
		return "not AF_INET";
	return inet_ntop(AF_INET, &((const struct sockaddr_in *)a)->sin_addr, buf, (socklen_t)size);
}

static void print_flags(unsigned flags)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {
	    {IFF_UP, "UP"},           {IFF_BROADCAST, "BROADCAST"}, {IFF_LOOPBACK, "LOOPBACK"},
	    {IFF_RUNNING, "RUNNING"}, {IFF_MULTICAST, "MULTICAST"}, {IFF_LOWER_UP, "LOWER_UP"}};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (flags & names[i].bit)
			printf(" %s", names[i].name);
	printf("\n");
}

/* Whether getifaddrs lists an IPv4 address for @name. */
static int has_address(const char *name)
{
	struct ifaddrs *ifa;
	int found = 0;

	if (getifaddrs(&ifa))
		return 0;
	for (struct ifaddrs *i = ifa; i; i = i->ifa_next)
		if (!strcmp(i->ifa_name, name) && i->ifa_addr && i->ifa_addr->sa_family == AF_INET)
			found = 1;
	freeifaddrs(ifa);
	return found;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "wait")) {
		int tries = 0;
		while (!has_address("eth0") && tries++ < 2000)
			usleep(10000);
		printf("eth0 has an address: %s\n", has_address("eth0") ? "yes" : "no");
	}

	struct if_nameindex *list = if_nameindex();

	for (struct if_nameindex *i = list; i && i->if_index; i++)
		printf("if_nameindex: %u %s\n", i->if_index, i->if_name);
	if_freenameindex(list);
	printf("if_nametoindex(eth0): %u\n", if_nametoindex("eth0"));

	struct ifaddrs *ifa;
	if (getifaddrs(&ifa)) {
		perror("getifaddrs");
		return 1;
	}
	for (struct ifaddrs *i = ifa; i; i = i->ifa_next) {
		char addr[INET_ADDRSTRLEN], mask[INET_ADDRSTRLEN], broad[INET_ADDRSTRLEN];
		const struct sockaddr *b = (i->ifa_flags & IFF_BROADCAST) ? i->ifa_broadaddr : NULL;

		printf("getifaddrs: %s %s/%s broadcast %s flags", i->ifa_name,
		       text_of(i->ifa_addr, addr, sizeof(addr)),
		       text_of(i->ifa_netmask, mask, sizeof(mask)),
		       text_of(b, broad, sizeof(broad)));
		print_flags(i->ifa_flags);
	}
	freeifaddrs(ifa);
	return 0;
}
