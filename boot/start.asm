; start.asm - the BIOS disk boot path: MBR (sector 0) and stage 2 (the sectors after it).
;
; Assembled with `nasm -f bin` into one flat binary. tools/mkimage.c writes it to the start
; of the disk image, followed by a 4 KiB command-line area and the raw kernel ELF file, and
; patches the parameter block in the MBR so the loader knows where those are.
;
; The BIOS loads sector 0 to 0x7C00. The MBR sets up segments and a stack, reads stage 2
; with INT 13h AH=42h to 0x7E00 and jumps to it. Stage 2, still in real mode, collects the
; E820 map, enables A20, reads the command line, checks that the kernel fits in RAM, reads
; the kernel file to 0x100000 (through a bounce buffer, copied up with unreal mode), then
; enters long mode directly from real mode. In 64-bit mode it loads the ELF's PT_LOAD
; segments above the file, applies the R_X86_64_RELATIVE relocations and jumps to the
; entry with rdi = BOOT_PATH_BIOS and rsi = the struct bios_handoff (boot/boot_info.h).
;
; Physical memory used (all below 1 MiB except the kernel):
;   0x01000-0x03FFF  page tables (PML4, PDPT, PD: first 1 GiB, 2 MiB pages) - in use at entry
;   0x04000-0x04C2F  struct bios_handoff                                   - in use at entry
;   0x06000-0x06FFF  command line, NUL-terminated                          - in use at entry
;   0x07000-0x07BFF  stack (rsp = 0x7C00 at entry)                         - in use at entry
;   0x07C00-0x07DFF  MBR (parameter block)                                 - free at entry
;   0x07E00-...      stage 2 (its GDT is still loaded at entry)            - in use at entry
;   0x10000-0x17FFF  bounce buffer for disk reads                          - free at entry
;   0x100000-        the raw kernel file, then the loaded image at the next 2 MiB boundary

bits 16
org 0x7C00

; ---------------------------------------------------------------------------------------------
; Constants

MBR_ADDR		equ 0x7C00
STAGE2_ADDR		equ 0x7E00
STAGE2_MAX_SECTORS	equ 64		; 0x7E00 + 32 KiB stays below the bounce buffer
STAGE2_MAGIC		equ 0x32534D56	; "VMS2", first dword of stage 2

PML4_ADDR		equ 0x1000
PDPT_ADDR		equ 0x2000
PD_ADDR			equ 0x3000
HANDOFF_ADDR		equ 0x4000
CMDLINE_ADDR		equ 0x6000
CMDLINE_MAX		equ 4096
CMDLINE_SECTORS_MAX	equ CMDLINE_MAX / 512
STACK_TOP		equ 0x7C00

BOUNCE_SEG		equ 0x1000	; bounce buffer at physical 0x10000
BOUNCE_ADDR		equ BOUNCE_SEG * 16
CHUNK_SECTORS		equ 64		; 32 KiB per INT 13h call (the limit is 127)

KERNEL_FILE_ADDR	equ 0x100000	; where the raw kernel file is read to
LINK_BASE		equ 0x100000	; IMAGE_LINK_BASE in mm/reloc.h
MEM_LIMIT		equ 0x40000000	; everything must lie in the identity-mapped first 1 GiB
ALIGN_2M		equ 0x200000

COM1			equ 0x3F8
SERIAL_SPINS		equ 0xFFFF	; give up waiting for a missing/stuck UART

; struct bios_handoff (boot/boot_info.h), packed
BIOS_HANDOFF_MAGIC	equ 0x534F4D56	; "VMOS"
BOOT_PATH_BIOS		equ 1
HO_MAGIC		equ 0
HO_E820_COUNT		equ 4
HO_CMDLINE_PHYS		equ 8
HO_IMAGE_PHYS		equ 16
HO_IMAGE_MEMSZ		equ 24
HO_FILE_PHYS		equ 32
HO_FILE_SIZE		equ 40
HO_E820			equ 48
HO_E820_ENTRY		equ 24		; struct bios_e820_entry
HO_E820_MAX		equ 128
HO_SIZE			equ HO_E820 + HO_E820_MAX * HO_E820_ENTRY

E820_SMAP		equ 0x534D4150	; "SMAP"

; GDT selectors (gdt below)
SEL_CODE64		equ 0x08
SEL_DATA		equ 0x10

