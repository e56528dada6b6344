/* dlfcn.c - dlopen and friends over an image that is the program's only object: the
 * program and every module it uses are linked in, so dlopen(NULL) gives the image, dlsym
 * finds its global symbols in the image's own table (kernel/symbols.h), dladdr and
 * dl_iterate_phdr describe it, and dlopen of a file fails with a message that says so.
 * Messages and return values follow glibc's; dlerror's message is the process's one
 * (glibc keeps one per thread: VMOS's threads only switch at blocking calls). */
#include <dlfcn.h>
#include <link.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kernel/symbols.h"
#include "mm/reloc.h"
#include "posix/posix.h"

extern ElfW(Dyn) _DYNAMIC[] __attribute__((visibility("hidden")));

static char message[320];
static int message_pending;
static struct link_map image_map;

static void set_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	message_pending = 1;
}

static struct link_map *image(void)
{
	if (!image_map.l_name) {
		image_map.l_addr = symbol_image_base() - IMAGE_LINK_BASE;
		image_map.l_name = "";
		image_map.l_ld = _DYNAMIC;
	}
	return &image_map;
}

static int in_image(uintptr_t address)
{
	extern char __image_end[];

	return address >= symbol_image_base() && address < (uintptr_t)__image_end;
}

void *dlopen(const char *file, int mode)
{
	if (!(mode & RTLD_BINDING_MASK)) {
		set_error("invalid mode for dlopen(): Invalid argument");
		return NULL;
	}
	if (!file)
		return image();
	set_error("%s: cannot open shared object file: modules are linked into a VMOS image, "
	          "not loaded",
	          file);
	return NULL;
}

int dlclose(void *handle)
{
	if (handle != image()) {
		set_error("shared object not open");
		return -1;
	}
	return 0;
}

void *dlsym(void *restrict handle, const char *restrict name)
{
	struct kernel_symbol sym;

	if (handle == RTLD_NEXT)
		return NULL; /* no object follows the program; glibc leaves dlerror empty too */
	if (handle != RTLD_DEFAULT && handle != image()) {
		set_error("dlsym: invalid handle");
		return NULL;
	}
	if (!name || !symbol_named(name, &sym)) {
		set_error("%s: undefined symbol: %s", posix_program_name, name ? name : "(null)");
		return NULL;
	}
	return (void *)sym.address;
}

void *dlvsym(void *restrict handle, const char *restrict name, const char *restrict version)
{
	(void)version; /* the image's symbols carry no versions: any version is the one */
	return dlsym(handle, name);
}

char *dlerror(void)
{
	if (!message_pending)
		return NULL;
	message_pending = 0;
	return message;
}

static Elf64_Sym symbol_entry;

int dladdr1(const void *address, Dl_info *info, void **extra_info, int flags)
{
	struct kernel_symbol sym;
	uintptr_t a = (uintptr_t)address;

	if (!in_image(a))
		return 0;
	info->dli_fname = posix_program_name;
	info->dli_fbase = (void *)symbol_image_base();
	info->dli_sname = NULL;
	info->dli_saddr = NULL;
	int found = symbol_at(a, &sym);
	if (found) {
		info->dli_sname = sym.name;
		info->dli_saddr = (void *)sym.address;
	}
	if (flags == RTLD_DL_LINKMAP && extra_info) {
		*extra_info = image();
	} else if (flags == RTLD_DL_SYMENT && extra_info) {
		*extra_info = NULL;
		if (found) {
			/* One entry, rewritten by the next call, as the table holds no Elf64_Sym.
			 */
			int is_code = sym.type == 'T' || sym.type == 't' || sym.type == 'W';
			int binding = sym.type == 't'   ? STB_LOCAL
			              : sym.type == 'W' ? STB_WEAK
			                                : STB_GLOBAL;
			memset(&symbol_entry, 0, sizeof(symbol_entry));
			symbol_entry.st_info =
			    (unsigned char)ELF64_ST_INFO(binding, is_code ? STT_FUNC : STT_OBJECT);
			symbol_entry.st_value = sym.address - image()->l_addr;
			symbol_entry.st_size = sym.size;
			*extra_info = &symbol_entry;
		}
	}
	return 1;
}

int dladdr(const void *address, Dl_info *info)
{
	return dladdr1(address, info, NULL, 0);
}

int dl_iterate_phdr(int (*callback)(struct dl_phdr_info *info, size_t size, void *data), void *data)
{
	const Elf64_Ehdr *header = (const Elf64_Ehdr *)symbol_image_base();
	struct dl_phdr_info info;

	memset(&info, 0, sizeof(info));
	info.dlpi_addr = image()->l_addr;
	info.dlpi_name = "";
	if (memcmp(header->e_ident, ELFMAG, SELFMAG) == 0) {
		info.dlpi_phdr = (const Elf64_Phdr *)((const char *)header + header->e_phoff);
		info.dlpi_phnum = header->e_phnum;
	}
	info.dlpi_adds = 1;
	return callback(&info, sizeof(info), data);
}
