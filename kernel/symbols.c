/* symbols.c - lookups in the image's own symbol table (layout: tools/mksymtab.sh). The
 * table is sorted by address and holds offsets from the image's first byte, so it reads
 * the same wherever a loader put the image. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "kernel/kernel.h"
#include "kernel/symbols.h"

struct symtab_entry {
	uint32_t offset;
	uint32_t size;
	uint32_t name;
	uint32_t type;
};

struct symtab_header {
	uint32_t count;
	uint32_t reserved;
};

extern const char __symtab_start[], __symtab_end[];
extern char __image_start[], __text_end[], __image_end[];

static const struct symtab_header *header(void)
{
	if ((size_t)(__symtab_end - __symtab_start) < sizeof(struct symtab_header))
		return NULL;
	return (const struct symtab_header *)(const void *)__symtab_start;
}

static const struct symtab_entry *entries(void)
{
	return (const struct symtab_entry *)(const void *)(__symtab_start +
	                                                   sizeof(struct symtab_header));
}

static const char *names(void)
{
	return (const char *)(entries() + header()->count);
}

static void fill(const struct symtab_entry *e, struct kernel_symbol *sym)
{
	sym->name = names() + e->name;
	sym->address = symbol_image_base() + e->offset;
	sym->size = e->size;
	sym->type = (char)e->type;
}

static int is_code(uint32_t type)
{
	return type == 'T' || type == 't' || type == 'W';
}

static int is_global(uint32_t type)
{
	return type != 't';
}

uintptr_t symbol_image_base(void)
{
	return (uintptr_t)__image_start;
}

size_t symbol_count(void)
{
	return header() ? header()->count : 0;
}

int symbol_at(uintptr_t address, struct kernel_symbol *sym)
{
	size_t n = symbol_count();
	uintptr_t base = symbol_image_base();

	if (!n || address < base || address >= (uintptr_t)__image_end)
		return 0;
	uint64_t offset = address - base;
	const struct symtab_entry *e = entries();
	/* The last entry at or below the offset (binary search on the sorted offsets). */
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (e[mid].offset <= offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return 0;
	/* Several symbols may share an address, and a sized one may end before @address:
	 * prefer one that contains it, then a global name; else the nearest code symbol. */
	const struct symtab_entry *best = NULL;
	for (size_t i = lo; i-- > 0 && e[i].offset == e[lo - 1].offset;) {
		int contains = offset < (uint64_t)e[i].offset + e[i].size;
		if (contains && (!best || (is_global(e[i].type) && !is_global(best->type))))
			best = &e[i];
	}
	if (!best) {
		if (address >= (uintptr_t)__text_end)
			return 0; /* data past every sized object: no name fits */
		for (size_t i = lo; i-- > 0;) {
			if (is_code(e[i].type)) {
				best = &e[i];
				break;
			}
		}
	}
	if (!best)
		return 0;
	fill(best, sym);
	return 1;
}

int symbol_named(const char *name, struct kernel_symbol *sym)
{
	size_t n = symbol_count();
	const struct symtab_entry *e = entries();

	for (size_t i = 0; i < n; i++) {
		if (is_global(e[i].type) && strcmp(names() + e[i].name, name) == 0) {
			fill(&e[i], sym);
			return 1;
		}
	}
	return 0;
}
