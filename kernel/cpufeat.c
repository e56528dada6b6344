/* cpufeat.c - reads CPUID into struct cpu_features. */
#include <stdint.h>
#include <string.h>

#include "kernel/cpu.h"
#include "kernel/cpufeat.h"

static struct cpu_features features;
static bool features_read;

const struct cpu_features *cpu_features(void)
{
	uint32_t a, b, c, d, max_basic, max_ext;

	if (features_read)
		return &features;
	cpuid(0, 0, &max_basic, &b, &c, &d);
	memcpy(features.vendor, &b, 4);
	memcpy(features.vendor + 4, &d, 4);
	memcpy(features.vendor + 8, &c, 4);
	features.vendor[12] = '\0';
	cpuid(1, 0, &a, &b, &c, &d);
	features.x2apic = c & (1u << 21);
	features.tsc_deadline = c & (1u << 24);
	features.rdrand = c & (1u << 30);
	features.pcid = c & (1u << 17);
	features.hypervisor = c & (1u << 31);
	if (max_basic >= 7) {
		cpuid(7, 0, &a, &b, &c, &d);
		features.rdseed = b & (1u << 18);
	}
	cpuid(0x80000000u, 0, &max_ext, &b, &c, &d);
	if (max_ext >= 0x80000001u) {
		cpuid(0x80000001u, 0, &a, &b, &c, &d);
		features.nx = d & (1u << 20);
		features.pages_1g = d & (1u << 26);
	}
	if (max_ext >= 0x80000007u) {
		cpuid(0x80000007u, 0, &a, &b, &c, &d);
		features.invariant_tsc = d & (1u << 8);
	}
	if (features.hypervisor) {
		cpuid(0x40000000u, 0, &a, &b, &c, &d);
		memcpy(features.hypervisor_signature, &b, 4);
		memcpy(features.hypervisor_signature + 4, &c, 4);
		memcpy(features.hypervisor_signature + 8, &d, 4);
		features.hypervisor_signature[12] = '\0';
		features.tcg = !memcmp(features.hypervisor_signature, "TCGTCGTCGTCG", 12);
	}
	features_read = true;
	return &features;
}
