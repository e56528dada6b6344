#!/usr/bin/env bash
# boot-tests.sh - boot the default image on both boot paths under QEMU and check the
# serial boot report, the named panics, the exit status and the boot milestones.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
ELF=${ELF:-$BUILD/bootreport.elf}
STAGE=${STAGE:-$BUILD/boot/start.bin}
MKIMAGE=${MKIMAGE:-$BUILD/tools/mkimage}
# shellcheck source=tests/boot/lib.sh
. tests/boot/lib.sh

MiB=$((1 << 20))

# check_report PATH MEM_BYTES - the boot report is complete and its numbers add up.
check_report() {
	local path=$1 mem=$2
	expect_rc 1 "exit status 0 through isa-debug-exit"
	expect_line "^VMOS boot report"
	expect_line "^boot path: $path\$"
	expect_line "^memory map: [0-9]+ entries"
	expect_line "^  map 0x[0-9a-f]+-0x[0-9a-f]+ usable"
	expect_line "^page sizes: 1G=[0-9]+ 2M=[0-9]+ 4K=[0-9]+"
	expect_line "^kernel image: 0xffffc0[0-9a-f]+, [0-9]+ bytes, text r-x"
	# Slot 0 is no 2 MiB page any more: its top 16 KiB come from the boot, the rest grows
	# on demand (the report itself may have grown it a little).
	expect_line "^stack slot 0: 0xffffff003ff[0-9a-f]{5}-0xffffff0040000000 mapped \(16 KiB at boot, from 0xffffc0[0-9a-f]+\), grows on demand down to 0xffffff003f800000"
	expect_line "^page allocator: test page 0xffffc0[0-9a-f]+ -> phys 0x[0-9a-f]+"
	expect_line "^mmio: local APIC at 0xffff8[0-9a-f]+, version register 0x[0-9a-f]+"
	expect_line "^kernel: exit 0"
	# QEMU's APIC counts at 1 GHz. A rate measured across a pause of the vCPU used to
	# come out many times too high, and every timer fired that much too late; the TSC's
	# own rate comes from a 10 ms PIT count, hence the wide margin.
	if grep -q "^mmio: local APIC.*timer one-shot" "$LOG"; then
		local apic_khz
		apic_khz=$(log_value "^timer: one-shot counter at")
		[ -n "$apic_khz" ] && [ "$apic_khz" -gt 500000 ] && [ "$apic_khz" -lt 2000000 ] ||
			fail "one-shot timer rate ${apic_khz:-missing} kHz, QEMU's is 1000000"
	fi
	# QEMU's RTC starts at the host's UTC time.
	local wall now
	wall=$(log_value "^clock: wall time")
	now=$(date +%s)
	[ -n "$wall" ] && [ $((wall - now)) -lt 600 ] && [ $((now - wall)) -lt 600 ] ||
		fail "wall clock ${wall:-missing} is not within 10 minutes of the host's $now"
	local usable reserved linear
	usable=$(log_value "^usable ram:")
	reserved=$(log_value "^boot reserved:")
	linear=$(log_value "^linear range: 0x[0-9a-f]+-0x[0-9a-f]+")
	if [ -z "$usable" ] || [ -z "$reserved" ] || [ -z "$linear" ]; then
		fail "report lacks usable/reserved/linear figures"
		return
	fi
	# Every usable byte is either in the linear range or reserved by the boot.
	[ $((linear + reserved)) -eq "$usable" ] ||
		fail "linear $linear + reserved $reserved != usable $usable"
	# QEMU was given MEM; firmware holes below 1 MiB and at the top of low memory
	# take less than 1 MiB of it.
	[ "$usable" -le "$mem" ] && [ "$usable" -gt $((mem - MiB)) ] ||
		fail "usable RAM $usable does not match -m $mem minus the holes"
	# The runs must tile the linear range without gaps.
	local expect_start=$((0xffffc00000000000)) ok=1
	while read -r start end; do
		[ $((start)) -eq "$expect_start" ] || ok=0
		expect_start=$((end))
	done < <(grep -Eo '^  run 0x[0-9a-f]+-0x[0-9a-f]+' "$LOG" | sed -E 's/^  run //; s/-/ /')
	[ $ok = 1 ] && [ $((expect_start - 0xffffc00000000000)) -eq "$linear" ] ||
		fail "linear runs are not contiguous or do not add up to $linear bytes"
}

for path in pvh bios; do
	boot "report-$path-16M" $path 16M qemu64 "" "${DEBUG_EXIT[@]}"
	check_report $path $((16 * MiB))
	expect_line "^page sizes: 1G=0 "
	finish "$path boot report at -m 16M"

	boot "report-$path-512M" $path 512M qemu64 "" "${DEBUG_EXIT[@]}"
	check_report $path $((512 * MiB))
	finish "$path boot report at -m 512M"
done

