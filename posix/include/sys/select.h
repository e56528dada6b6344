/* sys/select.h - select() with Linux's FD_SETSIZE (1024, as many as the descriptor
 * table holds) over newlib's fd_set definitions; posix/fd/poll.c implements it. */
#ifndef VMOS_SYS_SELECT_H
#define VMOS_SYS_SELECT_H

#ifndef FD_SETSIZE
#define FD_SETSIZE 1024
#endif
#include_next <sys/select.h>

#endif
