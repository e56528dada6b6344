/* sys/ioctl.h - device control (missing from newlib); posix/fs/files.c implements ioctl()
 * for FIONBIO and FIONREAD on every descriptor. The request numbers are Linux's, and so
 * are the _IO/_IOR/_IOW macros that make them (the disks' block requests: linux/fs.h). */
#ifndef VMOS_SYS_IOCTL_H
#define VMOS_SYS_IOCTL_H

#ifdef __cplusplus
extern "C" {
#endif

/* Linux's encoding of request numbers (asm-generic/ioctl.h). */
#define _IOC_NRBITS    8
#define _IOC_TYPEBITS  8
#define _IOC_SIZEBITS  14
#define _IOC_NRSHIFT   0
#define _IOC_TYPESHIFT (_IOC_NRSHIFT + _IOC_NRBITS)
#define _IOC_SIZESHIFT (_IOC_TYPESHIFT + _IOC_TYPEBITS)
#define _IOC_DIRSHIFT  (_IOC_SIZESHIFT + _IOC_SIZEBITS)
#define _IOC_NONE      0U
#define _IOC_WRITE     1U
#define _IOC_READ      2U
#define _IOC(dir, type, nr, size)                                                                  \
	(((dir) << _IOC_DIRSHIFT) | ((type) << _IOC_TYPESHIFT) | ((nr) << _IOC_NRSHIFT) |          \
	 ((size) << _IOC_SIZESHIFT))
#define _IO(type, nr)         _IOC(_IOC_NONE, (type), (nr), 0)
#define _IOR(type, nr, size)  _IOC(_IOC_READ, (type), (nr), sizeof(size))
#define _IOW(type, nr, size)  _IOC(_IOC_WRITE, (type), (nr), sizeof(size))
#define _IOWR(type, nr, size) _IOC(_IOC_READ | _IOC_WRITE, (type), (nr), sizeof(size))

#define FIONREAD   0x541B
#define FIONBIO    0x5421
#define TIOCGWINSZ 0x5413
#define FIOCLEX    0x5451
#define FIONCLEX   0x5450
#define FIOASYNC   0x5452

struct winsize {
	unsigned short ws_row;
	unsigned short ws_col;
	unsigned short ws_xpixel;
	unsigned short ws_ypixel;
};

int ioctl(int fd, unsigned long request, ...);

#ifdef __cplusplus
}
#endif

#endif