# The memory floor: at -m 2M (PVH) the low memory below 1 MiB is in the linear range (all
# but page 0), the boot stack is no 2 MiB page, and the boot still fits the image twice.
boot "report-pvh-2M" pvh 2M qemu64 "bootstats" "${DEBUG_EXIT[@]}"
check_report pvh $((2 * MiB))
expect_line "^boot reserved: 4096 bytes \(page 0 4096, initrd 0\)"
expect_line "^  run 0x[0-9a-f]+-0x[0-9a-f]+ -> phys 0x1000-0x9f000 4K"
expect_line "^page sizes: 1G=0 2M=0 4K=[0-9]+"
expect_line "^bootstats: memory: [0-9]+ KiB in the linear range, [0-9]+ KiB free at main"
finish "pvh boot report at -m 2M: low memory in the linear range, no 2 MiB stack page"

# 5 GiB: usable RAM sits below and above the 3-4 GiB PCI hole; the linear range is still
# one contiguous range. With -cpu max the CPU offers 1 GiB pages, with qemu64 it does not.
boot "report-pvh-5G-max" pvh 5G max "" "${DEBUG_EXIT[@]}"
check_report pvh $((5 * 1024 * MiB))
expect_line "^  run 0x[0-9a-f]+-0x[0-9a-f]+ -> phys 0x1[0-9a-f]{8}-0x[0-9a-f]+ "
expect_line "^page sizes: 1G=[1-9][0-9]* .*\(1G pages used\)"
finish "pvh boot report at -m 5G with 1 GiB pages"

boot "report-bios-5G-qemu64" bios 5G qemu64 "" "${DEBUG_EXIT[@]}"
check_report bios $((5 * 1024 * MiB))
expect_line "^  run 0x[0-9a-f]+-0x[0-9a-f]+ -> phys 0x1[0-9a-f]{8}-0x[0-9a-f]+ "
expect_line "^page sizes: 1G=0 .*not offered by the CPU"
finish "bios boot report at -m 5G with 2 MiB pages only"

for path in pvh bios; do
	boot "null-$path" $path 64M qemu64 "selftest=null-deref" "${DEBUG_EXIT[@]}"
	expect_rc 225 "panic status 0x70"
	expect_line "^PANIC: NULL pointer access: read at 0 "
	expect_line "faulting address \(cr2\) 0x0000000000000000"
	expect_line "^  rip 0xffffc0"
	expect_line "^backtrace"
	expect_line "^  #0 +0x[0-9a-f]+ \(link 0x[0-9a-f]+\) selftest_run\+0x[0-9a-f]+$"
	expect_line "^  #1 +0x[0-9a-f]+ \(link 0x[0-9a-f]+\) app_run\+0x[0-9a-f]+$"
	finish "$path NULL access is a named panic"

	boot "overflow-$path" $path 64M qemu64 "selftest=stack-overflow" "${DEBUG_EXIT[@]}"
	expect_rc 225 "panic status 0x70"
	expect_line "^PANIC: stack overflow in stack slot 0: write at 0xffffff003f7ff[0-9a-f]+, below the stack.s limit 0xffffff003f800000"
	finish "$path stack overflow is a named panic"

	boot "exit-$path" $path 64M qemu64 "exit=7" "${DEBUG_EXIT[@]}"
	expect_rc 15 "status 7 through isa-debug-exit"
	expect_line "^kernel: exit 7"
	finish "$path exit status reaches the host"

	boot "bootstats-$path" $path 64M qemu64 'bootstats "two words" -- arg' "${DEBUG_EXIT[@]}"
	expect_rc 1 "exit status 0"
	expect_line '^command line: "bootstats "two words" -- arg" \(4 words\)'
	expect_line "^bootstats: tsc [1-9][0-9]* kHz"
	entry=$(log_value "^bootstats: entry")
	paging=$(log_value "^bootstats: paging")
	main=$(log_value "^bootstats: main")
	if [ -n "$entry" ] && [ -n "$paging" ] && [ -n "$main" ]; then
		[ "$entry" -gt 0 ] && [ "$paging" -ge "$entry" ] && [ "$main" -ge "$paging" ] ||
			fail "milestones out of order: $entry $paging $main"
	else
		fail "missing bootstats milestones"
	fi
	finish "$path bootstats milestones"
done

# Slot 0 grows on demand from the page allocator: in 4 MiB of RAM its 8 MiB limit cannot
# be reached, and running out of pages first is named as such, not as an overflow.
boot "slot0-oom-pvh" pvh 4M qemu64 "selftest=stack-overflow" "${DEBUG_EXIT[@]}"
expect_rc 225 "panic status 0x70"
expect_line "^PANIC: out of memory growing stack slot 0: write at 0xffffff003f[89a-f][0-9a-f]{5} \([0-9]+ of [0-9]+ pages free\)"
finish "pvh stack slot 0 out of memory is a named panic"

boot "stack-slots-pvh" pvh 64M qemu64 "selftest=stack-slots" "${DEBUG_EXIT[@]}"
expect_rc 1 "exit status 0"
expect_line "^selftest: stack slots ok"
finish "pvh stack slots grow on demand and give their pages back"

