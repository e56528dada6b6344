/* dynamic.c - dlopen(NULL)/dlsym/dladdr/dladdr1/dl_iterate_phdr over the program itself,
 * dlopen of a file that cannot be loaded, and backtrace with symbol names. The host
 * build exports the program's symbols (-rdynamic), as a VMOS image has them all.
 * host-cflags: -rdynamic
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <execinfo.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

int exported_object = 42;

__attribute__((noinline)) int exported_function(int x)
{
	return x * 3 + exported_object;
}

/* The part of a dlerror() message after "PROGRAM: " (the program's name differs). */
static const char *after_program(const char *message)
{
	const char *p = message ? strstr(message, ": ") : NULL;
	return p ? p + 2 : "(none)";
}

static void print_error(const char *what)
{
	const char *e = dlerror();
	printf("%s: dlerror %s\n", what, e ? e : "NULL");
}

struct phdr_search {
	uintptr_t address;
	int objects;
	int first_is_program;
	int first_contains;
};

static int visit(struct dl_phdr_info *info, size_t size, void *data)
{
	struct phdr_search *s = data;

	if (s->objects++ == 0) {
		s->first_is_program =
		    size >= sizeof(*info) && info->dlpi_name && info->dlpi_name[0] == '\0';
		for (int i = 0; i < info->dlpi_phnum; i++) {
			const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
			uintptr_t start = info->dlpi_addr + ph->p_vaddr;
			if (ph->p_type == PT_LOAD && s->address >= start &&
			    s->address < start + ph->p_memsz)
				s->first_contains = (ph->p_flags & PF_X) ? 2 : 1;
		}
	}
	return 0;
}

static int stop_at_first(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)info;
	(void)size;
	(void)data;
	return 7;
}

static volatile int depth_sink;

/* The order in which the frames of level3, level2, level1 and main appear (global
 * functions: glibc names only what the dynamic symbol table holds). */
__attribute__((noinline)) int report_backtrace(void)
{
	void *frames[64];
	int n = backtrace(frames, 64);
	char **lines = backtrace_symbols(frames, n);
	const char *wanted[] = {"(level3+", "(level2+", "(level1+", "(main+"};
	int next = 0;

	printf("backtrace: %s frames, symbols %s\n", n >= 4 ? "at least 4" : "too few",
	       lines ? "made" : "NULL");
	for (int i = 0; lines && i < n && next < 4; i++) {
		if (strstr(lines[i], wanted[next])) {
			printf("  frame for %.*s\n", (int)strlen(wanted[next]) - 2,
			       wanted[next] + 1);
			next++;
		}
	}
	free(lines);

	int p[2];
	if (pipe(p) == 0) {
		backtrace_symbols_fd(frames, n, p[1]);
		close(p[1]);
		char text[8192];
		ssize_t got, total = 0;
		while ((got = read(p[0], text + total, sizeof(text) - 1 - (size_t)total)) > 0)
			total += got;
		close(p[0]);
		text[total] = '\0';
		int newlines = 0;
		for (ssize_t i = 0; i < total; i++)
			newlines += text[i] == '\n';
		printf("backtrace_symbols_fd: one line per frame %d, names level3 %d\n",
		       newlines == n, strstr(text, "(level3+") != NULL);
	}
	return n;
}

__attribute__((noinline)) int level3(void)
{
	return report_backtrace() + depth_sink;
}
__attribute__((noinline)) int level2(void)
{
	return level3() + depth_sink;
}
__attribute__((noinline)) int level1(void)
{
	return level2() + depth_sink;
}

