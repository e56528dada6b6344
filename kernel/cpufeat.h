/* cpufeat.h - what the CPU model the VMM offers can do, read once from CPUID. Every
 * optional feature has a fallback elsewhere; nothing here is required beyond long mode. */
#ifndef KERNEL_CPUFEAT_H
#define KERNEL_CPUFEAT_H

#include <stdbool.h>

struct cpu_features {
	char vendor[13];
	bool nx;
	bool pages_1g;
	bool x2apic;
	bool tsc_deadline;
	bool invariant_tsc;
	bool rdrand;
	bool rdseed;
	bool pcid;
	bool hypervisor;
	/* The VMM's signature at CPUID 0x40000000 ("KVMKVMKVM", "TCGTCGTCGTCG"...; "" for
	 * none), and whether it is QEMU's TCG: an emulator whose fence instructions order
	 * memory among vCPUs only, not with its device models (virtio/virtq.h). */
	char hypervisor_signature[13];
	bool tcg;
};

/* cpu_features - the CPU's features (read on first use; boot is single-threaded). */
const struct cpu_features *cpu_features(void);

#endif
