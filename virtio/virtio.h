/* virtio.h - constants from the virtio specification (1.1; 1.2 keeps them) that every
 * transport and device shares: device status bits (2.1), reserved feature bits (6) and
 * device types (5). Device-specific constants live with their driver. */
#ifndef VIRTIO_VIRTIO_H
#define VIRTIO_VIRTIO_H

/* Device status field (2.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE        1
#define VIRTIO_STATUS_DRIVER             2
#define VIRTIO_STATUS_DRIVER_OK          4
#define VIRTIO_STATUS_FEATURES_OK        8
#define VIRTIO_STATUS_DEVICE_NEEDS_RESET 64
#define VIRTIO_STATUS_FAILED             128

/* Reserved feature bits (6). */
#define VIRTIO_F_RING_INDIRECT_DESC 28
#define VIRTIO_F_RING_EVENT_IDX     29
#define VIRTIO_F_VERSION_1          32
#define VIRTIO_F_ACCESS_PLATFORM    33

/* Device types (5). */
#define VIRTIO_ID_NET   1
#define VIRTIO_ID_BLOCK 2

#define VIRTIO_BIT(n) (1ull << (n))

#endif
