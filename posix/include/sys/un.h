/* sys/un.h - AF_UNIX socket addresses (missing from newlib), Linux's layout; the sockets
 * are posix/net/unix.c's. */
#ifndef VMOS_SYS_UN_H
#define VMOS_SYS_UN_H

#include <stddef.h>
#include <string.h>
#include <sys/socket.h>

struct sockaddr_un {
	sa_family_t sun_family; /* AF_UNIX */
	char sun_path[108];     /* a path name, NUL-terminated unless it fills the array */
};

#if __BSD_VISIBLE || __GNU_VISIBLE
/* The length of @ptr's address: the family and the path up to its NUL. */
#define SUN_LEN(ptr) (offsetof(struct sockaddr_un, sun_path) + strlen((ptr)->sun_path))
#endif

#endif