# Threads: ping-pong over wait queues, join, detach and reaping, a timed sleep woken by the
# APIC timer (one-shot counter on qemu64, TSC-deadline where -cpu max offers it) and a
# timed wait that times out.
for cpu in qemu64 max; do
	boot "threads-pvh-$cpu" pvh 64M $cpu "selftest=threads" "${DEBUG_EXIT[@]}"
	expect_rc 1 "exit status 0"
	expect_line "^selftest: ping 0"
	if [ "$(grep -E '^selftest: (ping|pong)' "$LOG" | tr '\n' ' ')" != \
		"selftest: ping 0 selftest: pong 0 selftest: ping 1 selftest: pong 1 selftest: ping 2 selftest: pong 2 " ]; then
		fail "ping-pong out of order"
	fi
	# ...and the CPU halted through the sleep instead of spinning (the kernel checks 1-10).
	expect_line "^selftest: slept 20 ms: woke after (2[0-9]{4}|[3-9][0-9]{4}|[0-9]{6,}) us, [0-9]+ halt"
	expect_line "^selftest: threads ok"
	finish "pvh threads, wait queues and timed sleeps (-cpu $cpu)"
done

boot "thread-overflow-bios" bios 64M qemu64 "selftest=thread-overflow" "${DEBUG_EXIT[@]}"
expect_rc 225 "panic status 0x70"
expect_line "^PANIC: stack overflow in stack slot 1: write at 0xffffff007ffef[0-9a-f]+, below the stack.s limit 0xffffff007fff0000"
finish "bios a thread's unbounded recursion is a named stack overflow"

boot "ud-pvh" pvh 64M qemu64 "selftest=invalid-opcode" "${DEBUG_EXIT[@]}"
expect_rc 225 "panic status 0x70"
expect_line "^PANIC: CPU exception 6: invalid opcode \(#UD\)"
finish "pvh invalid opcode is a named panic"

# The Linux 64-bit boot protocol (Firecracker's way in: the ELF entry in long mode, the
# zero page in rsi), exercised under QEMU through tests/boot/linuxboot-shim.asm, which
# builds the zero page as Firecracker does and jumps to the image's entry.
ELF=$BUILD/test/linuxboot-shim.bin boot "linux-boot-protocol" pvh 128M qemu64 \
	"bootstats exit=5 -- x y" "${DEBUG_EXIT[@]}" -device "loader,file=$BUILD/bootreport.elf" \
	-device "loader,file=$BUILD/bootreport.elf,addr=0x4000000,force-raw=on"
expect_rc 11 "exit status 5"
expect_line "^boot path: linux \(zero page\)$"
expect_line '^command line: "bootstats exit=5 -- x y" \(5 words\)$'
expect_line "^  map 0x000000100000-0x000007fe0000 usable"
expect_line "^bootstats: main"
finish "linux boot protocol: the zero page's memory map and command line reach the kernel"

# A small image on an AHCI disk: SeaBIOS boots only disks of at least one cylinder, which
# mkimage pads to.
BIOS_DISK=ahci boot "small-image-ahci" bios 64M qemu64 "" "${DEBUG_EXIT[@]}"
expect_rc 1 "exit status 0"
expect_line "^boot path: bios$"
finish "bios boot of a small image from an AHCI disk"

# The BIOS loader takes images of 64 MiB and more (newlib, lwIP and a server make
# several MiB): a kernel padded past 64 MiB boots and reports its own size.
ELF=$BUILD/test/big.elf BIOS_DISK=ahci boot "big-image-bios" bios 512M qemu64 "" "${DEBUG_EXIT[@]}"
expect_rc 1 "exit status 0"
# SeaBIOS's serial console flushes its own screen text late: a dot and a line break of its
# "Booting from Hard Disk..." may land anywhere inside the loader's first line.
expect_text_past_firmware "VMOS boot: BIOS loader, kernel 67[0-9]{6} bytes"
expect_line "^kernel image: 0xffffc0[0-9a-f]+, 67[0-9]{6} bytes"
expect_line "^kernel: exit 0"
finish "bios loader boots a 64 MiB image"

# A microvm without any legacy device (no RTC, PIT, PIC or ACPI) must still boot: the
# kernel needs none of them, and bootstats must not wait for a PIT that is not there.
MACHINE=microvm,rtc=off,pit=off,pic=off,acpi=off boot "microvm-pvh" pvh 64M qemu64 "bootstats" \
	"${DEBUG_EXIT[@]}"
expect_rc 1 "exit status 0"
expect_line "^boot path: pvh"
expect_line "^kernel: exit 0"
expect_line "^bootstats: tsc 0 kHz \(unknown\)"
finish "pvh boot on a microvm with no legacy devices"

# Without isa-debug-exit the kernel powers the VM off through ACPI: QEMU exits with 0.
boot "poweroff-pvh" pvh 64M qemu64 ""
expect_rc 0 "ACPI power-off"
expect_line "^kernel: exit 0"
expect_no_line "halted"
finish "pvh ACPI power-off without isa-debug-exit"
