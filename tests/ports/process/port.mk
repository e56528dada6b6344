# tests/ports/process: what the process calls that a VM cannot honour report (ENOSYS for
# fork and exec, ECHILD for wait); checked by tests/boot/hello-tests.sh.
PORT_APP_SRCS := $(PORT_DIR)/process.c
PORT_CMDLINE :=
