/* net.c - lwIP's start-up on first use: the tcpip thread, the loopback interface, the
 * command-line configuration and the network card (net.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "kernel/cmdline.h"
#include "kernel/kernel.h"
#include "lwip/dns.h"
#include "lwip/tcpip.h"
#include "net/net.h"
#include "net/netif_vnet.h"

/* The port's default command line, used when the VMM passes none (posix/posix.mk). */
extern const char vmos_port_cmdline[];

static bool started;
static struct netcfg config;

/* netstats=SECONDS: 1 to 3600; anything else is said and ignored. */
static unsigned parse_stats_interval(const char *text)
{
	char *end;
	long s = strtol(text, &end, 10);

	if (*text && !*end && s >= 1 && s <= 3600)
		return (unsigned)s;
	fprintf(stderr, "net: netstats=%s: not a number of seconds from 1 to 3600; no counters\n",
	        text);
	return 0;
}

static void read_config(void)
{
	struct cmdline *cl = malloc(sizeof(*cl));
	const char *ip = NULL, *dns = NULL, *stats = NULL, *why = NULL;

	if (!cl)
		panic("net: no memory for the command line");
	if (cmdline_parse(kernel_boot_info()->cmdline, cl) != 0 || cl->word_count == 0)
		if (cmdline_parse(vmos_port_cmdline, cl) != 0)
			cl->word_count = 0;
	if (cl->word_count > 0) {
		cmdline_option(cl, "ip", &ip);
		cmdline_option(cl, "dns", &dns);
		cmdline_option(cl, "netstats", &stats);
	}
	if (netcfg_parse(ip, dns, &config, &why) != 0)
		fprintf(stderr, "net: %s; using DHCP\n", why);
	if (stats)
		config.stats_interval_s = parse_stats_interval(stats);
	free(cl);
}

static void tcpip_ready(void *arg)
{
	sys_sem_signal(arg);
}

int net_start(void)
{
	sys_sem_t ready;

	if (started)
		return 0;
	started = true;
	read_config();
	sys_sem_new(&ready, 0);
	tcpip_init(tcpip_ready, &ready);
	sys_sem_wait(&ready);
	sys_sem_free(&ready);
	LOCK_TCPIP_CORE();
	for (int i = 0; i < config.dns_count; i++) {
		ip_addr_t server = IPADDR4_INIT(lwip_htonl(config.dns[i]));
		dns_setserver((u8_t)i, &server);
	}
	UNLOCK_TCPIP_CORE();
	int err = netif_vnet_start(&config);
	if (err && err != -ENODEV)
		kprintf("net: the network card did not start (%d); loopback only\n", err);
	return 0;
}

const struct netcfg *net_config(void)
{
	return &config;
}
