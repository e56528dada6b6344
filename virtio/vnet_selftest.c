/* vnet_selftest.c - ARP over virtio-net as a boot-time self-test (vnet_selftest.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/sched.h"
#include "kernel/tsc.h"
#include "virtio/virtio_net.h"
#include "virtio/vnet_selftest.h"

#define ETH_TYPE_ARP 0x0806
#define ARP_REQUEST  1
#define ARP_REPLY    2

static const uint8_t guest_ip[4] = {10, 0, 2, 15};
static const uint8_t gateway_ip[4] = {10, 0, 2, 2};

static struct {
	bool got;
	uint8_t mac[6];
} reply;

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* An ARP reply from the gateway to us (RFC 826 over Ethernet). */
static void on_frame(void *arg, const void *data, uint32_t len, bool csum_valid)
{
	const uint8_t *f = data;

	(void)arg;
	(void)csum_valid;
	if (len < 42 || get16(f + 12) != ETH_TYPE_ARP || get16(f + 20) != ARP_REPLY)
		return;
	if (memcmp(f + 28, gateway_ip, 4) || memcmp(f + 38, guest_ip, 4))
		return;
	memcpy(reply.mac, f + 22, 6);
	reply.got = true;
}

static int send_request(struct vnet *v)
{
	uint8_t f[60] = {0}; /* the Ethernet minimum, padding zeroed */
	const uint8_t *mac = vnet_mac(v);

	memset(f, 0xff, 6); /* broadcast */
	memcpy(f + 6, mac, 6);
	put16(f + 12, ETH_TYPE_ARP);
	put16(f + 14, 1);      /* hardware: Ethernet */
	put16(f + 16, 0x0800); /* protocol: IPv4 */
	f[18] = 6;
	f[19] = 4;
	put16(f + 20, ARP_REQUEST);
	memcpy(f + 22, mac, 6);
	memcpy(f + 28, guest_ip, 4);
	memcpy(f + 38, gateway_ip, 4);
	struct vnet_seg segs[2] = {{f, 14}, {f + 14, sizeof(f) - 14}}; /* two pieces on purpose */
	int err = vnet_transmit(v, segs, 2, NULL, NULL); /* copied: f is on the stack */
	vnet_flush(v);
	return err;
}

static void *send_from_thread(void *arg)
{
	int err = send_request(arg);
	if (err)
		kprintf("selftest: virtio-net: transmit failed (%d)\n", err);
	return NULL;
}

static void print_mac(const char *what, const uint8_t *m)
{
	kprintf("selftest: virtio-net: %s %02x:%02x:%02x:%02x:%02x:%02x\n", what, m[0], m[1], m[2],
	        m[3], m[4], m[5]);
}

int vnet_selftest_arp(void)
{
	struct vnet *v;
	struct vnet_info info;
	const char *source;
	int err = vnet_open(&v);

	if (err) {
		kprintf("selftest: virtio-net: vnet_open: %d%s\n", err,
		        err == -ENODEV ? " (ENODEV: no usable device)" : "");
		return err;
	}
	vnet_get_info(v, &info);
	print_mac("mac", vnet_mac(v));
	kprintf("selftest: virtio-net: %s, link %s, mtu %u, interrupts %s, queues %u/%u, "
	        "features %#lx\n",
	        info.device, vnet_link_up(v) ? "up" : "down", vnet_mtu(v), info.irq_mode,
	        info.rx_queue_size, info.tx_queue_size, (unsigned long)info.features);
	vnet_set_receiver(v, on_frame, NULL);

	uint64_t hz = tsc_frequency(&source);
	if (!hz)
		hz = 1000000000ull; /* unknown: a guess is enough for a test's deadline */
	uint64_t start = rdtsc(), end = start + 10 * hz;
	int timeouts = 0;
	/* The first request goes out from a second thread, which runs only once this one
	 * blocks in vnet_wait: so the reply arrives while it waits, and only the device's
	 * interrupt can wake it before the deadline. */
	struct thread *sender;
	err = thread_create(send_from_thread, v, 0, &sender);
	if (err)
		return err;
	while (!err && !reply.got) {
		int frames = vnet_poll(v, 0);
		if (frames < 0) {
			err = frames;
			break;
		}
		if (reply.got)
			break;
		uint64_t now = rdtsc();
		if (now >= end) {
			err = -ETIMEDOUT;
			break;
		}
		uint64_t deadline = now + hz < end ? now + hz : end;
		err = vnet_wait(v, deadline);
		if (err == -ETIMEDOUT) {
			timeouts++;
			err = send_request(v); /* lost, or sent before the link came up */
		}
	}
	thread_join(sender, NULL);
	if (err < 0) {
		kprintf("selftest: virtio-net: no ARP reply (%d)\n", err);
		return err;
	}
	vnet_get_info(v, &info);
	print_mac("arp reply from 10.0.2.2 at", reply.mac);
	kprintf("selftest: virtio-net: reply after %lu us, %lu interrupts (%s), %d waits timed "
	        "out, frames rx %lu tx %lu\n",
	        (unsigned long)tsc_to_us(rdtsc() - start, hz), (unsigned long)info.interrupts,
	        info.irq_mode, timeouts, (unsigned long)info.rx_frames,
	        (unsigned long)info.tx_frames);
	return 0;
}
