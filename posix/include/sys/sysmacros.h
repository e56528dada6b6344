/* sys/sysmacros.h - major, minor and makedev with glibc's names and Linux's encoding of
 * device numbers (st_dev, st_rdev). newlib's dev_t is 16 bits wide: majors below 256 and
 * minors below 256, which cover every device VMOS has, survive the round trip. */
#ifndef VMOS_SYS_SYSMACROS_H
#define VMOS_SYS_SYSMACROS_H

#define major(dev)                                                                                 \
	((unsigned)((((unsigned long long)(dev) >> 8) & 0xfff) |                                   \
	            (((unsigned long long)(dev) >> 32) & ~0xfffull)))
#define minor(dev)                                                                                 \
	((unsigned)(((unsigned long long)(dev)&0xff) |                                             \
	            (((unsigned long long)(dev) >> 12) & ~0xffull)))
#define makedev(maj, min)                                                                          \
	((((unsigned long long)(maj)&0xfff) << 8) |                                                \
	 (((unsigned long long)(maj) & ~0xfffull) << 32) | ((unsigned long long)(min)&0xff) |      \
	 (((unsigned long long)(min) & ~0xffull) << 12))

#endif
