; entry64.asm - the 64-bit entry both boot paths reach.
;
; boot_entry64 is the ELF entry point, jumped to by the BIOS loader (boot/start.asm) with
; rdi = BOOT_PATH_BIOS and rsi = the handoff, or by a VMM using the Linux 64-bit boot
; protocol (Firecracker) with rsi = the zero page (boot_main tells them apart); the PVH
; entry joins at boot_common64 with the TSC it read first in rdx. Contract on arrival: long mode, interrupts off, the first
; 1 GiB identity-mapped, flat data segments. We switch to the image's own early stack,
; turn on SSE (gcc emits SSE in ordinary C at -O2), and call boot_main().

section .text.boot progbits alloc exec nowrite align=16
bits 64
global boot_entry64
global boot_common64
global boot_jump_high
extern boot_main

boot_entry64:
	rdtsc
	shl rdx, 32
	or rdx, rax
boot_common64:
	lea rsp, [rel early_stack_top]
	xor ebp, ebp                    ; ends the backtrace chain

	mov rax, cr0
	and rax, ~(1 << 2)              ; EM off: x87/SSE not emulated
	or rax, (1 << 1)                ; MP
	mov cr0, rax
	mov rax, cr4
	or rax, (1 << 9) | (1 << 10)    ; OSFXSR, OSXMMEXCPT
	mov cr4, rax
	fninit

	call boot_main
.hang:
	cli
	hlt
	jmp .hang

; boot_jump_high(entry, stack_top, arg): leave the boot stack and image for good.
boot_jump_high:
	mov rsp, rsi
	xor ebp, ebp
	push rbp                        ; fake return address: keeps the ABI's stack alignment
	mov rax, rdi
	mov rdi, rdx
	jmp rax

section .bss nobits alloc noexec write align=16
global early_stack_top
early_stack:
	resb 16384
early_stack_top:
