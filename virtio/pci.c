/* pci.c - PCI configuration mechanism #1, bus 0 scan, BARs and capabilities (pci.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/irq.h"
#include "mm/vm.h"
#include "virtio/pci.h"

#define PCI_CONFIG_ADDRESS 0xcf8
#define PCI_CONFIG_DATA    0xcfc

static inline uint32_t port_in32(uint16_t port)
{
	uint32_t v;
	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* Select the dword holding @off; the access itself goes through 0xCFC. */
static void select_dword(const struct pci_dev *d, uint8_t off)
{
	outl(PCI_CONFIG_ADDRESS, 0x80000000u | (uint32_t)d->bus << 16 | (uint32_t)d->slot << 11 |
	                             (uint32_t)d->func << 8 | (off & 0xfcu));
}

uint32_t pci_read32(const struct pci_dev *d, uint8_t off)
{
	select_dword(d, off);
	return port_in32(PCI_CONFIG_DATA);
}

uint16_t pci_read16(const struct pci_dev *d, uint8_t off)
{
	return (uint16_t)(pci_read32(d, off) >> ((off & 2) * 8));
}

uint8_t pci_read8(const struct pci_dev *d, uint8_t off)
{
	return (uint8_t)(pci_read32(d, off) >> ((off & 3) * 8));
}

void pci_write32(const struct pci_dev *d, uint8_t off, uint32_t v)
{
	select_dword(d, off);
	outl(PCI_CONFIG_DATA, v);
}

void pci_write16(const struct pci_dev *d, uint8_t off, uint16_t v)
{
	select_dword(d, off);
	outw((uint16_t)(PCI_CONFIG_DATA + (off & 2)), v);
}

bool pci_present(void)
{
	static int present = -1;

	/* The address register reads back what was written when a host bridge decodes
	 * it (Linux's pci_check_type1); with nothing behind the port it reads all ones. */
	if (present < 0) {
		outl(PCI_CONFIG_ADDRESS, 0x80000000u);
		present = port_in32(PCI_CONFIG_ADDRESS) == 0x80000000u;
	}
	return present;
}

int pci_scan(struct pci_dev *out, int max)
{
	int found = 0;

	if (!pci_present())
		return 0;
	for (uint8_t slot = 0; slot < 32; slot++) {
		for (uint8_t func = 0; func < 8; func++) {
			struct pci_dev d = {0, slot, func, 0, 0};
			uint32_t id = pci_read32(&d, PCI_VENDOR_ID);
			if ((id & 0xffff) == 0xffff) {
				if (func == 0)
					break; /* no device in this slot */
				continue;
			}
			d.vendor = (uint16_t)id;
			d.device = (uint16_t)(id >> 16);
			if (found < max)
				out[found] = d;
			found++;
			/* Functions 1-7 exist only behind a multi-function header. */
			if (func == 0 && !(pci_read8(&d, PCI_HEADER_TYPE) & 0x80))
				break;
		}
	}
	return found;
}