; MBR parameter block, patched by tools/mkimage.c.
; KEEP IN STEP with struct mbr_params and the PARAM_* constants in tools/mkimage.c.
; All fields little-endian; the block sits at PARAM_OFFSET in sector 0, before the
; disk signature (0x1B8) and the partition table (0x1BE).
PARAM_OFFSET		equ 0x1A0
PARAM_MAGIC		equ 0x31424D56	; "VMB1"
PB_MAGIC		equ 0		; u32 PARAM_MAGIC (assembled in; mkimage checks it)
PB_STAGE2_SECTORS	equ 4		; u16 sectors of stage 2, starting at LBA 1
PB_CMDLINE_SECTORS	equ 6		; u16 sectors of the command-line area (at most 8)
PB_CMDLINE_LBA		equ 8		; u32 first LBA of the command-line area
PB_KERNEL_LBA		equ 12		; u32 first LBA of the kernel file
PB_KERNEL_SIZE		equ 16		; u32 kernel file size in bytes
PB_IMAGE_SPAN		equ 20		; u32 max(p_vaddr + p_memsz) - LINK_BASE over PT_LOAD
PARAM_SIZE		equ 24
params			equ MBR_ADDR + PARAM_OFFSET

; ---------------------------------------------------------------------------------------------
; Sector 0: the MBR

mbr:
	cli
	xor ax, ax
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov sp, STACK_TOP
	jmp 0:mbr_cs_ok			; some BIOSes enter at 07C0:0000
mbr_cs_ok:
	sti
	cld
	mov [boot_drive], dl
	call serial_init

	mov si, msg_bad_params
	cmp dword [params + PB_MAGIC], PARAM_MAGIC
	jne fatal
	mov cx, [params + PB_STAGE2_SECTORS]
	jcxz fatal
	cmp cx, STAGE2_MAX_SECTORS
	ja fatal
	push cx

	mov ah, 0x41			; INT 13h extensions present? (DL = drive)
	mov bx, 0x55AA
	int 0x13
	mov si, msg_no_edd
	jc fatal
	cmp bx, 0xAA55
	jne fatal
	test cl, 1			; packet (AH=42h) access supported
	jz fatal

	pop cx
	xor eax, eax
	inc ax				; LBA 1
	xor di, di
	mov bx, STAGE2_ADDR
	call disk_read
	mov si, msg_bad_stage2
	cmp dword [STAGE2_ADDR], STAGE2_MAGIC
	jne fatal
	jmp stage2_entry

; disk_read - read CX sectors (1..127) from LBA EAX of the boot drive to DI:BX.
; Tries three times; prints an error and halts on failure.
disk_read:
	pushad
	mov [dap_lba], eax
	mov [dap_off], bx
	mov [dap_seg], di
	mov di, 3
.try:
	mov [dap_count], cx		; the BIOS may have updated it after an error
	mov si, dap
	mov dl, [boot_drive]
	mov ah, 0x42
	push di
	push cx
	int 0x13
	pop cx
	pop di
	jnc .done
	dec di
	jnz .try
	mov si, msg_read
	jmp fatal
.done:
	popad
	ret

; fatal - print "VMOS boot: " + the NUL-terminated message at SI + CRLF, then halt.
; The whole line goes to the screen first (INT 10h teletype, only when the option ROM at
; C000:0000 belongs to a PCI display controller, i.e. is a VGA BIOS), then to COM1.
; SeaBIOS' serial console ("sercon", QEMU -nographic) mirrors INT 10h to COM1 itself:
; line by line the two copies stay readable, character by character they would interleave.
; Without a VGA BIOS, INT 10h is only a stub or sercon, so it is skipped.
fatal:
	push ds
	push word 0xC000
	pop ds
	cmp word [0], 0xAA55		; an option ROM ...
	jne .no_vga
	mov bx, [0x18]			; ... with a PCI data structure ...
	cmp dword [bx], 0x52494350	; "PCIR"
	jne .no_vga
	cmp byte [bx + 0x0F], 3		; ... for a display controller
.no_vga:
	pop ds
	jne .serial
	inc byte [to_screen]
	call print_line
	dec byte [to_screen]
.serial:
	call print_line
halt:
	cli
.forever:
	hlt
	jmp .forever

; print_line - "VMOS boot: " + the string at SI + CRLF, to COM1 or (to_screen) the screen.
print_line:
	push si
	mov si, msg_prefix
	call puts
	pop si
	push si
	call puts
	mov si, msg_crlf
	call puts
	pop si
	ret

; puts - print the NUL-terminated string at DS:SI (see putc).
puts:
	lodsb
	test al, al
	jz .done
	call putc
	jmp puts
.done:
	ret

; putc - print AL to COM1 (polled), or with to_screen set to the screen (INT 10h teletype).
; Keeps all registers.
putc:
	pusha
	cmp byte [to_screen], 0
	jne .screen
	mov ah, al
	mov dx, COM1 + 5
	mov cx, SERIAL_SPINS
.wait:
	in al, dx
	test al, 0x20			; LSR: transmit holding register empty
	loopz .wait
	mov dx, COM1
	mov al, ah
	out dx, al
	popa
	ret
