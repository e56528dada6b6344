/* reloc.h - applying the static-PIE image's own relocations.
 *
 * The image is linked at IMAGE_LINK_BASE and carries only R_X86_64_RELATIVE relocations.
 * The BIOS loader applies them once for wherever it loaded the image; the kernel applies
 * them again to its copy in the linear range before it jumps there. Pure logic.
 */
#ifndef MM_RELOC_H
#define MM_RELOC_H

#include <stddef.h>
#include <stdint.h>

#define IMAGE_LINK_BASE   0x100000ull
#define R_X86_64_RELATIVE 8

struct elf64_rela {
	uint64_t r_offset;
	uint64_t r_info;
	int64_t r_addend;
};

/* reloc_apply - apply @count relocations to the image copy at @image (whose link-time
 * address is IMAGE_LINK_BASE), for a run-time address of @run_base: each relocated word
 * gets run_base + (addend - IMAGE_LINK_BASE). @image_size bounds the writes.
 * Returns 0, or -EINVAL (after applying nothing) when a relocation is not RELATIVE or
 * points outside the image. */
int reloc_apply(const struct elf64_rela *rela, size_t count, void *image, uint64_t image_size,
                uint64_t run_base);

#endif
