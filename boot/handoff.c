/* handoff.c - turns what a boot path handed over into the one struct boot_info.
 *
 * Called from boot/entry64.asm on the early stack, running at the image's load address
 * with the first 1 GiB identity-mapped. Everything is copied into the image (the struct
 * lives in .bss), so the kernel may reuse the memory the firmware or VMM wrote it in.
 */
#include <stdint.h>
#include <string.h>

#include "boot/boot_info.h"
#include "boot/zeropage.h"
#include "kernel/kernel.h"

/* Xen's x86/HVM direct boot ABI (start_info.h), as QEMU and Firecracker fill it. */
#define HVM_START_MAGIC 0x336ec578u

struct hvm_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	uint64_t memmap_paddr; /* version >= 1 */
	uint32_t memmap_entries;
	uint32_t reserved;
};

struct hvm_modlist_entry {
	uint64_t paddr;
	uint64_t size;
	uint64_t cmdline_paddr;
	uint64_t reserved;
};

struct hvm_memmap_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
	uint32_t reserved;
};

/* Identity-mapped limit during boot: anything the VMM handed over must lie below it. */
#define BOOT_IDENTITY_LIMIT (1ull << 30)

static struct boot_info boot_info;

static void copy_cmdline(uint64_t phys)
{
	if (!phys || phys >= BOOT_IDENTITY_LIMIT)
		return;
	const char *src = (const char *)(uintptr_t)phys;
	size_t i = 0;
	while (i < BOOT_CMDLINE_MAX - 1 && phys + i < BOOT_IDENTITY_LIMIT && src[i]) {
		boot_info.cmdline[i] = src[i];
		i++;
	}
	boot_info.cmdline[i] = '\0';
}

static void add_range(uint64_t base, uint64_t length, uint32_t type)
{
	if (boot_info.range_count >= BOOT_MAX_RANGES)
		return;
	struct boot_mem_range *r = &boot_info.ranges[boot_info.range_count++];
	r->base = base;
	r->length = length;
	r->type = type;
}

static const char *from_pvh(const struct hvm_start_info *si)
{
	if ((uint64_t)(uintptr_t)si >= BOOT_IDENTITY_LIMIT || si->magic != HVM_START_MAGIC)
		return "PVH start info has a bad magic";
	if (si->version < 1 || !si->memmap_paddr || !si->memmap_entries)
		return "PVH start info carries no memory map (version 0 start info)";
	const struct hvm_memmap_entry *map =
	    (const struct hvm_memmap_entry *)(uintptr_t)si->memmap_paddr;
	for (uint32_t i = 0; i < si->memmap_entries; i++)
		add_range(map[i].addr, map[i].size, map[i].type);
	copy_cmdline(si->cmdline_paddr);
	boot_info.rsdp_phys = si->rsdp_paddr;
	if (si->nr_modules > 0 && si->modlist_paddr) {
		const struct hvm_modlist_entry *mod =
		    (const struct hvm_modlist_entry *)(uintptr_t)si->modlist_paddr;
		boot_info.initrd_phys = mod[0].paddr;
		boot_info.initrd_size = mod[0].size;
	}
	return NULL;
}

static const char *from_bios(const struct bios_handoff *h)
{
	if (h->magic != BIOS_HANDOFF_MAGIC)
		return "BIOS handoff has a bad magic";
	uint32_t n = h->e820_count;
	if (n == 0)
		return "BIOS handoff carries no memory map";
	if (n > BIOS_HANDOFF_MAX_E820)
		n = BIOS_HANDOFF_MAX_E820;
	for (uint32_t i = 0; i < n; i++)
		add_range(h->e820[i].base, h->e820[i].length, h->e820[i].type);
	copy_cmdline(h->cmdline_phys);
	return NULL;
}

static const char *from_linux(const void *zero_page)
{
	static struct zeropage_info zp; /* too big for the early stack */
	const char *why = NULL;

	if (zeropage_parse(zero_page, &zp, &why) != 0)
		return why;
	for (uint32_t i = 0; i < zp.range_count; i++)
		add_range(zp.ranges[i].base, zp.ranges[i].length, zp.ranges[i].type);
	copy_cmdline(zp.cmdline_phys);
	boot_info.initrd_phys = zp.initrd_phys;
	boot_info.initrd_size = zp.initrd_size;
	boot_info.rsdp_phys = zp.rsdp_phys;
	return NULL;
}

/* The ELF entry point is reached by the BIOS loader (rdi = BOOT_PATH_BIOS, rsi = its
 * handoff) and by VMMs using the Linux 64-bit boot protocol (rsi = the zero page, rdi
 * whatever they leave there: Firecracker clears it). */
static uint64_t entry_path(uint64_t path, uint64_t info)
{
	if (path == BOOT_PATH_PVH)
		return path;
	if (info >= BOOT_IDENTITY_LIMIT || info == 0)
		return path;
	if (path == BOOT_PATH_BIOS &&
	    ((const struct bios_handoff *)(uintptr_t)info)->magic == BIOS_HANDOFF_MAGIC)
		return path;
	if (zeropage_looks_valid((const void *)(uintptr_t)info))
		return BOOT_PATH_LINUX;
	return path;
}

extern char __image_start[], __image_end[];

void boot_main(uint64_t path, uint64_t info, uint64_t tsc_entry)
{
	const char *err;

	console_init();
	console_write("\n", 1); /* firmware may have left the cursor mid-line */
	boot_info.tsc_entry = tsc_entry;
	path = entry_path(path, info);
	boot_info.path = (uint32_t)path;
	boot_info.image_phys = (uint64_t)(uintptr_t)__image_start;
	boot_info.image_size = (uint64_t)(__image_end - __image_start);
	if (path == BOOT_PATH_PVH)
		err = from_pvh((const struct hvm_start_info *)(uintptr_t)info);
	else if (path == BOOT_PATH_BIOS)
		err = from_bios((const struct bios_handoff *)(uintptr_t)info);
	else if (path == BOOT_PATH_LINUX)
		err = from_linux((const void *)(uintptr_t)info);
	else
		err = "unknown boot path";
	if (err)
		kernel_boot_failed(err);
	kernel_start(&boot_info);
}
