/* boot_info.h - the one read-only description of how the machine was started.
 *
 * Every boot path (BIOS disk boot in boot/start.asm, PVH direct boot in boot/pvh.asm, the
 * Linux 64-bit boot protocol that Firecracker uses, entering at the ELF entry point with a
 * zero page) ends in boot_main() (boot/handoff.c), which fills one struct boot_info from whatever
 * the path handed over and passes it to the kernel. After that the kernel never cares how it was
 * started.
 */
#ifndef BOOT_BOOT_INFO_H
#define BOOT_BOOT_INFO_H

#include <stdint.h>

#define BOOT_PATH_BIOS  1
#define BOOT_PATH_PVH   2
#define BOOT_PATH_LINUX 3 /* Linux 64-bit boot protocol (zero page in rsi): Firecracker */

/* Memory map entry types, as in E820 (PVH's hvm_memmap_table uses the same values). */
#define BOOT_MEM_USABLE   1
#define BOOT_MEM_RESERVED 2
#define BOOT_MEM_ACPI     3
#define BOOT_MEM_NVS      4
#define BOOT_MEM_BAD      5

#define BOOT_MAX_RANGES  128
#define BOOT_CMDLINE_MAX 4096

struct boot_mem_range {
	uint64_t base;
	uint64_t length;
	uint32_t type;
};

struct boot_info {
	uint32_t path; /* BOOT_PATH_* */
	uint32_t range_count;
	struct boot_mem_range ranges[BOOT_MAX_RANGES]; /* as the firmware/VMM reported them */
	char cmdline[BOOT_CMDLINE_MAX];                /* NUL-terminated, possibly empty */
	uint64_t initrd_phys;                          /* 0 when there is none */
	uint64_t initrd_size;
	uint64_t rsdp_phys;  /* ACPI RSDP when the VMM told us (PVH), else 0 */
	uint64_t image_phys; /* where the running image was loaded */
	uint64_t image_size; /* its size in memory, bss included */
	uint64_t tsc_entry;  /* TSC at the first instruction of the boot path's 64-bit entry */
};

/* BIOS handoff: written by boot/start.asm at a fixed low address, read by boot_main().
 * The layout is shared with the assembly; keep both in step. */
#define BIOS_HANDOFF_MAGIC    0x534f4d56u /* "VMOS" */
#define BIOS_HANDOFF_MAX_E820 128

struct bios_e820_entry {
	uint64_t base;
	uint64_t length;
	uint32_t type;
	uint32_t ext_attr;
} __attribute__((packed));

struct bios_handoff {
	uint32_t magic;
	uint32_t e820_count;
	uint64_t cmdline_phys; /* NUL-terminated, inside the first MiB */
	uint64_t image_phys;   /* where the ELF segments were loaded */
	uint64_t image_memsz;  /* span of the loaded segments, bss included */
	uint64_t file_phys;    /* where the raw kernel file was read to */
	uint64_t file_size;
	struct bios_e820_entry e820[BIOS_HANDOFF_MAX_E820];
} __attribute__((packed));

#endif
