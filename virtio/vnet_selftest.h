/* vnet_selftest.h - an end-to-end check of virtio-net without an IP stack, for the boot
 * tests (kernel/selftest.c runs it as "selftest=virtio-net"). */
#ifndef VIRTIO_VNET_SELFTEST_H
#define VIRTIO_VNET_SELFTEST_H

/* vnet_selftest_arp - open the NIC, print its MAC, link and interrupt mode, send an ARP
 * request for 10.0.2.2 from 10.0.2.15 (QEMU user networking's gateway and guest) and
 * block until the reply comes (resending every second, for ten seconds at most); print
 * the replier's MAC. Returns 0, -errno from vnet_open, or -ETIMEDOUT. */
int vnet_selftest_arp(void);

#endif
