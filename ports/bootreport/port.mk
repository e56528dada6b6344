# ports/bootreport: the default image until real ports exist: the kernel prints its boot
# report (memory map, linear mapping, page sizes) and exits with status 0.
PORT_CMDLINE :=
PORT_MEM := 64M
# Built with the kernel's flags: this payload is kernel code (kernel/app.h).
PORT_KERNEL_SRCS := ports/bootreport/bootreport.c
