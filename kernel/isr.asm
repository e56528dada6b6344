; isr.asm - exception entry stubs: push a uniform frame (struct trap_frame in trap.h) and
; call trap_dispatch(frame). Vectors that have no CPU error code get a zero pushed.

section .text progbits alloc exec nowrite align=16
bits 64
extern trap_dispatch
global isr_stub_table

%macro ISR_NOERR 1
isr%1:
	push 0
	push %1
	jmp isr_common
%endmacro

%macro ISR_ERR 1
isr%1:
	push %1
	jmp isr_common
%endmacro

ISR_NOERR 0
ISR_NOERR 1
ISR_NOERR 2
ISR_NOERR 3
ISR_NOERR 4
ISR_NOERR 5
ISR_NOERR 6
ISR_NOERR 7
ISR_ERR 8
ISR_NOERR 9
ISR_ERR 10
ISR_ERR 11
ISR_ERR 12
ISR_ERR 13
ISR_ERR 14
ISR_NOERR 15
ISR_NOERR 16
ISR_ERR 17
ISR_NOERR 18
ISR_NOERR 19
ISR_NOERR 20
ISR_ERR 21
ISR_NOERR 22
ISR_NOERR 23
ISR_NOERR 24
ISR_NOERR 25
ISR_NOERR 26
ISR_NOERR 27
ISR_NOERR 28
ISR_ERR 29
ISR_ERR 30
ISR_NOERR 31

isr_common:
	push rax
	push rbx
	push rcx
	push rdx
	push rsi
	push rdi
	push rbp
	push r8
	push r9
	push r10
	push r11
	push r12
	push r13
	push r14
	push r15
	cld
	mov rdi, rsp
	call trap_dispatch
	pop r15
	pop r14
	pop r13
	pop r12
	pop r11
	pop r10
	pop r9
	pop r8
	pop rbp
	pop rdi
	pop rsi
	pop rdx
	pop rcx
	pop rbx
	pop rax
	add rsp, 16
	iretq

; Interrupts (vectors 32-255) arrive only while the kernel idles with interrupts on; they
; record the vector and acknowledge it (irq_note, built without SSE), nothing more. Only
; the registers a C call may clobber are saved.
global irq_stub_table
extern irq_note

%macro IRQ 1
irq%1:
	push rdi
	mov edi, %1
	jmp irq_common
%endmacro

%assign v 32
%rep 224
IRQ v
%assign v v+1
%endrep

irq_common:
	push rax
	push rcx
	push rdx
	push rsi
	push r8
	push r9
	push r10
	push r11
	cld
	call irq_note
	pop r11
	pop r10
	pop r9
	pop r8
	pop rsi
	pop rdx
	pop rcx
	pop rax
	pop rdi
	iretq

section .data.rel.ro progbits alloc noexec write align=8
irq_stub_table:
%assign v 32
%rep 224
	dq irq%+v
%assign v v+1
%endrep

isr_stub_table:
%assign i 0
%rep 32
	dq isr%+i
%assign i i+1
%endrep
