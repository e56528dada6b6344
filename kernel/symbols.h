/* symbols.h - the image's own symbol table (tools/mksymtab.sh puts it in .vmos_symtab):
 * names for backtraces, and the lookups behind dladdr, dlsym and backtrace_symbols. */
#ifndef KERNEL_SYMBOLS_H
#define KERNEL_SYMBOLS_H

#include <stddef.h>
#include <stdint.h>

struct kernel_symbol {
	const char *name;
	uintptr_t address; /* run-time address */
	size_t size;       /* 0 where the object file gave none (assembler labels) */
	char type;         /* nm's letter: T t W (code), D B R V (global data) */
};

/* symbol_count - entries in the table; 0 in an image linked without one. */
size_t symbol_count(void);

/* symbol_at - the symbol that contains @address, or else the nearest code symbol below it
 * in the image's text; 0 and @sym untouched when @address is outside the image or below
 * its first symbol. */
int symbol_at(uintptr_t address, struct kernel_symbol *sym);

/* symbol_named - the global symbol (type T, W, D, B, R or V) called @name; 0 when there
 * is none. Local functions are not found, as a dynamic linker finds no static function. */
int symbol_named(const char *name, struct kernel_symbol *sym);

/* symbol_image_base - the run-time address of the image's first byte (its ELF header);
 * the load bias is this minus IMAGE_LINK_BASE. */
uintptr_t symbol_image_base(void);

#endif
