# ports/posix-tests: one differential POSIX test program (tests/posix/$(POSIX_TEST).c) as
# an image, build/posix-$(POSIX_TEST).elf. tests/posix/differential.sh builds and runs them.
POSIX_TEST ?= basics
PORT_APP_SRCS := tests/posix/$(POSIX_TEST).c
PORT_NAME := $(POSIX_TEST)
IMAGE_NAME := posix-$(POSIX_TEST)
# No network card: the socket tests use the loopback interface only.
PORT_CMDLINE := ip=none --
PORT_MEM := 64M
# The programs must declare what they call: an undeclared C-library function is a missing
# header declaration in VMOS, not a warning to pass over (its result would be truncated).
# VMOS_IMAGE tells a program it runs in the image, not on the host (both are glibc to it).
PORT_CFLAGS := -Werror=implicit-function-declaration -DVMOS_IMAGE
