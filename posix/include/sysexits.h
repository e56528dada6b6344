/* sysexits.h - the exit statuses BSD defined for programs and mail filters, with the
 * values glibc's copy has (memcached exits with EX_OSERR, EX_USAGE...). */
#ifndef VMOS_SYSEXITS_H
#define VMOS_SYSEXITS_H

#define EX_OK          0  /* successful termination */
#define EX__BASE       64 /* the lowest of the error statuses */
#define EX_USAGE       64 /* the command was used incorrectly */
#define EX_DATAERR     65 /* the input data was incorrect */
#define EX_NOINPUT     66 /* an input file did not exist or was not readable */
#define EX_NOUSER      67 /* the user named does not exist */
#define EX_NOHOST      68 /* the host named does not exist */
#define EX_UNAVAILABLE 69 /* a service is unavailable */
#define EX_SOFTWARE    70 /* an internal software error */
#define EX_OSERR       71 /* an operating system error (cannot fork, say) */
#define EX_OSFILE      72 /* a system file is missing or malformed */
#define EX_CANTCREAT   73 /* an output file cannot be created */
#define EX_IOERR       74 /* an error doing I/O on a file */
#define EX_TEMPFAIL    75 /* a temporary failure: try again later */
#define EX_PROTOCOL    76 /* the remote system broke the protocol */
#define EX_NOPERM      77 /* permission denied */
#define EX_CONFIG      78 /* a configuration error */
#define EX__MAX        78 /* the highest */

#endif
