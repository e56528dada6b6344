# ports/bootreport: the bare kernel: it prints its boot report (memory map, linear
# mapping, page sizes), runs a self-test when asked (selftest=) and exits with status 0.
PORT_CMDLINE :=
PORT_MEM := 64M
# Built with the kernel's flags: this payload is kernel code (kernel/app.h).
PORT_KERNEL_SRCS := ports/bootreport/bootreport.c