.screen:
	mov ah, 0x0E
	mov bx, 0x0007
	int 0x10
	popa
	ret

; serial_init - COM1 at 115200 baud, 8N1, FIFOs on, no interrupts. Keeps DX.
serial_init:
	push dx
	mov si, serial_init_table
.next:
	lodsw				; AL = register offset, AH = value
	cmp al, 0xFF
	je .done
	mov dx, COM1
	add dl, al
	mov al, ah
	out dx, al
	jmp .next
.done:
	pop dx
	ret

serial_init_table:
	db 1, 0x00			; IER: no interrupts
	db 3, 0x80			; LCR: DLAB
	db 0, 0x01			; DLL: divisor 1 = 115200 baud
	db 1, 0x00			; DLM
	db 3, 0x03			; LCR: 8N1
	db 2, 0xC7			; FCR: enable and clear FIFOs
	db 4, 0x03			; MCR: DTR, RTS, OUT2 off
	db 0xFF

boot_drive:	db 0
to_screen:	db 0

dap:					; INT 13h extensions disk address packet
	db 16, 0
dap_count:	dw 0
dap_off:	dw 0
dap_seg:	dw 0
dap_lba:	dd 0, 0

msg_prefix:	db 13, 10, "VMOS boot: ", 0	; own line even after the BIOS' "Booting..."
msg_crlf:	db 13, 10, 0
msg_bad_params:	db "bad parameter block", 0
msg_no_edd:	db "no INT 13h extensions", 0
msg_read:	db "disk read error", 0
msg_bad_stage2:	db "bad stage 2", 0

	times PARAM_OFFSET - ($ - $$) db 0	; error here: the MBR code is too big

; The parameter block (layout above). mkimage fills in everything but the magic.
param_block:
	dd PARAM_MAGIC
	dw STAGE2_SECTORS
	dw 0				; cmdline sectors
	dd 0				; cmdline LBA
	dd 0				; kernel LBA
	dd 0				; kernel size
	dd 0				; image span
	times PARAM_SIZE - ($ - param_block) db 0

	times 0x1B8 - ($ - $$) db 0	; disk signature, partition table: left empty
	times 510 - ($ - $$) db 0
	dw 0xAA55

; ---------------------------------------------------------------------------------------------
; Stage 2, at 0x7E00. Real mode, CS = DS = ES = SS = 0, SP near 0x7C00, interrupts on.

stage2:
	dd STAGE2_MAGIC
stage2_entry:
	; Clear the handoff and the command-line area.
	xor eax, eax
	mov di, HANDOFF_ADDR
	mov cx, HO_SIZE / 4
	rep stosd
	mov di, CMDLINE_ADDR
	mov cx, CMDLINE_MAX / 4
	rep stosd

	call check_cpu
	call collect_e820
	call enable_a20
	call read_cmdline
	call check_memory

	; "VMOS boot: BIOS loader, kernel N bytes", to COM1 only
	mov di, msgbuf
	mov si, msg_loading
	call sb_puts
	mov eax, [params + PB_KERNEL_SIZE]
	call sb_dec
	mov si, msg_bytes
	call sb_puts
	mov si, msgbuf
	call print_line

	call load_kernel
	jmp enter_long_mode

; check_cpu - halt unless the CPU has long mode.
check_cpu:
	mov eax, 0x80000000
	cpuid
	cmp eax, 0x80000001
	jb .no
	mov eax, 0x80000001
	cpuid
	test edx, 1 << 29		; LM
	jz .no
	ret
.no:
	mov si, msg_no_lm
	jmp fatal

; collect_e820 - INT 15h EAX=E820h into handoff.e820[], up to 128 entries.
; Entries of 20 bytes get ext_attr = 1; 24-byte entries whose ext_attr bit 0 is clear
; (ACPI 3.0: "ignore this entry") and empty entries are skipped.
collect_e820:
	mov di, HANDOFF_ADDR + HO_E820
	xor ebx, ebx
.next:
	mov dword [di + 20], 1		; valid ext_attr unless the BIOS writes its own
	mov eax, 0xE820
	mov edx, E820_SMAP
	mov ecx, HO_E820_ENTRY
	int 0x15
	jc .done			; unsupported (first call) or end of the list
	cmp eax, E820_SMAP
	jne .done
	cmp ecx, 20
	jb .skip
	ja .has_ext
	mov dword [di + 20], 1
.has_ext:
	test byte [di + 20], 1
	jz .skip
	mov eax, [di + 8]
	or eax, [di + 12]
	jz .skip
	add di, HO_E820_ENTRY
	inc dword [HANDOFF_ADDR + HO_E820_COUNT]
	cmp dword [HANDOFF_ADDR + HO_E820_COUNT], HO_E820_MAX
	jae .done
