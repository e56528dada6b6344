/* sys/ioctl.h - device control (missing from newlib); posix/fs/files.c implements ioctl()
 * for FIONBIO and FIONREAD on every descriptor. The request numbers are Linux's. */
#ifndef VMOS_SYS_IOCTL_H
#define VMOS_SYS_IOCTL_H

#ifdef __cplusplus
extern "C" {
#endif

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
