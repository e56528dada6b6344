/* tsc.c - TSC frequency from CPUID leaf 0x15, the hypervisor leaf 0x40000010, KVM's
 * paravirtual clock (kvmclock) or CPUID leaf 0x16; only without them a short PIT
 * calibration: channel 2 through port 0x61, or channel 0's latched count where port 0x61
 * is missing (QEMU's microvm has a PIT but no speaker port). Also the boot milestones. */
#include <stdint.h>
#include <string.h>

#include "kernel/cpu.h"
#include "kernel/cpufeat.h"
#include "kernel/kernel.h"
#include "kernel/pvclock.h"
#include "kernel/tsc.h"
#include "mm/vm.h"

#define PIT_HZ        1193182u
#define PIT_CAL_TICKS 11932u /* 10 ms */

/* KVM's CPUID leaves and clock MSRs (Linux's Documentation/virt/kvm/x86/cpuid.rst and
 * msr.rst). Other hypervisors that also offer Hyper-V's leaves move KVM's up by 0x100s. */
#define HV_LEAF_FIRST            0x40000000u
#define HV_LEAF_LAST             0x40010000u
#define HV_LEAF_STEP             0x100u
#define KVM_FEATURE_CLOCKSOURCE  (1u << 0)
#define KVM_FEATURE_CLOCKSOURCE2 (1u << 3)
#define MSR_KVM_SYSTEM_TIME      0x12u
#define MSR_KVM_SYSTEM_TIME_NEW  0x4b564d01u
#define KVM_SYSTEM_TIME_ENABLE   1u

static uint64_t cached_hz;
static const char *cached_source;
static uint64_t milestones[MILESTONE_COUNT];

static uint64_t pit_calibrate(void)
{
	uint8_t gate = inb(0x61);

	outb(0x61, (uint8_t)((gate & ~0x02) | 0x01)); /* gate on, speaker off */
	outb(0x43, 0xb0);                             /* channel 2, lo/hi byte, mode 0 */
	outb(0x42, PIT_CAL_TICKS & 0xff);
	outb(0x42, PIT_CAL_TICKS >> 8);
	/* In mode 0 OUT drops when the count is written; if it reads high now, there is no
	 * PIT behind these ports (microvm with pit=off answers 0xff). */
	if (inb(0x61) & 0x20) {
		outb(0x61, gate);
		return 0;
	}
	uint64_t start = rdtsc();
	while (!(inb(0x61) & 0x20)) {
		/* No PIT (e.g. microvm pit=off): give up after ~10^10 ticks, not hang. */
		if (rdtsc() - start > 10000000000ull) {
			outb(0x61, gate);
			return 0;
		}
	}
	uint64_t ticks = rdtsc() - start;
	outb(0x61, gate);
	uint64_t hz = ticks * PIT_HZ / PIT_CAL_TICKS;
	return hz >= 100000000ull ? hz : 0; /* below 100 MHz: not a TSC we believe */
}

/* The base of KVM's CPUID leaves (signature "KVMKVMKVM\0\0\0"), or 0 when there is none. */
static uint32_t kvm_cpuid_base(void)
{
	uint32_t max, sig[3];

	for (uint32_t base = HV_LEAF_FIRST; base < HV_LEAF_LAST; base += HV_LEAF_STEP) {
		cpuid(base, 0, &max, &sig[0], &sig[1], &sig[2]);
		/* A maximum leaf of 0 is what old KVMs report for base + 1. */
		if (!memcmp(sig, "KVMKVMKVM\0\0\0", 12) && (!max || max >= base + 1))
			return base;
	}
	return 0;
}

/* kvmclock: register a time record with the hypervisor, copy its scale factor out, and
 * unregister it again (only the rate is wanted, not a running clock). 0 when KVM offers
 * no clock MSR or the record cannot be handed over. Runs after the move into the linear
 * range, where the image's physical addresses are known. */
static uint64_t kvmclock_hz(void)
{
	/* Aligned to its size, so it never crosses a page: one physical range. */
	static volatile struct pvclock_vcpu_time_info record __attribute__((aligned(32)));
	uint32_t a, b, c, d, msr, mul;
	uint64_t phys, contig;
	int8_t shift;

	uint32_t base = kvm_cpuid_base();
	if (!base)
		return 0;
	cpuid(base + 1, 0, &a, &b, &c, &d);
	if (a & KVM_FEATURE_CLOCKSOURCE2)
		msr = MSR_KVM_SYSTEM_TIME_NEW;
	else if (a & KVM_FEATURE_CLOCKSOURCE)
		msr = MSR_KVM_SYSTEM_TIME;
	else
		return 0;
	if (vm_virt_to_phys((const void *)&record, &phys, &contig) || contig < sizeof(record))
		return 0;
	memset((void *)&record, 0, sizeof(record));
	wrmsr(msr, phys | KVM_SYSTEM_TIME_ENABLE);
	int err = pvclock_read_scale(&record, &mul, &shift);
	wrmsr(msr, 0);
	return err ? 0 : pvclock_tsc_hz(mul, shift);
}

