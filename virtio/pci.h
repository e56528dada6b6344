/* pci.h - PCI configuration space through ports 0xCF8/0xCFC (configuration mechanism
 * #1), a scan of bus 0, BAR decoding and mapping, and the capability list.
 *
 * Only bus 0 is scanned: QEMU's pc and q35 machines put their devices there, and a
 * unikernel has few devices. Called in thread context; nothing here sleeps. */
#ifndef VIRTIO_PCI_H
#define VIRTIO_PCI_H

#include <stdbool.h>
#include <stdint.h>

#define PCI_VENDOR_ID      0x00
#define PCI_DEVICE_ID      0x02
#define PCI_COMMAND        0x04
#define PCI_STATUS         0x06
#define PCI_HEADER_TYPE    0x0e
#define PCI_BAR0           0x10
#define PCI_SUBSYSTEM_ID   0x2e
#define PCI_CAP_PTR        0x34
#define PCI_INTERRUPT_LINE 0x3c
#define PCI_INTERRUPT_PIN  0x3d

#define PCI_COMMAND_IO           (1u << 0)
#define PCI_COMMAND_MEMORY       (1u << 1)
#define PCI_COMMAND_MASTER       (1u << 2)
#define PCI_COMMAND_INTX_DISABLE (1u << 10)
#define PCI_STATUS_CAP_LIST      (1u << 4)
#define PCI_CAP_ID_MSIX          0x11
#define PCI_CAP_ID_VENDOR        0x09
#define PCI_BAR_COUNT            6

struct pci_dev {
	uint8_t bus, slot, func;
	uint16_t vendor, device;
};

struct pci_bar {
	uint64_t phys; /* base address (an I/O port number for I/O BARs) */
	uint64_t size; /* 0 when the BAR is not implemented */
	bool io;       /* an I/O-space BAR */
	bool is64;     /* a 64-bit memory BAR (it also uses the next BAR register) */
};

uint8_t pci_read8(const struct pci_dev *d, uint8_t off);
uint16_t pci_read16(const struct pci_dev *d, uint8_t off);
uint32_t pci_read32(const struct pci_dev *d, uint8_t off);
void pci_write16(const struct pci_dev *d, uint8_t off, uint16_t v);
void pci_write32(const struct pci_dev *d, uint8_t off, uint32_t v);

/* pci_present - whether configuration mechanism #1 answers at 0xCF8 (a host bridge is
 * there; QEMU's microvm has none). Checked once, with two port accesses. */
bool pci_present(void);

/* pci_scan - the functions present on bus 0, in slot order, up to @max into @out.
 * Returns how many were found (possibly more than @max: only @max are stored); 0 at once
 * when there is no PCI (pci_present). */
int pci_scan(struct pci_dev *out, int max);

/* pci_bar - decode BAR @index of @d (its size measured by writing all ones with
 * decoding turned off, then restored). Returns 0, or -EINVAL for a bad index or the
 * upper half of a 64-bit BAR. */
int pci_bar(const struct pci_dev *d, int index, struct pci_bar *out);

/* pci_bar_map - map memory BAR @index into the MMIO scratch area (mm/vm.h mmio_map).
 * Returns 0 and the address in @out, -ENODEV when the BAR is absent, unassigned or an
 * I/O BAR, or -errno from mmio_map. Mappings are permanent; mapping twice is harmless. */
int pci_bar_map(const struct pci_dev *d, int index, volatile void **out);

/* pci_cap_find - offset in configuration space of the first capability with id @cap_id
 * after offset @after (0: from the start of the list), or 0 when there is none. */
uint8_t pci_cap_find(const struct pci_dev *d, uint8_t cap_id, uint8_t after);

/* pci_msix_route - program entry @entry of @d's MSI-X table (in its mapped BAR) to raise
 * @vector (kernel/irq.h irq_alloc) on this CPU, unmask it and enable MSI-X. Returns 0,
 * -ENODEV when @d has no MSI-X capability or fewer entries, or -errno from mapping. */
int pci_msix_route(const struct pci_dev *d, uint16_t entry, unsigned vector);

/* pci_enable - turn on memory decoding and bus mastering (DMA); with @intx false also
 * set the INTx-disable bit (when MSI-X delivers the interrupts instead). */
void pci_enable(const struct pci_dev *d, bool intx);

/* pci_name - "00:03.0" style text for messages; @buf must hold 8 bytes. */
const char *pci_name(const struct pci_dev *d, char buf[8]);

#endif
