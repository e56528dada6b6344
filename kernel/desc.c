/* desc.c - descriptor tables: the GDT (flat 64-bit code/data and one TSS) and the IDT
 * for the 32 exception vectors, each exception on an IST stack (see trap.h). */
#include <stdint.h>
#include <string.h>

#include "kernel/trap.h"

#define SEL_CODE 0x08
#define SEL_DATA 0x10
#define SEL_TSS  0x18

#define IST_FAULT       1 /* most exceptions */
#define IST_DOUBLE      2 /* #DF: a fault while handling a fault must still be reported */
#define IST_NMI         3 /* NMI and #MC can arrive while another handler runs */
#define IST_STACK_BYTES 16384

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
} __attribute__((packed));

struct table_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

extern const uint64_t isr_stub_table[32];
extern const uint64_t irq_stub_table[224];

static uint64_t gdt[5];
static struct tss tss;
static struct idt_gate idt[256];
static uint8_t ist_stacks[3][IST_STACK_BYTES] __attribute__((aligned(16)));

static void load_gdt(void)
{
	uint64_t base = (uint64_t)(uintptr_t)&tss;
	uint64_t limit = sizeof(tss) - 1;

	memset(&tss, 0, sizeof(tss));
	for (int i = 0; i < 3; i++)
		tss.ist[i] = (uint64_t)(uintptr_t)(ist_stacks[i] + IST_STACK_BYTES);
	tss.iomap_base = sizeof(tss);

	gdt[0] = 0;
	gdt[1] = 0x00af9a000000ffffull; /* 64-bit code, DPL 0 */
	gdt[2] = 0x00cf92000000ffffull; /* data */
	/* 64-bit available TSS (type 9), present; the descriptor takes two slots. */
	gdt[3] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
	         (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[4] = base >> 32;

	struct table_ptr ptr = {sizeof(gdt) - 1, (uint64_t)(uintptr_t)gdt};
	__asm__ volatile("lgdt %0\n\t"
	                 "pushq %1\n\t"
	                 "leaq 1f(%%rip), %%rax\n\t"
	                 "pushq %%rax\n\t"
	                 "lretq\n"
	                 "1:\n\t"
	                 "movw %w2, %%ax\n\t"
	                 "movw %%ax, %%ds\n\t"
	                 "movw %%ax, %%es\n\t"
	                 "movw %%ax, %%ss\n\t"
	                 "xorl %%eax, %%eax\n\t"
	                 "movw %%ax, %%fs\n\t"
	                 "movw %%ax, %%gs\n\t"
	                 "ltr %w3"
	                 :
	                 : "m"(ptr), "i"(SEL_CODE), "r"(SEL_DATA), "r"(SEL_TSS)
	                 : "rax", "memory");
}

static void set_gate(int vector, uint64_t handler, uint8_t ist)
{
	struct idt_gate *g = &idt[vector];

	g->offset_low = handler & 0xffff;
	g->selector = SEL_CODE;
	g->ist = ist;
	g->type_attr = 0x8e; /* present, DPL 0, 64-bit interrupt gate */
	g->offset_mid = (handler >> 16) & 0xffff;
	g->offset_high = handler >> 32;
	g->reserved = 0;
}

void trap_init(void)
{
	load_gdt();
	for (int v = 0; v < 32; v++) {
		uint8_t ist = IST_FAULT;
		if (v == 8)
			ist = IST_DOUBLE;
		else if (v == 2 || v == 18)
			ist = IST_NMI;
		set_gate(v, isr_stub_table[v], ist);
	}
	/* Interrupts run on the idle thread's own stack (they only arrive while it halts). */
	for (int v = 32; v < 256; v++)
		set_gate(v, irq_stub_table[v - 32], 0);
	struct table_ptr ptr = {sizeof(idt) - 1, (uint64_t)(uintptr_t)idt};
	__asm__ volatile("lidt %0" : : "m"(ptr) : "memory");
}