int pci_bar(const struct pci_dev *d, int index, struct pci_bar *out)
{
	if (index < 0 || index >= PCI_BAR_COUNT)
		return -EINVAL;
	uint8_t off = (uint8_t)(PCI_BAR0 + 4 * index);
	uint32_t lo = pci_read32(d, off);
	uint16_t cmd = pci_read16(d, PCI_COMMAND);

	*out = (struct pci_bar){0};
	/* Sizing: write all ones, read back the writable bits; decoding off meanwhile so
	 * the device does not answer at the transient address. */
	pci_write16(d, PCI_COMMAND, cmd & (uint16_t) ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
	pci_write32(d, off, 0xffffffffu);
	uint32_t mask_lo = pci_read32(d, off);
	pci_write32(d, off, lo);
	if (lo & 1) {
		out->io = true;
		out->phys = lo & ~3u;
		uint32_t m = mask_lo & ~3u;
		out->size = m ? (uint32_t)(~m + 1) & 0xffffu : 0;
	} else {
		uint64_t mask = mask_lo & ~0xfu;
		out->phys = lo & ~0xfu;
		if (((lo >> 1) & 3) == 2) { /* 64-bit */
			if (index == PCI_BAR_COUNT - 1) {
				pci_write16(d, PCI_COMMAND, cmd);
				return -EINVAL;
			}
			uint8_t off_hi = (uint8_t)(off + 4);
			uint32_t hi = pci_read32(d, off_hi);
			pci_write32(d, off_hi, 0xffffffffu);
			uint32_t mask_hi = pci_read32(d, off_hi);
			pci_write32(d, off_hi, hi);
			out->is64 = true;
			out->phys |= (uint64_t)hi << 32;
			mask |= (uint64_t)mask_hi << 32;
		} else {
			mask |= 0xffffffff00000000ull;
		}
		out->size = (mask & ~0xfull) ? ~(mask & ~0xfull) + 1 : 0;
	}
	pci_write16(d, PCI_COMMAND, cmd);
	return 0;
}

int pci_bar_map(const struct pci_dev *d, int index, volatile void **out)
{
	struct pci_bar bar;
	int err = pci_bar(d, index, &bar);
	if (err)
		return err;
	if (bar.io || !bar.size || !bar.phys)
		return -ENODEV;
	return mmio_map(bar.phys, bar.size, out);
}

uint8_t pci_cap_find(const struct pci_dev *d, uint8_t cap_id, uint8_t after)
{
	if (!(pci_read16(d, PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return 0;
	uint8_t off = after ? pci_read8(d, (uint8_t)(after + 1)) : pci_read8(d, PCI_CAP_PTR);
	/* 48 capabilities fill the 192 bytes after the header: a longer list is a loop. */
	for (int guard = 0; off >= 0x40 && guard < 48; guard++) {
		off &= 0xfc;
		if (pci_read8(d, off) == cap_id)
			return off;
		off = pci_read8(d, (uint8_t)(off + 1));
	}
	return 0;
}

/* MSI-X capability (PCI Local Bus 3.0, 6.8.2): message control, then table and pending
 * bit array locations (a BAR index in the low 3 bits, an offset in the rest). */
#define MSIX_CONTROL        2
#define MSIX_TABLE          4
#define MSIX_CTRL_SIZE_MASK 0x7ffu
#define MSIX_CTRL_MASKALL   (1u << 14)
#define MSIX_CTRL_ENABLE    (1u << 15)
#define MSIX_ENTRY_BYTES    16
#define MSIX_VECTOR_MASKED  1u

int pci_msix_route(const struct pci_dev *d, uint16_t entry, unsigned vector)
{
	uint8_t cap = pci_cap_find(d, PCI_CAP_ID_MSIX, 0);
	if (!cap)
		return -ENODEV;
	uint16_t ctrl = pci_read16(d, (uint8_t)(cap + MSIX_CONTROL));
	if (entry > (ctrl & MSIX_CTRL_SIZE_MASK))
		return -ENODEV;
	uint32_t table = pci_read32(d, (uint8_t)(cap + MSIX_TABLE));
	volatile void *bar;
	int err = pci_bar_map(d, (int)(table & 7), &bar);
	if (err)
		return err;
	volatile uint32_t *e = (volatile uint32_t *)((volatile uint8_t *)bar + (table & ~7u) +
	                                             (uint32_t)entry * MSIX_ENTRY_BYTES);
	uint64_t addr;
	uint32_t data;
	irq_msi_message(vector, &addr, &data);
	/* Enabled with every entry masked while the entry is written. */
	pci_write16(d, (uint8_t)(cap + MSIX_CONTROL),
	            (uint16_t)(ctrl | MSIX_CTRL_ENABLE | MSIX_CTRL_MASKALL));
	e[3] |= MSIX_VECTOR_MASKED;
	e[0] = (uint32_t)addr;
	e[1] = (uint32_t)(addr >> 32);
	e[2] = data;
	e[3] &= ~MSIX_VECTOR_MASKED;
	pci_write16(d, (uint8_t)(cap + MSIX_CONTROL),
	            (uint16_t)((ctrl | MSIX_CTRL_ENABLE) & ~MSIX_CTRL_MASKALL));
	return 0;
}

void pci_enable(const struct pci_dev *d, bool intx)
{
	uint16_t cmd = pci_read16(d, PCI_COMMAND);
	cmd |= PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	if (intx)
		cmd &= (uint16_t)~PCI_COMMAND_INTX_DISABLE;
	else
		cmd |= PCI_COMMAND_INTX_DISABLE;
	pci_write16(d, PCI_COMMAND, cmd);
}

const char *pci_name(const struct pci_dev *d, char buf[8])
{
	ksnprintf(buf, 8, "%02x:%02x.%x", d->bus, d->slot, d->func);
	return buf;
}