.skip:
	test ebx, ebx
	jnz .next
.done:
	; Leave the slot after the last entry clean (it may hold a rejected entry).
	xor eax, eax
	mov cx, HO_E820_ENTRY / 4
	cmp dword [HANDOFF_ADDR + HO_E820_COUNT], HO_E820_MAX
	jae .counted
	rep stosd
.counted:
	cmp dword [HANDOFF_ADDR + HO_E820_COUNT], 0
	je .none
	ret
.none:
	mov si, msg_no_e820
	jmp fatal

; a20_on - ZF clear when A20 is enabled (0x000500 and 0x100500 are different bytes).
a20_on:
	push ds
	push es
	pusha
	xor ax, ax
	mov ds, ax
	dec ax
	mov es, ax			; ES = 0xFFFF: ES:0x510 = 0x100500
	mov si, 0x0500
	mov di, 0x0510
	mov bl, [ds:si]
	mov bh, [es:di]
	mov byte [ds:si], 0x00
	mov byte [es:di], 0xFF
	cmp byte [ds:si], 0xFF		; equal: the write wrapped to 0x000500, A20 is off
	mov [es:di], bh
	mov [ds:si], bl			; mov does not touch the flags
	popa
	pop es
	pop ds
	ret

; enable_a20 - try the BIOS, then fast A20 (port 0x92); verify each with a20_on.
enable_a20:
	call a20_on
	jnz .ok
	mov ax, 0x2401
	int 0x15
	call a20_on
	jnz .ok
	in al, 0x92
	or al, 0x02			; A20
	and al, 0xFE			; never the reset bit
	out 0x92, al
	mov cx, 0xFFFF
.wait:
	call a20_on
	jnz .ok
	loop .wait
	mov si, msg_a20
	jmp fatal
.ok:
	ret

; read_cmdline - the command-line area to CMDLINE_ADDR (cleared above), last byte NUL.
read_cmdline:
	mov cx, [params + PB_CMDLINE_SECTORS]
	cmp cx, CMDLINE_SECTORS_MAX
	ja .bad
	jcxz .done
	mov eax, [params + PB_CMDLINE_LBA]
	xor di, di
	mov bx, CMDLINE_ADDR
	call disk_read
.done:
	mov byte [CMDLINE_ADDR + CMDLINE_MAX - 1], 0
	mov dword [HANDOFF_ADDR + HO_CMDLINE_PHYS], CMDLINE_ADDR
	ret
.bad:
	mov si, msg_bad_params
	jmp fatal

; check_memory - the kernel file at 0x100000 and the loaded image at the next 2 MiB
; boundary after it must lie in usable E820 RAM below 1 GiB. Sets load_base and need_end.
check_memory:
	mov eax, [params + PB_KERNEL_SIZE]
	mov si, msg_small
	cmp eax, 64			; an ELF64 header at least
	jb fatal
	mov ebx, [params + PB_IMAGE_SPAN]
	mov si, msg_bad_params
	test ebx, ebx
	jz fatal

	; need_end = roundup(0x100000 + file size, 2 MiB) + span, saturated at 4 GiB - 1
	or edx, -1
	cmp eax, MEM_LIMIT - KERNEL_FILE_ADDR
	ja .have_need
	cmp ebx, MEM_LIMIT
	ja .have_need
	add eax, KERNEL_FILE_ADDR + ALIGN_2M - 1
	and eax, ~(ALIGN_2M - 1)
	mov [load_base], eax
	lea edx, [eax + ebx]
.have_need:
	mov [need_end], edx

	; avail = end of the usable RAM that runs contiguously from 1 MiB ...
	mov edx, KERNEL_FILE_ADDR
.extend:
	xor bp, bp
	mov si, HANDOFF_ADDR + HO_E820
	mov cx, [HANDOFF_ADDR + HO_E820_COUNT]
.ext_entry:
	cmp dword [si + 16], 1		; usable
	jne .ext_next
	call e820_range			; EAX = base, EBX = end (clamped), CF = above 4 GiB
	jc .ext_next
	cmp eax, edx
	ja .ext_next
	cmp ebx, edx
	jbe .ext_next
	mov edx, ebx
	inc bp
.ext_next:
	add si, HO_E820_ENTRY
	loop .ext_entry
	test bp, bp
	jnz .extend

	; ... capped at 1 GiB ...
	cmp edx, MEM_LIMIT
	jbe .capped
	mov edx, MEM_LIMIT
.capped:
	; ... and cut at the first non-usable range that overlaps [1 MiB, avail).
	mov si, HANDOFF_ADDR + HO_E820
	mov cx, [HANDOFF_ADDR + HO_E820_COUNT]
