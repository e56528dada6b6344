/* dlfcn.h - the dynamic-linking interface of glibc, over an image that links everything
 * statically (posix/libc/dlfcn.c): dlopen(NULL) is the image itself, dlsym finds its
 * global symbols, dladdr names any address in it; dlopen of a file fails. */
#ifndef VMOS_DLFCN_H
#define VMOS_DLFCN_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* glibc's values, so that programs passing them see what they would on Linux. */
#define RTLD_LAZY         0x00001
#define RTLD_NOW          0x00002
#define RTLD_BINDING_MASK 0x3
#define RTLD_NOLOAD       0x00004
#define RTLD_DEEPBIND     0x00008
#define RTLD_GLOBAL       0x00100
#define RTLD_LOCAL        0
#define RTLD_NODELETE     0x01000

#define RTLD_NEXT    ((void *)-1l)
#define RTLD_DEFAULT ((void *)0)

typedef struct {
	const char *dli_fname; /* the object's file: the program's name */
	void *dli_fbase;       /* where the object starts (its ELF header) */
	const char *dli_sname; /* the symbol containing the address, or NULL */
	void *dli_saddr;       /* that symbol's address, or NULL */
} Dl_info;

/* dladdr1's FLAGS: what it stores in *EXTRA_INFO. */
enum {
	RTLD_DL_SYMENT = 1,  /* a const Elf64_Sym * for the symbol */
	RTLD_DL_LINKMAP = 2, /* the struct link_map * of the object */
};

void *dlopen(const char *file, int mode);
int dlclose(void *handle);
void *dlsym(void *restrict handle, const char *restrict name);
void *dlvsym(void *restrict handle, const char *restrict name, const char *restrict version);
char *dlerror(void);
int dladdr(const void *address, Dl_info *info);
int dladdr1(const void *address, Dl_info *info, void **extra_info, int flags);

#ifdef __cplusplus
}
#endif

#endif
