# kernel/: console, traps, CPU features, time, exit, the command line and main.
KERNEL_ASM_SRCS += kernel/isr.asm
KERNEL_C_SRCS += kernel/main.c kernel/serial.c kernel/format.c kernel/string.c \
	kernel/desc.c kernel/trap.c kernel/panic.c kernel/power.c kernel/cpufeat.c \
	kernel/tsc.c kernel/cmdline.c kernel/report.c kernel/selftest.c kernel/apic.c kernel/clockcal.c \
	kernel/irq.c kernel/sched.c kernel/clock.c kernel/pvclock.c kernel/symbols.c

# Interrupt-time code must leave vector registers alone (no save/restore in the stubs).
$(BUILD)/obj/kernel/irq.o $(BUILD)/obj/kernel/apic.o $(BUILD)/obj/kernel/clockcal.o: KERNEL_CFLAGS += -mgeneral-regs-only
KERNEL_ASM_SRCS += kernel/switch.asm
