/* features.h - glibc's header of feature macros, which programs written for Linux
 * include first. newlib's <sys/features.h> does that job (_GNU_SOURCE, _POSIX_C_SOURCE...
 * into __GNU_VISIBLE, __POSIX_VISIBLE...). __GLIBC__ is not defined: the C library is
 * newlib, and code that tests for glibc takes its other path. */
#ifndef VMOS_FEATURES_H
#define VMOS_FEATURES_H
#include <sys/features.h>
#endif
