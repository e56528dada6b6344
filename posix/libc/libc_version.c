/* libc_version.c - what glibc's version queries answer for the interface VMOS provides
 * (posix/posix.mk defines __GLIBC__ 2, __GLIBC_MINOR__ 36 for programs). */
#include <gnu/libc-version.h>

#define VMOS_STRINGIFY(x)          #x
#define VMOS_VERSION(major, minor) VMOS_STRINGIFY(major) "." VMOS_STRINGIFY(minor)

const char *gnu_get_libc_version(void)
{
	return VMOS_VERSION(__GLIBC__, __GLIBC_MINOR__);
}

const char *gnu_get_libc_release(void)
{
	return "stable";
}