.cut_entry:
	cmp dword [si + 16], 1
	je .cut_next
	call e820_range
	jc .cut_next
	cmp eax, edx
	jae .cut_next
	cmp ebx, KERNEL_FILE_ADDR
	jbe .cut_next
	mov edx, eax
	cmp edx, KERNEL_FILE_ADDR
	jae .cut_next
	mov edx, KERNEL_FILE_ADDR
.cut_next:
	add si, HO_E820_ENTRY
	loop .cut_entry

	cmp [need_end], edx
	ja .too_large
	ret

.too_large:
	push edx
	mov di, msgbuf
	mov si, msg_too_large1
	call sb_puts
	mov eax, [params + PB_KERNEL_SIZE]
	call sb_dec
	mov si, msg_too_large2
	call sb_puts
	mov eax, [params + PB_IMAGE_SPAN]
	call sb_dec
	mov si, msg_too_large3
	call sb_puts
	mov eax, [need_end]
	mov si, msg_over_1g
	cmp eax, -1			; saturated: file or image alone is over 1 GiB
	je .need_text
	sub eax, KERNEL_FILE_ADDR
	call sb_dec
	mov si, msg_bytes
.need_text:
	call sb_puts
	mov si, msg_too_large4
	call sb_puts
	pop eax
	sub eax, KERNEL_FILE_ADDR
	call sb_dec
	mov si, msg_too_large5
	call sb_puts
	mov si, msgbuf
	jmp fatal

; e820_range - for the entry at SI: EAX = base, EBX = end clamped to 4 GiB - 1;
; CF set when the entry starts at or above 4 GiB.
e820_range:
	cmp dword [si + 4], 0
	jne .high
	mov eax, [si]
	mov ebx, [si + 8]
	add ebx, eax
	push eax
	mov eax, [si + 12]
	adc eax, 0
	pop eax
	jz .ok				; (flags from adc: the high half of the end is 0)
	or ebx, -1
.ok:
	clc
	ret
.high:
	stc
	ret

; sb_puts - append the string at SI to the message being built at DI (NUL-terminated;
; DI is left on the NUL).
sb_puts:
	lodsb
	stosb
	test al, al
	jnz sb_puts
	dec di
	ret

; sb_dec - append EAX in decimal at DI (NUL-terminated; DI is left on the NUL).
sb_dec:
	mov ebx, 10
	xor cx, cx
.digit:
	xor edx, edx
	div ebx
	push dx
	inc cx
	test eax, eax
	jnz .digit
.out:
	pop ax
	add al, '0'
	stosb
	loop .out
	mov byte [di], 0
	ret

; enter_unreal - give DS and ES a 4 GiB limit (base 0) for 32-bit addressing in real mode.
; Leaves interrupts OFF: a BIOS interrupt handler may drop back to 64 KiB limits, so keep
; them off until the 32-bit accesses are done. Needed again after every BIOS call.
enter_unreal:
	cli
	lgdt [gdt_desc]			; the BIOS may have loaded its own GDT
	mov eax, cr0
	or al, 1
	mov cr0, eax
	mov bx, SEL_DATA
	mov ds, bx
	mov es, bx
	and al, 0xFE
	mov cr0, eax
	xor bx, bx
	mov ds, bx
	mov es, bx
	ret

; load_kernel - read the kernel file to KERNEL_FILE_ADDR in CHUNK_SECTORS chunks through
; the bounce buffer.
load_kernel:
	mov eax, [params + PB_KERNEL_SIZE]
	add eax, 511
	shr eax, 9
	mov [sectors_left], eax
	mov eax, [params + PB_KERNEL_LBA]
	mov [cur_lba], eax
	mov dword [cur_dest], KERNEL_FILE_ADDR
.chunk:
	mov ecx, [sectors_left]
	jecxz .done
	cmp ecx, CHUNK_SECTORS
	jbe .count
	mov ecx, CHUNK_SECTORS
.count:
	mov [chunk_sectors], ecx
	mov eax, [cur_lba]
	mov di, BOUNCE_SEG
	xor bx, bx
	call disk_read
	call enter_unreal
	mov esi, BOUNCE_ADDR
	mov edi, [cur_dest]
	mov ecx, [chunk_sectors]
	shl ecx, 7			; dwords
	a32 rep movsd
	sti
	mov [cur_dest], edi
	mov eax, [chunk_sectors]
	add [cur_lba], eax
	sub [sectors_left], eax
	jmp .chunk
.done:
	ret

; enter_long_mode - identity-map the first 1 GiB with 2 MiB pages and go straight from real
; mode to 64-bit mode.
enter_long_mode:
	cli
	xor eax, eax
	mov di, PML4_ADDR
	mov cx, 3 * 4096 / 4
	rep stosd
	mov dword [PML4_ADDR], PDPT_ADDR | 3		; present, writable
	mov dword [PDPT_ADDR], PD_ADDR | 3
	mov di, PD_ADDR
	mov eax, 0x83					; present, writable, 2 MiB page
	mov cx, 512
