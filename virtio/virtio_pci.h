/* virtio_pci.h - the virtio 1.x ("modern") PCI transport (virtio 1.1, 4.1): finds virtio
 * devices on PCI bus 0 and gives them the operations of transport.h. Devices that offer
 * only the legacy (0.9) interface are refused with a message. */
#ifndef VIRTIO_VIRTIO_PCI_H
#define VIRTIO_VIRTIO_PCI_H

#include <stdint.h>

#include "virtio/transport.h"

/* virtio_pci_find - the @index-th (from 0) virtio device of type @type (VIRTIO_ID_NET...)
 * on PCI bus 0, its modern interface's structures mapped and memory decoding and DMA
 * enabled. Finding the same device again returns the same struct. Returns 0 and the
 * device in @out; -ENODEV when there is none, or when it is legacy-only (a message then
 * says which device and why); -ENOMEM when the transport's table or MMIO space is full. */
int virtio_pci_find(uint16_t type, int index, struct virtio_dev **out);

#endif
