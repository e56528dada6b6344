# tests/ports/assert: a program whose assert() fails when it gets an argument.
PORT_APP_SRCS := $(PORT_DIR)/assert.c
PORT_CMDLINE := -- fail
