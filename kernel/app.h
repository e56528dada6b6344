/* app.h - what the image runs once the kernel is up. Exactly one payload is linked:
 * ports/bootreport/ (the boot report and the kernel's self-tests), or posix/start.c, which
 * runs an application's main() with newlib and the POSIX layer. */
#ifndef KERNEL_APP_H
#define KERNEL_APP_H

#include "boot/boot_info.h"
#include "kernel/cmdline.h"

/* app_run - run the payload on the boot thread; returns the exit status (0-255). */
int app_run(const struct boot_info *bi, const struct cmdline *cl);

#endif
