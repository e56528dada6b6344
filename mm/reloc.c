/* reloc.c - applying the image's R_X86_64_RELATIVE relocations to a copy of it. */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mm/reloc.h"

/* ELF64_R_TYPE: the relocation type is the low 32 bits of r_info. */
static uint32_t rela_type(const struct elf64_rela *r)
{
	return (uint32_t)(r->r_info & 0xffffffffu);
}

/* Whether @r is a RELATIVE relocation whose 8-byte target lies inside the image. */
static bool rela_valid(const struct elf64_rela *r, uint64_t image_size)
{
	uint64_t off;

	if (rela_type(r) != R_X86_64_RELATIVE || r->r_offset < IMAGE_LINK_BASE)
		return false;
	off = r->r_offset - IMAGE_LINK_BASE;
	return off <= image_size && image_size - off >= sizeof(uint64_t);
}

int reloc_apply(const struct elf64_rela *rela, size_t count, void *image, uint64_t image_size,
                uint64_t run_base)
{
	unsigned char *bytes = image;

	/* Check everything first, so that a bad table leaves the image untouched. */
	for (size_t i = 0; i < count; i++) {
		if (!rela_valid(&rela[i], image_size))
			return -EINVAL;
	}
	for (size_t i = 0; i < count; i++) {
		/* Unsigned arithmetic: wraps like the 64-bit address computation it is. */
		uint64_t value = run_base + ((uint64_t)rela[i].r_addend - IMAGE_LINK_BASE);

		/* memcpy: relocated words need not be 8-byte aligned. */
		memcpy(bytes + (rela[i].r_offset - IMAGE_LINK_BASE), &value, sizeof(value));
	}
	return 0;
}
