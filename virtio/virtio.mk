# virtio/: split virtqueues, PCI and the virtio 1.x PCI and MMIO transports, virtio-net,
# virtio-blk.
KERNEL_C_SRCS += virtio/virtq.c virtio/pci.c virtio/virtio_pci.c virtio/virtio_mmio.c \
	virtio/mmio_param.c virtio/virtio_net.c virtio/virtio_net_tx.c virtio/virtio_net_rx.c \
	virtio/vnet_selftest.c virtio/vblk_req.c virtio/virtio_blk.c
