# virtio/: split virtqueues, PCI and the virtio 1.x PCI transport, virtio-net.
KERNEL_C_SRCS += virtio/virtq.c virtio/pci.c virtio/virtio_pci.c virtio/virtio_net.c \
	virtio/vnet_selftest.c
