; exit.asm - the VMM floor: the smallest image QEMU's PVH direct boot accepts, which
; leaves at its first instruction through isa-debug-exit (iobase 0xf4). Timing QEMU
; from exec to exit with it measures QEMU's own start and stop, no guest work at all.
;
;   nasm -f bin -o exit.elf exit.asm
;   qemu-system-x86_64 -nodefaults -nographic -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
;       -kernel exit.elf          # exits with status 1 (isa-debug-exit: 2*0+1)
;
; A hand-made ELF64 (one PT_LOAD, one PT_NOTE): no linker, no sections. The note is Xen's
; XEN_ELFNOTE_PHYS32_ENTRY (type 18), the 32-bit protected-mode entry QEMU jumps to.
bits 32
org 0x100000

ehdr:
	db 0x7f, 'E', 'L', 'F', 2, 1, 1, 0	; ELF64, little endian, version 1, System V
	times 8 db 0
	dw 2					; e_type: ET_EXEC
	dw 62					; e_machine: EM_X86_64
	dd 1					; e_version
	dq entry				; e_entry (unused by PVH; the note is)
	dq phdrs - ehdr				; e_phoff
	dq 0					; e_shoff: no sections
	dd 0					; e_flags
	dw 64					; e_ehsize
	dw 56					; e_phentsize
	dw 2					; e_phnum
	dw 0, 0, 0				; e_shentsize, e_shnum, e_shstrndx

phdrs:
	dd 1, 5					; PT_LOAD, R+X
	dq 0, ehdr, ehdr			; p_offset, p_vaddr, p_paddr
	dq image_size, image_size		; p_filesz, p_memsz
	dq 0x1000				; p_align
	dd 4, 4					; PT_NOTE, R
	dq note - ehdr, note, note
	dq note_end - note, note_end - note
	dq 4

align 4
note:
	dd 4, 4, 18				; namesz, descsz, XEN_ELFNOTE_PHYS32_ENTRY
	db 'Xen', 0
	dd entry
note_end:

entry:
	mov al, 0				; status 0: QEMU exits with 2*0+1 = 1
	out 0xf4, al
.halt:	hlt					; not reached
	jmp .halt

image_size equ $ - ehdr
