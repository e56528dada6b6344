# ports/hello: prints its arguments and environment; an unmodified C program built with
# newlib and the POSIX layer.
PORT_APP_SRCS := ports/hello/hello.c
PORT_CMDLINE := -- world
PORT_MEM := 32M
