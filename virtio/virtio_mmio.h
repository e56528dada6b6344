/* virtio_mmio.h - the virtio 1.x MMIO transport (virtio 1.1, 4.2; register layout
 * version 2): virtio devices in a block of memory-mapped registers with one interrupt
 * line, as QEMU's microvm machine has them. There is no bus to scan: the devices come
 * from the kernel command line, one "virtio_mmio.device=SIZE@BASE:IRQ" word each
 * (virtio/mmio_param.h; kernel/cmdline.h sets them aside from options and arguments).
 * Devices of register layout version 1 (virtio 0.9 "legacy") are refused with a
 * message. */
#ifndef VIRTIO_VIRTIO_MMIO_H
#define VIRTIO_VIRTIO_MMIO_H

#include <stdint.h>

#include "virtio/transport.h"

/* virtio_mmio_count - how many virtio_mmio.device= words the command line has (each
 * well-formed or not). */
int virtio_mmio_count(void);

/* virtio_mmio_find - the @index-th (from 0, in command-line order) virtio-mmio device of
 * type @type (VIRTIO_ID_NET...), its registers mapped. Finding the same device again
 * returns the same struct. Returns 0 and the device in @out; -ENODEV when there is none,
 * or when it is a legacy (version 1) device (a message then says which and why);
 * -ENOMEM when MMIO space runs out. Words that do not parse, and register blocks
 * without the virtio magic, are reported once and skipped. */
int virtio_mmio_find(uint16_t type, int index, struct virtio_dev **out);

#endif
