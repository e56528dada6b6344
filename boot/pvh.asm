; pvh.asm - PVH direct-boot entry (qemu -kernel image.elf, later Firecracker).
;
; The VMM loads the ELF segments at their link addresses and enters pvh_entry32 in 32-bit
; protected mode, paging off, with EBX = physical address of struct hvm_start_info (Xen's
; x86/HVM direct boot ABI). No stack is provided. We build boot page tables in the image's
; .bss (identity map of the first 1 GiB in 2 MiB pages, as the BIOS loader does), enter
; long mode and join the common 64-bit entry with rdi = BOOT_PATH_PVH, rsi = start info,
; rdx = TSC at our first instruction.
;
; A static PIE cannot hold 32-bit absolute addresses, and 32-bit code has no RIP-relative
; addressing. So kernel/kernel.ld writes the first three instructions of the entry itself
; (pvh_entry32: mov ebp/esp/edi, imm32 with link-time constants) and the ELF note; this
; code starts right after them with EBP = pvh_entry32_body, ESP = the early stack top and
; EDI = the page tables. The entry only ever runs at its link address.

BOOT_PATH_PVH   equ 2

section .text.pvh progbits alloc exec nowrite align=1
bits 32
global pvh_entry32_body
extern boot_common64

pvh_entry32_body:
.here:
	mov edx, edi                    ; page tables: PML4, PDPT, PD in 3 pages
	push edx
	rdtsc
	push edx                        ; TSC high
	push eax                        ; TSC low

	; PML4[0] -> PDPT, PDPT[0] -> PD, PD maps 0..1 GiB in 2 MiB pages.
	mov edi, [esp + 8]
	xor eax, eax
	mov ecx, 3 * 4096 / 4
	rep stosd
	mov edi, [esp + 8]
	lea eax, [edi + 0x1000 + 3]
	mov [edi], eax
	lea eax, [edi + 0x2000 + 3]
	mov [edi + 0x1000], eax
	xor ecx, ecx
.fill_pd:
	mov eax, ecx
	shl eax, 21
	or eax, 0x83                    ; present, writable, 2 MiB page
	mov [edi + 0x2000 + ecx * 8], eax
	inc ecx
	cmp ecx, 512
	jb .fill_pd

	; GDT: its run-time base goes into the descriptor-table pointer before lgdt.
	lea eax, [ebp + (gdt64 - .here)]
	mov [ebp + (gdt64_ptr - .here) + 2], eax
	lgdt [ebp + (gdt64_ptr - .here)]

	mov eax, cr4
	or eax, 1 << 5                  ; PAE
	mov cr4, eax
	mov eax, [esp + 8]
	mov cr3, eax
	mov ecx, 0xc0000080             ; EFER
	rdmsr
	or eax, 1 << 8                  ; LME
	wrmsr
	mov eax, cr0
	or eax, (1 << 31) | 1           ; PG | PE
	mov cr0, eax

	lea eax, [ebp + (.long_mode - .here)]
	push dword 0x08
	push eax
	retf

bits 64
.long_mode:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	xor ax, ax
	mov fs, ax
	mov gs, ax
	pop rdx                         ; TSC: the low and high halves pushed above
	mov esi, ebx                    ; rsi = hvm_start_info
	mov edi, BOOT_PATH_PVH
	jmp boot_common64

align 16
gdt64:
	dq 0                            ; null
	dq 0x00af9a000000ffff           ; 0x08: 64-bit code
	dq 0x00cf92000000ffff           ; 0x10: data
gdt64_end:
gdt64_ptr:
	dw gdt64_end - gdt64 - 1
	dd 0

section .bss.pvh nobits alloc noexec write align=4096
global pvh_page_tables
pvh_page_tables:
	resb 3 * 4096
