; switch.asm - cooperative context switch between kernel threads.
;
; sched_switch(uint64_t *save_rsp, uint64_t next_rsp): called like a function, so only the
; SysV callee-saved state has to survive: rbx, rbp, r12-r15, and the x87 control word and
; MXCSR control bits. A new thread's stack is prepared so that the first switch to it
; "returns" into thread_start with its thread pointer in r12.

section .text progbits alloc exec nowrite align=16
bits 64
global sched_switch
global thread_start
extern thread_entry

sched_switch:
	push rbp
	push rbx
	push r12
	push r13
	push r14
	push r15
	sub rsp, 8
	stmxcsr [rsp]
	fnstcw [rsp + 4]
	mov [rdi], rsp
	mov rsp, rsi
	ldmxcsr [rsp]
	fldcw [rsp + 4]
	add rsp, 8
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbx
	pop rbp
	ret

thread_start:
	mov rdi, r12
	xor ebp, ebp                    ; end of the backtrace chain
	call thread_entry               ; does not return
	ud2
