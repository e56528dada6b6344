# tests/ports/pthread-overflow: a POSIX thread that recurses without bound must stop the
# VM with the named stack-overflow panic, not corrupt memory below its stack.
PORT_APP_SRCS := $(PORT_DIR)/overflow.c
PORT_CMDLINE :=
