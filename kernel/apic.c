/* apic.c - local APIC set-up, EOI and the one-shot timer (see apic.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "kernel/apic.h"
#include "kernel/clockcal.h"
#include "kernel/cpu.h"
#include "kernel/cpufeat.h"
#include "mm/vm.h"

#define MSR_APIC_BASE    0x1b
#define APIC_BASE_ENABLE (1ull << 11)
#define APIC_BASE_X2APIC (1ull << 10)
#define MSR_TSC_DEADLINE 0x6e0
#define MSR_X2APIC_FIRST 0x800 /* register offset / 16 + this */

#define REG_ID            0x20
#define REG_TPR           0x80
#define REG_EOI           0xb0
#define REG_SVR           0xf0
#define REG_LVT_TIMER     0x320
#define REG_TIMER_INITIAL 0x380
#define REG_TIMER_CURRENT 0x390
#define REG_TIMER_DIVIDE  0x3e0

#define LVT_MASKED       (1u << 16)
#define LVT_TSC_DEADLINE (2u << 17)

#define IOAPIC_PHYS       0xfec00000ull
#define IOAPIC_REG_VER    0x01
#define IOAPIC_REG_REDTBL 0x10 /* two 32-bit registers per input */
#define IOAPIC_LEVEL      (1u << 15)
#define IOAPIC_MASKED     (1u << 16)

static volatile uint32_t *xapic;
static bool x2apic;
static bool tsc_deadline;
/* One-shot mode: APIC counter ticks per 2^16 TSC ticks, measured at init. */
static uint64_t apic_per_tsc_q16;

static void apic_write(uint32_t reg, uint32_t value)
{
	if (x2apic)
		wrmsr(MSR_X2APIC_FIRST + (reg >> 4), value);
	else
		xapic[reg / 4] = value;
}

static uint32_t apic_read(uint32_t reg)
{
	if (x2apic)
		return (uint32_t)rdmsr(MSR_X2APIC_FIRST + (reg >> 4));
	return xapic[reg / 4];
}

void apic_eoi(void)
{
	apic_write(REG_EOI, 0);
}

/* The 8259s: remap out of the exception vectors, then mask every line. Harmless when
 * there is no PIC (the ports read and write nothing). */
static void pic_disable(void)
{
	outb(0x20, 0x11);
	outb(0xa0, 0x11);
	outb(0x21, 0xf0);
	outb(0xa1, 0xf8);
	outb(0x21, 0x04);
	outb(0xa1, 0x02);
	outb(0x21, 0x01);
	outb(0xa1, 0x01);
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
}

/* Rate of the APIC counter against the TSC, over a short span (no fixed-time wait: a few
 * thousand TSC ticks, measured, not assumed). */
static uint64_t read_tsc(void *ctx)
{
	(void)ctx;
	return rdtsc();
}

static uint32_t read_apic_counter(void *ctx)
{
	(void)ctx;
	return apic_read(REG_TIMER_CURRENT);
}

/* The counter's rate over at least 100000 of its ticks (0.1 ms at QEMU's 1 GHz), from
 * readings the vCPU was not paused in (kernel/clockcal.h). A rate that cannot be
 * measured is taken as the lowest: timers then fire early, and the scheduler re-arms. */
static void measure_apic_rate(void)
{
	const struct clockcal_source src = {read_tsc, read_apic_counter, NULL};

	apic_write(REG_TIMER_DIVIDE, 0xb); /* divide by 1 */
	apic_write(REG_LVT_TIMER, LVT_MASKED | APIC_TIMER_VECTOR);
	apic_write(REG_TIMER_INITIAL, 0xffffffffu);
	apic_per_tsc_q16 = clockcal_rate_q16(&src, 100000);
	apic_write(REG_TIMER_INITIAL, 0);
	if (!apic_per_tsc_q16)
		apic_per_tsc_q16 = 1;
}