.pd:
	mov [di], eax
	add eax, ALIGN_2M
	add di, 8
	loop .pd

	lgdt [gdt_desc]
	mov eax, cr4
	or eax, 1 << 5					; PAE
	mov cr4, eax
	mov eax, PML4_ADDR
	mov cr3, eax
	mov ecx, 0xC0000080				; EFER
	rdmsr
	or eax, 1 << 8					; LME
	wrmsr
	mov eax, cr0
	or eax, 0x80000001				; PG | PE
	mov cr0, eax
	jmp dword SEL_CODE64:long_mode

; ---------------------------------------------------------------------------------------------
; Stage 2 data

align 8
gdt:
	dq 0
	dq 0x00209A0000000000		; SEL_CODE64: 64-bit code, DPL 0
	dq 0x00CF92000000FFFF		; SEL_DATA: flat 4 GiB data (unreal mode and 64-bit)
gdt_end:
gdt_desc:
	dw gdt_end - gdt - 1
	dd gdt

align 4
load_base:	dd 0
need_end:	dd 0
sectors_left:	dd 0
cur_lba:	dd 0
cur_dest:	dd 0
chunk_sectors:	dd 0

msg_loading:	db "BIOS loader, kernel ", 0
msg_bytes:	db " bytes", 0
msg_no_lm:	db "CPU has no 64-bit long mode", 0
msg_no_e820:	db "no E820 memory map from the BIOS", 0
msg_a20:	db "cannot enable the A20 line", 0
msg_small:	db "kernel file too small", 0
msg_too_large1:	db "image too large for memory: kernel file ", 0
msg_too_large2:	db " + loaded image ", 0
msg_too_large3:	db " bytes need ", 0
msg_over_1g:	db "over 1 GiB", 0
msg_too_large4:	db " of RAM from 1 MiB, ", 0
msg_too_large5:	db " bytes usable (below 1 GiB)", 0
msgbuf:		times 256 db 0			; messages built by sb_puts/sb_dec

; ---------------------------------------------------------------------------------------------
; 64-bit part: load the ELF segments, relocate, hand over.

bits 64

; Registers through this part:
;   r15 = file address (KERNEL_FILE_ADDR), r14 = file size, r13 = load base, r12 = span,
;   rbx = program header table, ecx/ebp = program header count/size
long_mode:
	mov ax, SEL_DATA
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov fs, ax
	mov gs, ax
	mov rsp, STACK_TOP
	cld

	mov r15d, KERNEL_FILE_ADDR
	mov r14d, [params + PB_KERNEL_SIZE]
	mov r13d, [load_base]

	; ELF header
	lea rsi, [rel msg_elf]
	cmp dword [r15], 0x464C457F		; "\x7fELF"
	jne fatal64
	cmp byte [r15 + 4], 2			; ELFCLASS64
	jne fatal64
	cmp byte [r15 + 5], 1			; ELFDATA2LSB
	jne fatal64
	cmp word [r15 + 18], 62			; EM_X86_64
	jne fatal64
	mov ax, [r15 + 16]			; e_type
	cmp ax, 3				; ET_DYN
	je .type_ok
	cmp ax, 2				; ET_EXEC
	jne fatal64
.type_ok:
	mov rbx, [r15 + 32]			; e_phoff
	movzx ecx, word [r15 + 56]		; e_phnum
	movzx ebp, word [r15 + 54]		; e_phentsize
	lea rsi, [rel msg_phdrs]
	test ecx, ecx
	jz fatal64
	cmp ebp, 56
	jb fatal64
	cmp rbx, r14
	ja fatal64
	mov eax, ecx
	imul eax, ebp
	add rax, rbx
	cmp rax, r14
	ja fatal64
	add rbx, r15

	; Pass 1: check the segments, find the span and PT_DYNAMIC.
	xor r12d, r12d
	mov rdi, rbx
	mov r8d, ecx
.check:
	mov eax, [rdi]				; p_type
	cmp eax, 2				; PT_DYNAMIC
	jne .not_dyn
	mov rax, [rdi + 16]
	mov [dyn_vaddr], rax
	mov rax, [rdi + 40]
	mov [dyn_memsz], rax
	jmp .check_next
.not_dyn:
	cmp eax, 1				; PT_LOAD
	jne .check_next
	lea rsi, [rel msg_segment]
	mov rax, [rdi + 16]			; p_vaddr
	sub rax, LINK_BASE
	jb fatal64
	cmp rax, MEM_LIMIT
	ja fatal64
	mov rdx, [rdi + 40]			; p_memsz
	cmp rdx, MEM_LIMIT
	ja fatal64
	cmp [rdi + 32], rdx			; p_filesz <= p_memsz
	ja fatal64
	add rax, rdx
	cmp rax, r12
	jbe .span_ok
	mov r12, rax