/* Channel 0 read through the latch command: no gate, no port 0x61. It counts down from
 * 65536 at PIT_HZ (mode 2, as firmware leaves it for the 18.2 Hz tick), and the elapsed
 * PIT ticks are summed across wraps; the interrupt it raises stays masked (interrupts
 * are off here, and the PIC and I/O APIC inputs are masked). */
static uint16_t pit0_read(void)
{
	outb(0x43, 0x00); /* latch channel 0 */
	uint8_t lo = inb(0x40);
	return (uint16_t)(lo | inb(0x40) << 8);
}

static uint64_t pit0_calibrate(void)
{
	outb(0x43, 0x34); /* channel 0, lo/hi byte, mode 2 */
	outb(0x40, 0);
	outb(0x40, 0);
	uint16_t last = pit0_read();
	uint64_t start = rdtsc(), end = start;
	uint32_t elapsed = 0;
	while (elapsed < PIT_CAL_TICKS) {
		uint16_t now = pit0_read();
		end = rdtsc();
		elapsed += (uint16_t)(last - now);
		last = now;
		/* Nothing behind the ports reads 0xffff for ever: give up after ~10^7 ticks. */
		if (!elapsed && end - start > 10000000ull)
			return 0;
	}
	uint64_t hz = (end - start) * PIT_HZ / elapsed;
	return hz >= 100000000ull ? hz : 0;
}

uint64_t tsc_frequency(const char **source)
{
	uint32_t a, b, c, d, max;

	if (cached_source)
		goto out;
	cpuid(0, 0, &max, &b, &c, &d);
	if (max >= 0x15) {
		cpuid(0x15, 0, &a, &b, &c, &d);
		if (a && b && c) {
			cached_hz = (uint64_t)c * b / a;
			cached_source = "cpuid 0x15";
			goto out;
		}
	}
	if (cpu_features()->hypervisor) {
		cpuid(0x40000000u, 0, &max, &b, &c, &d);
		if (max >= 0x40000010u) {
			cpuid(0x40000010u, 0, &a, &b, &c, &d);
			if (a) {
				cached_hz = (uint64_t)a * 1000;
				cached_source = "hypervisor 0x40000010";
				goto out;
			}
		}
	}
	if (cpu_features()->hypervisor) {
		cached_hz = kvmclock_hz();
		if (cached_hz) {
			cached_source = "kvmclock";
			goto out;
		}
	}
	cpuid(0, 0, &max, &b, &c, &d);
	if (max >= 0x16) {
		cpuid(0x16, 0, &a, &b, &c, &d);
		if (a) {
			cached_hz = (uint64_t)(a & 0xffff) * 1000000;
			cached_source = "cpuid 0x16";
			goto out;
		}
	}
	cached_hz = pit_calibrate();
	cached_source = "PIT calibration";
	if (!cached_hz) {
		cached_hz = pit0_calibrate();
		cached_source = "PIT channel 0 calibration";
	}
	if (!cached_hz)
		cached_source = "unknown";
out:
	if (source)
		*source = cached_source;
	return cached_hz;
}

uint64_t tsc_to_us(uint64_t ticks, uint64_t hz)
{
	if (!hz)
		return 0;
	return ticks / hz * 1000000 + ticks % hz * 1000000 / hz;
}

void milestone_record(enum milestone m, uint64_t tsc)
{
	if (m < MILESTONE_COUNT)
		milestones[m] = tsc;
}

void milestone_report(void)
{
	static const char *const names[MILESTONE_COUNT] = {"entry", "paging", "main"};
	const char *source;
	uint64_t hz = tsc_frequency(&source);

	kprintf("bootstats: tsc %lu kHz (%s); times are microseconds since the TSC was 0 (VM "
	        "reset)\n",
	        (unsigned long)(hz / 1000), source);
	for (int m = 0; m < MILESTONE_COUNT; m++) {
		uint64_t delta = m ? milestones[m] - milestones[m - 1] : 0;
		kprintf("bootstats: %-6s %8lu us  (+%lu us, tsc %lu)\n", names[m],
		        (unsigned long)tsc_to_us(milestones[m], hz),
		        (unsigned long)tsc_to_us(delta, hz), (unsigned long)milestones[m]);
	}
}