int apic_init(void)
{
	const struct cpu_features *cpu = cpu_features();
	uint32_t a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	if (!(d & (1u << 9)))
		return -ENODEV;
	pic_disable();
	uint64_t base = rdmsr(MSR_APIC_BASE);
	if (cpu->x2apic) {
		wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE | APIC_BASE_X2APIC);
		x2apic = true;
	} else {
		volatile void *regs;
		int err = mmio_map(base & 0xfffff000u, 0x1000, &regs);
		if (err)
			return err;
		xapic = (volatile uint32_t *)regs;
		wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
	}
	apic_write(REG_TPR, 0);
	apic_write(REG_SVR, 0x100 | APIC_SPURIOUS_VECTOR);
	tsc_deadline = cpu->tsc_deadline;
	/* The one-shot counter's rate is measured when the timer is first armed: the boot
	 * does not wait for it. */
	apic_write(REG_LVT_TIMER, tsc_deadline ? LVT_TSC_DEADLINE | APIC_TIMER_VECTOR
	                                       : LVT_MASKED | APIC_TIMER_VECTOR);
	return 0;
}

void apic_timer_arm(uint64_t deadline_tsc)
{
	if (tsc_deadline) {
		wrmsr(MSR_TSC_DEADLINE, deadline_tsc);
		return;
	}
	if (!deadline_tsc) {
		apic_write(REG_TIMER_INITIAL, 0);
		return;
	}
	if (!apic_per_tsc_q16)
		measure_apic_rate();
	uint64_t now = rdtsc();
	uint64_t ticks = deadline_tsc > now ? deadline_tsc - now : 1;
	uint64_t count =
	    (ticks >> 16) * apic_per_tsc_q16 + (((ticks & 0xffff) * apic_per_tsc_q16) >> 16);
	if (count == 0)
		count = 1;
	if (count > 0xffffffffu)
		count = 0xffffffffu; /* wakes early; the scheduler re-arms */
	apic_write(REG_LVT_TIMER, APIC_TIMER_VECTOR);
	apic_write(REG_TIMER_INITIAL, (uint32_t)count);
}

uint64_t apic_timer_hz(uint64_t tsc_hz)
{
	if (tsc_deadline)
		return 0;
	if (!apic_per_tsc_q16)
		measure_apic_rate();
	return (tsc_hz >> 16) * apic_per_tsc_q16 + (((tsc_hz & 0xffff) * apic_per_tsc_q16) >> 16);
}

const char *apic_timer_mode(void)
{
	return tsc_deadline ? "tsc-deadline" : "one-shot";
}

uint32_t apic_id(void)
{
	uint32_t id = apic_read(REG_ID);
	return x2apic ? id : id >> 24;
}

/* The I/O APIC: an index register at +0 and a data window at +0x10. */
static volatile uint32_t *ioapic;
static unsigned ioapic_inputs;

static uint32_t ioapic_read(uint32_t reg)
{
	ioapic[0] = reg;
	return ioapic[4];
}

static void ioapic_write(uint32_t reg, uint32_t value)
{
	ioapic[0] = reg;
	ioapic[4] = value;
}

static int ioapic_find(void)
{
	if (ioapic)
		return 0;
	volatile void *regs;
	int err = mmio_map(IOAPIC_PHYS, 0x1000, &regs);
	if (err)
		return err;
	ioapic = (volatile uint32_t *)regs;
	uint32_t ver = ioapic_read(IOAPIC_REG_VER);
	unsigned inputs = ((ver >> 16) & 0xff) + 1;
	if (ver == 0xffffffffu || (ver & 0xff) < 0x10 || inputs < 16) {
		ioapic = NULL; /* nothing there (a microvm without one, say) */
		return -ENODEV;
	}
	ioapic_inputs = inputs;
	return 0;
}

int ioapic_route(unsigned gsi, unsigned vector, bool level)
{
	int err = ioapic_find();
	if (err)
		return err;
	if (gsi >= ioapic_inputs || vector < 0x20 || vector > 0xfe)
		return -EINVAL;
	/* Physical destination: this CPU's APIC ID (xAPIC IDs fit in 8 bits). */
	ioapic_write(IOAPIC_REG_REDTBL + 2 * gsi + 1, (apic_id() & 0xff) << 24);
	ioapic_write(IOAPIC_REG_REDTBL + 2 * gsi,
	             IOAPIC_MASKED | (level ? IOAPIC_LEVEL : 0) | vector);
	return 0;
}

void ioapic_mask(unsigned gsi, bool masked)
{
	if (!ioapic || gsi >= ioapic_inputs)
		return;
	uint32_t reg = IOAPIC_REG_REDTBL + 2 * gsi;
	uint32_t low = ioapic_read(reg);
	ioapic_write(reg, masked ? low | IOAPIC_MASKED : low & ~IOAPIC_MASKED);
}
