/* zeropage.c - parsing the Linux boot protocol's zero page (see zeropage.h). Fields are
 * read at their documented offsets with memcpy: the page is packed and byte-addressed. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "boot/zeropage.h"

/* Offsets in struct boot_params (Linux boot.rst, "The zero page"). */
#define ZP_ACPI_RSDP_ADDR    0x070 /* u64, protocol 2.14+ */
#define ZP_EXT_RAMDISK_IMAGE 0x0c0 /* u32: high half of ramdisk_image */
#define ZP_EXT_RAMDISK_SIZE  0x0c4 /* u32: high half of ramdisk_size */
#define ZP_EXT_CMD_LINE_PTR  0x0c8 /* u32: high half of cmd_line_ptr */
#define ZP_E820_ENTRIES      0x1e8 /* u8 */
#define ZP_BOOT_FLAG         0x1fe /* u16: 0xAA55 */
#define ZP_HEADER            0x202 /* u32: "HdrS" */
#define ZP_VERSION           0x206 /* u16 */
#define ZP_RAMDISK_IMAGE     0x218 /* u32 */
#define ZP_RAMDISK_SIZE      0x21c /* u32 */
#define ZP_CMD_LINE_PTR      0x228 /* u32 */
#define ZP_CMDLINE_SIZE      0x238 /* u32 */
#define ZP_E820_TABLE        0x2d0 /* struct boot_e820_entry[128]: u64 addr, u64 size, u32 type */
#define ZP_E820_ENTRY_SIZE   20

#define BOOT_FLAG_MAGIC 0xaa55u
#define HDRS_MAGIC      0x53726448u /* "HdrS" */

static uint64_t read_le(const uint8_t *page, size_t offset, size_t bytes)
{
	uint64_t v = 0;

	memcpy(&v, page + offset, bytes); /* x86: little-endian, like the protocol */
	return v;
}

bool zeropage_looks_valid(const void *page)
{
	const uint8_t *p = page;

	return read_le(p, ZP_BOOT_FLAG, 2) == BOOT_FLAG_MAGIC &&
	       read_le(p, ZP_HEADER, 4) == HDRS_MAGIC;
}

int zeropage_parse(const void *page, struct zeropage_info *out, const char **why)
{
	const uint8_t *p = page;

	memset(out, 0, sizeof(*out));
	if (!zeropage_looks_valid(page)) {
		if (why)
			*why = "zero page without the setup header's signatures (0xAA55, HdrS)";
		return -EINVAL;
	}
	uint32_t entries = (uint32_t)read_le(p, ZP_E820_ENTRIES, 1);
	if (entries == 0) {
		if (why)
			*why = "zero page carries no memory map (e820_entries is 0)";
		return -EINVAL;
	}
	if (entries > ZEROPAGE_MAX_E820) {
		if (why)
			*why = "zero page claims more than 128 memory map entries";
		return -EINVAL;
	}
	for (uint32_t i = 0; i < entries; i++) {
		size_t at = ZP_E820_TABLE + (size_t)i * ZP_E820_ENTRY_SIZE;
		out->ranges[i].base = read_le(p, at, 8);
		out->ranges[i].length = read_le(p, at + 8, 8);
		out->ranges[i].type = (uint32_t)read_le(p, at + 16, 4);
	}
	out->range_count = entries;
	out->protocol = (uint16_t)read_le(p, ZP_VERSION, 2);
	out->cmdline_phys = read_le(p, ZP_CMD_LINE_PTR, 4) | read_le(p, ZP_EXT_CMD_LINE_PTR, 4)
	                                                         << 32;
	out->cmdline_size = (uint32_t)read_le(p, ZP_CMDLINE_SIZE, 4);
	out->initrd_phys = read_le(p, ZP_RAMDISK_IMAGE, 4) | read_le(p, ZP_EXT_RAMDISK_IMAGE, 4)
	                                                         << 32;
	out->initrd_size = read_le(p, ZP_RAMDISK_SIZE, 4) | read_le(p, ZP_EXT_RAMDISK_SIZE, 4)
	                                                        << 32;
	if (!out->initrd_size)
		out->initrd_phys = 0;
	if (out->protocol >= 0x020e)
		out->rsdp_phys = read_le(p, ZP_ACPI_RSDP_ADDR, 8);
	return 0;
}