.span_ok:
	mov rax, [rdi + 8]			; p_offset + p_filesz <= file size
	cmp rax, r14
	ja fatal64
	add rax, [rdi + 32]
	cmp rax, r14
	ja fatal64
.check_next:
	add rdi, rbp
	dec r8d
	jnz .check

	lea rsi, [rel msg_no_load]
	test r12, r12
	jz fatal64
	lea rax, [r13 + r12]			; must stay inside the memory checked in real mode
	mov edx, [need_end]
	lea rsi, [rel msg_span]
	cmp rax, rdx
	ja fatal64

	; Zero the whole span, then copy each segment's file part.
	mov rdi, r13
	mov rcx, r12
	call zero_bytes
	mov rdi, rbx
	movzx r8d, word [r15 + 56]		; e_phnum
.load:
	cmp dword [rdi], 1
	jne .load_next
	push rdi
	mov rcx, [rdi + 32]			; p_filesz
	mov rsi, [rdi + 8]
	add rsi, r15
	mov rdi, [rdi + 16]
	sub rdi, LINK_BASE
	add rdi, r13
	call copy_bytes
	pop rdi
.load_next:
	add rdi, rbp
	dec r8d
	jnz .load

	call relocate

	; The handoff (e820 and cmdline were filled in real mode).
	mov dword [HANDOFF_ADDR + HO_MAGIC], BIOS_HANDOFF_MAGIC
	mov [HANDOFF_ADDR + HO_IMAGE_PHYS], r13
	mov [HANDOFF_ADDR + HO_IMAGE_MEMSZ], r12
	mov [HANDOFF_ADDR + HO_FILE_PHYS], r15
	mov [HANDOFF_ADDR + HO_FILE_SIZE], r14

	; Entry point
	mov rax, [r15 + 24]			; e_entry
	lea rsi, [rel msg_entry]
	sub rax, LINK_BASE
	jb fatal64
	cmp rax, r12
	jae fatal64
	add rax, r13

	mov edi, BOOT_PATH_BIOS
	mov esi, HANDOFF_ADDR
	mov esp, STACK_TOP
	push 2					; RFLAGS: IF = 0, DF = 0
	popfq
	xor ebx, ebx
	xor ecx, ecx
	xor edx, edx
	xor ebp, ebp
	xor r8d, r8d
	xor r9d, r9d
	xor r10d, r10d
	xor r11d, r11d
	xor r12d, r12d
	xor r13d, r13d
	xor r14d, r14d
	xor r15d, r15d
	jmp rax

; relocate - apply DT_RELA (R_X86_64_RELATIVE only) to the image at r13 (span r12).
relocate:
	mov rsi, [dyn_vaddr]
	test rsi, rsi
	jz .done				; no PT_DYNAMIC: nothing to relocate
	mov rcx, [dyn_memsz]
	mov rax, rsi
	sub rax, LINK_BASE
	jb .bad_dyn
	cmp rax, r12
	ja .bad_dyn
	mov rdx, r12
	sub rdx, rax
	cmp rcx, rdx
	ja .bad_dyn
	lea rsi, [r13 + rax]			; the dynamic table in the loaded image
	shr rcx, 4				; Elf64_Dyn entries
	xor r8d, r8d				; DT_RELA
	xor r9d, r9d				; DT_RELASZ
	mov r10d, 24				; DT_RELAENT
.dyn:
	test rcx, rcx
	jz .dyn_done
	mov rax, [rsi]
	mov rdx, [rsi + 8]
	test rax, rax				; DT_NULL
	jz .dyn_done
	cmp rax, 7				; DT_RELA
	jne .not_rela
	mov r8, rdx
.not_rela:
	cmp rax, 8				; DT_RELASZ
	jne .not_relasz
	mov r9, rdx
.not_relasz:
	cmp rax, 9				; DT_RELAENT
	jne .not_relaent
	mov r10, rdx
.not_relaent:
	cmp rax, 17				; DT_REL: not supported
	je .bad_kind
	cmp rax, 2				; DT_PLTRELSZ: PLT relocations not supported
	jne .dyn_next
	test rdx, rdx
	jnz .bad_kind
.dyn_next:
	add rsi, 16
	dec rcx
	jmp .dyn
.dyn_done:
	test r8, r8
	jz .done
	lea rsi, [rel msg_rela]
	cmp r10, 24
	jne fatal64
	sub r8, LINK_BASE			; the table inside the image
	jb fatal64
	cmp r8, r12
	ja fatal64
	mov rax, r12
	sub rax, r8
	cmp r9, rax
	ja fatal64
	mov rax, r9
	xor edx, edx
	div r10
	test rdx, rdx
	jnz fatal64
	mov rcx, rax				; entry count
	lea rsi, [r13 + r8]
