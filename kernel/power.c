/* power.c - leaving the VM: QEMU's isa-debug-exit (tests read the status from it), then
 * an ACPI soft-off (PM1a control block, SLP_TYP from the DSDT's \_S5 object), then halt. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "kernel/cpu.h"
#include "kernel/kernel.h"
#include "mm/vm.h"

#define DEBUG_EXIT_PORT 0xf4
#define ACPI_SLP_EN     (1u << 13)

static bool vm_ready;

/* power_vm_ready - the scratch area can map ACPI tables from now on. */
void power_vm_ready(void)
{
	vm_ready = true;
}

static const uint8_t *map_bytes(uint64_t phys, uint64_t len)
{
	volatile void *p;

	if (!phys || mmio_map(phys, len, &p))
		return NULL;
	return (const uint8_t *)(uintptr_t)p;
}

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

static const uint8_t *map_table(uint64_t phys)
{
	const uint8_t *hdr = map_bytes(phys, 36);
	if (!hdr)
		return NULL;
	uint32_t len = rd32(hdr + 4);
	if (len < 36 || len > (1u << 20))
		return NULL;
	return map_bytes(phys, len);
}

static uint64_t find_rsdp(void)
{
	const struct boot_info *bi = kernel_boot_info();

	if (bi && bi->rsdp_phys)
		return bi->rsdp_phys;
	const uint8_t *bios = map_bytes(0xe0000, 0x20000);
	if (!bios)
		return 0;
	for (uint64_t off = 0; off < 0x20000; off += 16)
		if (!memcmp(bios + off, "RSD PTR ", 8))
			return 0xe0000 + off;
	return 0;
}

/* The SLP_TYPa value of \_S5: "_S5_" PackageOp PkgLength NumElements <first element>. */
static int s5_sleep_type(const uint8_t *dsdt)
{
	uint32_t len = rd32(dsdt + 4);

	for (uint32_t i = 36; i + 8 < len; i++) {
		if (memcmp(dsdt + i, "_S5_", 4) || dsdt[i + 4] != 0x12)
			continue;
		const uint8_t *p = dsdt + i + 5;
		p += (*p >> 6) + 1; /* PkgLength */
		p++;                /* NumElements */
		if (*p == 0x0a)     /* BytePrefix */
			return p[1];
		if (*p == 0x00 || *p == 0x01)
			return *p;
		return -1;
	}
	return -1;
}

/* acpi_power_off - request ACPI soft-off; false when the tables offer no way to. */
static bool acpi_power_off(void)
{
	uint64_t rsdp_phys = find_rsdp();
	const uint8_t *rsdp = rsdp_phys ? map_bytes(rsdp_phys, 36) : NULL;
	if (!rsdp)
		return false;
	bool xsdt = rsdp[15] >= 2 && rd64(rsdp + 24);
	const uint8_t *sdt = map_table(xsdt ? rd64(rsdp + 24) : rd32(rsdp + 16));
	if (!sdt)
		return false;
	uint32_t entry_size = xsdt ? 8 : 4;
	uint32_t count = (rd32(sdt + 4) - 36) / entry_size;
	for (uint32_t i = 0; i < count; i++) {
		const uint8_t *e = sdt + 36 + i * entry_size;
		const uint8_t *t = map_table(xsdt ? rd64(e) : rd32(e));
		if (!t || memcmp(t, "FACP", 4))
			continue;
		uint32_t pm1a = rd32(t + 64);
		uint64_t dsdt_phys = rd32(t + 40);
		if (rd32(t + 4) >= 148 && rd64(t + 140))
			dsdt_phys = rd64(t + 140);
		const uint8_t *dsdt = map_table(dsdt_phys);
		int slp_typ = dsdt ? s5_sleep_type(dsdt) : -1;
		if (!pm1a || pm1a >= 0x10000 || slp_typ < 0)
			return false;
		outw((uint16_t)pm1a, (uint16_t)(((unsigned)slp_typ << 10) | ACPI_SLP_EN));
		return true;
	}
	return false;
}

void kernel_exit(int status)
{
	/* QEMU reports 2s+1 in an 8-bit process status: 0-127 travel intact, larger ones
	 * (128+signal after abort) arrive as 127. */
	outl(DEBUG_EXIT_PORT, (uint32_t)(status >= 0 && status <= 127 ? status : 127));
	/* Still here: no isa-debug-exit device. */
	if (status != 0)
		kprintf("kernel: exit status %d\n", status);
	if (vm_ready && acpi_power_off()) {
		/* The VMM acts on the request asynchronously: give it time before saying so. */
		uint64_t start = rdtsc();
		while (rdtsc() - start < 20000000000ull)
			__asm__ volatile("pause");
		kprintf("kernel: ACPI power-off did not take effect; halted\n");
	} else {
		kprintf("kernel: halted (no way to power off found)\n");
	}
	cpu_halt_forever();
}
