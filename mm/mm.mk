# mm/: physical layout, page tables, the page allocator, the move into the linear range.
KERNEL_C_SRCS += mm/layout.c mm/pmm.c mm/reloc.c mm/pagetable.c mm/vmboot.c mm/vm.c mm/stack.c