.rela:
	test rcx, rcx
	jz .done
	mov eax, [rsi + 8]			; ELF64_R_TYPE(r_info)
	cmp eax, 8				; R_X86_64_RELATIVE
	jne .bad_type
	mov rdi, [rsi]				; r_offset
	sub rdi, LINK_BASE
	jb .bad_offset
	cmp rdi, r12
	jae .bad_offset
	lea rax, [rdi + 8]			; the whole 64-bit word inside the span
	cmp rax, r12
	ja .bad_offset
	mov rax, [rsi + 16]			; r_addend
	sub rax, LINK_BASE
	add rax, r13
	mov [r13 + rdi], rax
	add rsi, 24
	dec rcx
	jmp .rela
.done:
	ret
.bad_dyn:
	lea rsi, [rel msg_dynamic]
	jmp fatal64
.bad_kind:
	lea rsi, [rel msg_rel_kind]
	jmp fatal64
.bad_offset:
	lea rsi, [rel msg_rel_offset]
	jmp fatal64
.bad_type:
	mov ebx, eax
	lea rsi, [rel msg_rel_type]
	call serial_prefix64
	call serial_puts64
	mov eax, ebx
	call serial_dec64
	jmp halt64_crlf

; copy_bytes - copy RCX bytes from RSI to RDI (no overlap).
copy_bytes:
	mov rdx, rcx
	shr rcx, 3
	rep movsq
	mov rcx, rdx
	and ecx, 7
	rep movsb
	ret

; zero_bytes - zero RCX bytes at RDI. Keeps RBX and RBP.
zero_bytes:
	xor eax, eax
	mov rdx, rcx
	shr rcx, 3
	rep stosq
	mov rcx, rdx
	and ecx, 7
	rep stosb
	ret

; fatal64 - "VMOS boot: " + the message at RSI + CRLF to COM1, then halt.
fatal64:
	call serial_prefix64
	call serial_puts64
halt64_crlf:
	lea rsi, [rel msg_crlf]
	call serial_puts64
	cli
.forever:
	hlt
	jmp .forever

serial_prefix64:
	push rsi
	lea rsi, [rel msg_prefix]
	call serial_puts64
	pop rsi
	ret

; serial_puts64 - the NUL-terminated string at RSI to COM1.
serial_puts64:
	lodsb
	test al, al
	jz .done
	call serial_putc64
	jmp serial_puts64
.done:
	ret

; serial_putc64 - AL to COM1 (polled). Keeps all registers but flags.
serial_putc64:
	push rax
	push rcx
	push rdx
	mov ah, al
	mov dx, COM1 + 5
	mov ecx, SERIAL_SPINS
.wait:
	in al, dx
	test al, 0x20
	jnz .ready
	dec ecx
	jnz .wait
.ready:
	mov dx, COM1
	mov al, ah
	out dx, al
	pop rdx
	pop rcx
	pop rax
	ret

; serial_dec64 - EAX in decimal to COM1.
serial_dec64:
	mov ecx, 10
	xor r8d, r8d
.digit:
	xor edx, edx
	div ecx
	push rdx
	inc r8d
	test eax, eax
	jnz .digit
.out:
	pop rax
	add al, '0'
	call serial_putc64
	dec r8d
	jnz .out
	ret

align 8
dyn_vaddr:	dq 0
dyn_memsz:	dq 0

msg_elf:	db "kernel is not an ELF64 x86-64 executable (ET_EXEC/ET_DYN)", 0
msg_phdrs:	db "bad ELF program headers", 0
msg_segment:	db "bad PT_LOAD segment (below 0x100000, outside the file or too big)", 0
msg_no_load:	db "kernel has no PT_LOAD segment", 0
msg_span:	db "loaded image larger than the boot parameters said", 0
msg_entry:	db "ELF entry point outside the image", 0
msg_dynamic:	db "bad PT_DYNAMIC segment", 0
msg_rela:	db "bad DT_RELA table", 0
msg_rel_kind:	db "unsupported relocations (DT_REL or PLT relocations)", 0
msg_rel_offset:	db "relocation outside the image", 0
msg_rel_type:	db "unsupported relocation type ", 0

stage2_end:

STAGE2_SECTORS	equ (stage2_end - stage2 + 511) / 512
	times STAGE2_SECTORS * 512 - ($ - stage2) db 0
	; Assembly fails here ("TIMES value -1 is negative") when stage 2 outgrows its
	; reserved area of STAGE2_MAX_SECTORS sectors.
	times -(STAGE2_SECTORS > STAGE2_MAX_SECTORS) db 0
