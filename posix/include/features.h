/* features.h - glibc's header of feature macros, which programs written for Linux
 * include first. newlib's <sys/features.h> does that job (_GNU_SOURCE, _POSIX_C_SOURCE...
 * into __GNU_VISIBLE, __POSIX_VISIBLE...). __GLIBC__ and __GLIBC_MINOR__ come from the
 * compiler's command line (posix/posix.mk's APP_OS_DEFINES: glibc 2.36's interface, what
 * Debian bookworm's builds of the servers use); __GLIBC_PREREQ compares with them. */
#ifndef VMOS_FEATURES_H
#define VMOS_FEATURES_H
#include <sys/features.h>

#ifndef __GLIBC_PREREQ
#define __GLIBC_PREREQ(major, minor)                                                               \
	((__GLIBC__ << 16) + __GLIBC_MINOR__ >= ((major) << 16) + (minor))
#endif
#endif
