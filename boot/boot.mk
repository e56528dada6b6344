# boot/: the PVH entry, the common 64-bit entry (also the Linux boot protocol's), the
# zero-page parser and the handoff into struct boot_info.
# (The BIOS boot sector and loader are a separate flat binary: boot/bios.mk.)
KERNEL_ASM_SRCS += boot/pvh.asm boot/entry64.asm
KERNEL_C_SRCS += boot/handoff.c boot/zeropage.c
