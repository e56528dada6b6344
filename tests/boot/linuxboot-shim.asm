; linuxboot-shim.asm - plays Firecracker's part under QEMU, which cannot boot an ELF through
; the Linux 64-bit boot protocol itself: QEMU boots this flat multiboot binary (-kernel),
; QEMU's generic loader puts the VMOS ELF's segments at their addresses and a raw copy of
; the file at ELF_COPY (for its entry point). The shim builds a zero page the way
; Firecracker does (setup header signatures, e820 table from the multiboot memory map, the
; command line without QEMU's leading file name), identity-maps the first 1 GiB with 2 MiB
; pages, enters long mode and jumps to the ELF entry with rsi = the zero page and rdi = 0,
; as Firecracker leaves them (Linux boot.rst, "64-bit boot protocol").
;
;   qemu-system-x86_64 -kernel linuxboot-shim.bin -append 'CMDLINE' \
;       -device loader,file=vmos.elf -device loader,file=vmos.elf,addr=0x4000000,force-raw=on

LOAD_ADDR	equ 0x3000000		; this binary (48 MiB: above any VMOS image we test)
ELF_COPY	equ 0x4000000		; the raw ELF file
ZERO_PAGE	equ 0x7000		; where Firecracker puts it
PML4		equ 0x9000		; Firecracker's page-table addresses
PDPT		equ 0xa000
PD		equ 0xb000
BOOT_STACK	equ 0x8ff0
CMDLINE		equ 0x20000
CMDLINE_MAX	equ 4095

MB_MAGIC	equ 0x1badb002
MB_FLAGS	equ 0x00010002		; memory map wanted, address fields valid

bits 32
org LOAD_ADDR

mb_header:
	dd MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
	dd mb_header			; header_addr
	dd LOAD_ADDR			; load_addr
	dd 0				; load_end_addr: the whole file
	dd 0				; bss_end_addr: none
	dd entry32			; entry_addr

; Multiboot: protected mode, paging off, eax = 0x2badb002, ebx = the multiboot info.
entry32:
	cli
	mov esp, BOOT_STACK
	cmp eax, 0x2badb002
	jne halt

	; The zero page, empty but for what Firecracker fills in.
	mov edi, ZERO_PAGE
	xor eax, eax
	mov ecx, 1024
	rep stosd
	mov word [ZERO_PAGE + 0x1fe], 0xaa55		; boot_flag
	mov dword [ZERO_PAGE + 0x202], 0x53726448	; "HdrS"
	mov byte [ZERO_PAGE + 0x210], 0xff		; type_of_loader: undefined
	mov dword [ZERO_PAGE + 0x228], CMDLINE		; cmd_line_ptr
	mov dword [ZERO_PAGE + 0x238], CMDLINE_MAX + 1	; cmdline_size

	; The command line: QEMU passes "FILENAME ARGS"; keep ARGS.
	mov byte [CMDLINE], 0
	test dword [ebx], 1 << 2
	jz .no_cmdline
	mov esi, [ebx + 16]
.skip_name:
	lodsb
	test al, al
	jz .no_cmdline
	cmp al, ' '
	jne .skip_name
	mov edi, CMDLINE
	mov ecx, CMDLINE_MAX
.copy:
	lodsb
	stosb
	test al, al
	jz .no_cmdline
	loop .copy
	mov byte [edi], 0
.no_cmdline:

	; The e820 table from the multiboot map: entries of (size, base, length, type).
	test dword [ebx], 1 << 6
	jz halt
	mov esi, [ebx + 48]		; mmap_addr
	mov edx, esi
	add edx, [ebx + 44]		; mmap_length: the end
	mov edi, ZERO_PAGE + 0x2d0
	xor ecx, ecx			; entries
.map:
	cmp esi, edx
	jae .map_done
	cmp ecx, 128
	jae .map_done
	mov eax, [esi + 4]
	mov [edi], eax			; base
	mov eax, [esi + 8]
	mov [edi + 4], eax
	mov eax, [esi + 12]
	mov [edi + 8], eax		; length
	mov eax, [esi + 16]
	mov [edi + 12], eax
	mov eax, [esi + 20]
	mov [edi + 16], eax		; type
	add edi, 20
	inc ecx
	add esi, [esi]
	add esi, 4
	jmp .map
.map_done:
	mov [ZERO_PAGE + 0x1e8], cl	; e820_entries

	; Identity map of the first 1 GiB with 2 MiB pages, as Firecracker builds it.
	mov edi, PML4
	xor eax, eax
	mov ecx, 3 * 1024
	rep stosd
	mov dword [PML4], PDPT | 3
	mov dword [PDPT], PD | 3
	mov edi, PD
	mov eax, 0x83			; present, writable, 2 MiB
	mov ecx, 512
.pd:
	mov [edi], eax
	add eax, 0x200000
	add edi, 8
	loop .pd

	; Long mode: PAE, the tables, EFER.LME, paging; then a 64-bit code segment.
	mov eax, cr4
	or eax, 1 << 5
	mov cr4, eax
	mov eax, PML4
	mov cr3, eax
	mov ecx, 0xc0000080
	rdmsr
	or eax, 1 << 8
	wrmsr
	mov eax, cr0
	or eax, (1 << 31) | 1
	mov cr0, eax
	lgdt [gdt_pointer]
	jmp 0x08:entry64

halt:
	cli
	hlt
	jmp halt

bits 64
entry64:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov rsp, BOOT_STACK
	mov rax, [ELF_COPY + 0x18]	; e_entry
	mov esi, ZERO_PAGE
	xor edi, edi
	xor ebp, ebp
	jmp rax

align 8
gdt:
	dq 0
	dq 0x00af9a000000ffff		; 0x08: 64-bit code
	dq 0x00cf92000000ffff		; 0x10: data
gdt_pointer:
	dw gdt_pointer - gdt - 1
	dd gdt
