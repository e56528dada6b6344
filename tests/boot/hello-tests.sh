#!/usr/bin/env bash
# hello-tests.sh - the hello port: an unmodified C program linked with newlib and the
# POSIX layer gets its arguments and environment from the kernel command line, runs its
# constructors and atexit handlers, and its exit status reaches the host.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
ELF=$BUILD/hello.elf
STAGE=${STAGE:-$BUILD/boot/start.bin}
MKIMAGE=${MKIMAGE:-$BUILD/tools/mkimage}
# shellcheck source=tests/boot/lib.sh
. tests/boot/lib.sh

boot "hello-args-pvh" pvh 32M qemu64 'bootstats LANG=C HOME=/ -- alpha "beta gamma" status=3' \
	"${DEBUG_EXIT[@]}"
expect_rc 7 "status 3 from main"
expect_line "^hello from VMOS: argc=4 constructor=ran$"
expect_line "^argv\[0\]=hello$"
expect_line "^argv\[1\]=alpha$"
expect_line "^argv\[2\]=beta gamma$"
expect_line "^env LANG=C$"
expect_line "^env HOME=/$"
expect_no_line "^env bootstats"
expect_line "^bootstats: main"
expect_line "^malloc 1 MiB: ok, strtod: 0.250$"
expect_line "^hello: atexit handler ran$"
expect_line "^kernel: exit 3$"
finish "hello: arguments after --, KEY=value words as environment, exit status"

boot "hello-noseparator-pvh" pvh 32M qemu64 'one two=2' "${DEBUG_EXIT[@]}"
expect_rc 1 "status 0"
expect_line "^hello from VMOS: argc=3 "
expect_line "^argv\[2\]=two=2$"
expect_no_line "^env "
finish "hello: without -- every word is an argument and nothing is environment"

# With no command line at all, the port's default one ("-- world") applies.
boot "hello-default-bios" bios 32M qemu64 "" "${DEBUG_EXIT[@]}"
expect_rc 1 "status 0"
expect_line "^argv\[1\]=world$"
expect_line "^kernel: exit 0$"
finish "hello: the port's default command line applies when none is given"

ELF=$BUILD/assert.elf boot "assert-pvh" pvh 32M qemu64 "" "${DEBUG_EXIT[@]}"
expect_rc 255 "status 127 (128 + SIGABRT, clamped for isa-debug-exit)"
expect_line "^before the assertion$"
expect_line "^assertion \"argc == 1\" failed: file \".*assert.c\", line [0-9]+, function: main$"
expect_line "^assert: terminated by signal 6 \(abort\)$"
expect_line "^kernel: exit 134$"
expect_no_line "not reached"
finish "a failed assert() prints its message and stops the VM with a failure status"

ELF=$BUILD/pthread-overflow.elf boot "pthread-overflow-pvh" pvh 32M qemu64 "" "${DEBUG_EXIT[@]}"
expect_rc 225 "the panic status"
expect_line "^thread started, recursing$"
expect_line "^PANIC: stack overflow in stack slot [1-9][0-9]*: write at 0xffffff[0-9a-f]+, below the stack.s limit 0xffffff[0-9a-f]+$"
expect_line "^backtrace"
expect_no_line "not reached"
finish "a POSIX thread recursing without bound stops the VM with the named stack-overflow panic"

ELF=$BUILD/process.elf boot "process-calls-pvh" pvh 32M qemu64 "" "${DEBUG_EXIT[@]}"
expect_rc 1 "status 0"
for call in "fork()" "vfork()" "execve()" "execv()" "execvp()" "execl()"; do
	expect_line "^${call//[()]/\\&} = -1 \(Function not implemented\)$"
done
expect_line "^wait\(\) = -1 \(No child processes\)$"
expect_line "^waitpid\(\) = -1 \(No child processes\)$"
expect_line "^system\(NULL\) = 0 \(a shell is available: no\)$"
expect_line "^getpid\(\) = 1, getppid\(\) = 0$"
finish "one process per VM: fork and exec give ENOSYS, wait ECHILD, system() finds no shell"

ELF=$BUILD/process.elf boot "alarm-default-pvh" pvh 32M qemu64 "-- alarm" "${DEBUG_EXIT[@]}"
expect_rc 255 "status 127 (128 + SIGALRM, clamped for isa-debug-exit)"
expect_line "^alarm set, sleeping$"
expect_line "^process: terminated by signal 14$"
expect_line "^kernel: exit 142$"
expect_no_line "not reached"
finish "alarm() without a handler ends the process after its time, while it sleeps"

# GNU hello, unmodified, from Debian's source package: ./configure CC=vmos-cc && make.
ELF=$BUILD/gnu-hello.elf boot "gnu-hello-pvh" pvh 32M qemu64 "" "${DEBUG_EXIT[@]}"
expect_rc 1 "status 0"
expect_line "^Hello,VMOS$"
finish "GNU hello built by its own configure and make with the wrapper greets as told"

ELF=$BUILD/gnu-hello.elf boot "gnu-hello-version-pvh" pvh 32M qemu64 "-- --version" "${DEBUG_EXIT[@]}"
expect_rc 1 "status 0"
expect_line "^hello \(GNU Hello\) 2\.10$"
finish "GNU hello --version"
