/* zeropage.h - the Linux x86 boot protocol's "zero page" (struct boot_params), as a VMM
 * that boots kernels the Linux way hands it over: Firecracker enters an ELF kernel at its
 * entry point in 64-bit mode with the zero page's address in rsi (Linux's
 * Documentation/arch/x86/boot.rst, "64-bit boot protocol"; the field offsets are that
 * document's and arch/x86/include/uapi/asm/bootparam.h's).
 *
 * Pure logic over a copy of the page: unit-tested on the host (tests/unit/test_zeropage.c).
 * boot/handoff.c turns the result into struct boot_info. */
#ifndef BOOT_ZEROPAGE_H
#define BOOT_ZEROPAGE_H

#include <stdbool.h>
#include <stdint.h>

#define ZEROPAGE_SIZE     4096
#define ZEROPAGE_MAX_E820 128

struct zeropage_range {
	uint64_t base;
	uint64_t length;
	uint32_t type; /* E820 type: 1 usable, 2 reserved, 3 ACPI, 4 NVS, 5 bad */
};

struct zeropage_info {
	uint32_t range_count;
	struct zeropage_range ranges[ZEROPAGE_MAX_E820];
	uint64_t cmdline_phys; /* 0: none */
	uint32_t cmdline_size; /* the VMM's limit for it (0: not given) */
	uint64_t initrd_phys;  /* 0: none */
	uint64_t initrd_size;
	uint64_t rsdp_phys; /* 0: not given (boot protocol 2.14 and later) */
	uint16_t protocol;  /* the setup header's version, e.g. 0x020f (0 when not filled) */
};

/* zeropage_looks_valid - whether the ZEROPAGE_SIZE bytes at @page carry the setup header's
 * signatures (boot_flag 0xAA55 and "HdrS"): how a 64-bit entry tells a zero page from
 * other handoffs. */
bool zeropage_looks_valid(const void *page);

/* zeropage_parse - read the memory map (e820_table, at most ZEROPAGE_MAX_E820 entries;
 * e820_entries beyond that is an error), the command line's and the initrd's addresses
 * (the 64-bit "ext_" high halves included) and the ACPI RSDP from the ZEROPAGE_SIZE bytes
 * at @page into @out. Returns 0, or -EINVAL with @why naming the problem: no signature,
 * no memory map, too many entries. */
int zeropage_parse(const void *page, struct zeropage_info *out, const char **why);

#endif
