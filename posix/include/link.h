/* link.h - the loaded objects of a program, as glibc describes them: in a VMOS image there
 * is one, the image (posix/libc/dlfcn.c). */
#ifndef VMOS_LINK_H
#define VMOS_LINK_H

#include <elf.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ElfW(type) Elf64_##type

struct link_map {
	ElfW(Addr) l_addr; /* load bias: run-time minus link-time addresses */
	char *l_name;      /* "" for the program itself, as glibc */
	ElfW(Dyn) * l_ld;  /* the object's dynamic section */
	struct link_map *l_next, *l_prev;
};

struct dl_phdr_info {
	ElfW(Addr) dlpi_addr;
	const char *dlpi_name;
	const ElfW(Phdr) * dlpi_phdr;
	ElfW(Half) dlpi_phnum;
	unsigned long long int dlpi_adds;
	unsigned long long int dlpi_subs;
	size_t dlpi_tls_modid;
	void *dlpi_tls_data;
};

/* dl_iterate_phdr - calls CALLBACK for each loaded object (the image) until it returns
 * non-zero; returns the last value CALLBACK returned. */
int dl_iterate_phdr(int (*callback)(struct dl_phdr_info *info, size_t size, void *data),
                    void *data);

#ifdef __cplusplus
}
#endif

#endif
