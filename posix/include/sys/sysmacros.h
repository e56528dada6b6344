/* sys/sysmacros.h - major, minor and makedev with glibc's names and Linux's encoding of
 * device numbers (st_dev, st_rdev). newlib's dev_t is a signed 16-bit short: majors below
 * 256 and minors below 256, which cover every device VMOS has, survive the round trip, and
 * a dev_t is read as unsigned here so that majors from 128 up (the disks' 254) come out
 * whole. */
#ifndef VMOS_SYS_SYSMACROS_H
#define VMOS_SYS_SYSMACROS_H

#define __vmos_dev_bits(dev)                                                                       \
	(sizeof(dev) == 2 ? (unsigned long long)(unsigned short)(dev) : (unsigned long long)(dev))
#define major(dev)                                                                                 \
	((unsigned)(((__vmos_dev_bits(dev) >> 8) & 0xfff) |                                        \
	            ((__vmos_dev_bits(dev) >> 32) & ~0xfffull)))
#define minor(dev)                                                                                 \
	((unsigned)((__vmos_dev_bits(dev) & 0xff) | ((__vmos_dev_bits(dev) >> 12) & ~0xffull)))
#define makedev(maj, min)                                                                          \
	((((unsigned long long)(maj)&0xfff) << 8) |                                                \
	 (((unsigned long long)(maj) & ~0xfffull) << 32) | ((unsigned long long)(min)&0xff) |      \
	 (((unsigned long long)(min) & ~0xffull) << 12))

#endif
