/* report.h - the boot report: the memory map as found, the linear mapping as built, the
 * page sizes used. Boot tests read it from the serial console. */
#ifndef KERNEL_REPORT_H
#define KERNEL_REPORT_H

#include "boot/boot_info.h"
#include "kernel/cmdline.h"

void report_boot(const struct boot_info *bi, const struct cmdline *cl);

#endif