int main(void)
{
	void *self = dlopen(NULL, RTLD_NOW);
	void *again = dlopen(NULL, RTLD_LAZY | RTLD_GLOBAL);
	printf("dlopen(NULL): %s, twice the same %d\n", self ? "a handle" : "NULL", self == again);
	print_error("after dlopen(NULL)");

	int (*fn)(int) = (int (*)(int))dlsym(self, "exported_function");
	printf("dlsym exported_function: is it %d, calls to %d\n", fn == exported_function,
	       fn ? fn(1) : -1);
	int *obj = dlsym(RTLD_DEFAULT, "exported_object");
	printf("dlsym RTLD_DEFAULT exported_object: is it %d\n", obj == &exported_object);
	printf("dlsym RTLD_DEFAULT printf: found %d\n", dlsym(RTLD_DEFAULT, "printf") != NULL);
	void *none = dlsym(self, "no_such_symbol_here");
	const char *e = dlerror();
	printf("dlsym missing: %s, dlerror after the program name: %s\n", none ? "found" : "NULL",
	       after_program(e));
	print_error("dlerror read twice");
	printf("dlsym RTLD_NEXT missing: %s\n",
	       dlsym(RTLD_NEXT, "no_such_symbol_here") ? "found" : "NULL");

	void *lib = dlopen("libvmos-no-such-module.so.1", RTLD_NOW);
	e = dlerror();
	const char *expected = "libvmos-no-such-module.so.1: cannot open shared object file: ";
	printf("dlopen of a file: %s, message starts as glibc's %d\n", lib ? "a handle" : "NULL",
	       e && strncmp(e, expected, strlen(expected)) == 0);
	printf("dlopen bad mode: %s\n", dlopen(NULL, 0) ? "a handle" : "NULL");
	print_error("dlopen bad mode");
	printf("dlclose(self): %d\n", dlclose(self));
	print_error("after dlclose");

	Dl_info info;
	memset(&info, 0, sizeof(info));
	int ok = dladdr((const char *)exported_function + 3, &info);
	printf("dladdr inside exported_function: %d, sname %s, saddr is it %d, fname set %d, "
	       "fbase set %d\n",
	       ok, info.dli_sname ? info.dli_sname : "NULL",
	       info.dli_saddr == (void *)exported_function, info.dli_fname != NULL,
	       info.dli_fbase != NULL);
	ok = dladdr(&exported_object, &info);
	printf("dladdr exported_object: %d, sname %s\n", ok,
	       info.dli_sname ? info.dli_sname : "NULL");
	int local = 0;
	printf("dladdr of a stack address: %d\n", dladdr(&local, &info));
	printf("dladdr of NULL: %d\n", dladdr(NULL, &info));

	const ElfW(Sym) *sym = NULL;
	ok = dladdr1((const void *)exported_function, &info, (void **)&sym, RTLD_DL_SYMENT);
	printf("dladdr1 RTLD_DL_SYMENT: %d, entry %s, function %d, global %d, sized %d\n", ok,
	       sym ? "set" : "NULL", sym && ELF64_ST_TYPE(sym->st_info) == STT_FUNC,
	       sym && ELF64_ST_BIND(sym->st_info) == STB_GLOBAL, sym && sym->st_size > 0);
	struct link_map *map = NULL;
	ok = dladdr1((const void *)exported_function, &info, (void **)&map, RTLD_DL_LINKMAP);
	printf("dladdr1 RTLD_DL_LINKMAP: %d, map %s, program's name empty %d, bias matches %d\n",
	       ok, map ? "set" : "NULL", map && map->l_name && map->l_name[0] == '\0',
	       map && (uintptr_t)info.dli_fbase - map->l_addr < 0x200000);

	struct phdr_search search = {(uintptr_t)exported_function, 0, 0, 0};
	int rc = dl_iterate_phdr(visit, &search);
	printf("dl_iterate_phdr: returned %d, objects %s, first is the program %d, its "
	       "executable segment holds exported_function %d\n",
	       rc, search.objects >= 1 ? "at least 1" : "none", search.first_is_program,
	       search.first_contains == 2);
	printf("dl_iterate_phdr stopped by the callback: %d\n",
	       dl_iterate_phdr(stop_at_first, NULL));

	return level1() > 0 ? 0 : 1;
}
