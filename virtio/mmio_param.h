/* mmio_param.h - the value of a "virtio_mmio.device=" kernel command-line word, in Linux's
 * form (Documentation/admin-guide/kernel-parameters.txt, virtio_mmio.device):
 *
 *   SIZE[KMGTPE]@BASE:IRQ[:ID]      e.g. 512@0xfeb00e00:12 (what QEMU's microvm passes)
 *
 * SIZE and BASE are C integers (0x... hex, 0... octal, else decimal), SIZE with an
 * optional binary multiplier suffix in either case (as Linux's memparse); IRQ (the GSI
 * of the device's interrupt line) and the optional platform-device ID are decimal. The
 * ID is accepted and ignored, as it only names the device in Linux.
 * Pure logic: unit-tested on the host (tests/unit/test_mmio_param.c). */
#ifndef VIRTIO_MMIO_PARAM_H
#define VIRTIO_MMIO_PARAM_H

#include <stdint.h>

/* The register block runs to the device configuration at 0x100 (virtio 1.1, 4.2.2). */
#define MMIO_PARAM_MIN_SIZE 0x100u
#define MMIO_PARAM_MAX_IRQ  255u

struct mmio_param {
	uint64_t base; /* physical address of the register block */
	uint64_t size; /* bytes, at least MMIO_PARAM_MIN_SIZE */
	uint32_t irq;  /* GSI (I/O APIC input) */
};

/* mmio_param_parse - parse @text (the value after "virtio_mmio.device=") into @out.
 * Returns 0, or -EINVAL with @why (when not NULL) naming the problem: a malformed
 * number, a size below MMIO_PARAM_MIN_SIZE, a base not 4-byte aligned, a range past
 * 2^64, an IRQ above MMIO_PARAM_MAX_IRQ, or text left over. */
int mmio_param_parse(const char *text, struct mmio_param *out, const char **why);

#endif
