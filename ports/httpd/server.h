/* server.h - the listening socket and the poll() event loop over all connections. */
#ifndef HTTPD_SERVER_H
#define HTTPD_SERVER_H

#include <signal.h>

#include "httpd.h"

/* server_run - listen on @config's address and port and serve until *@stop becomes
 * non-zero (a signal handler sets it). Returns 0 after a stop, or -errno when the socket
 * cannot be set up or memory for the connection table is missing (after printing why on
 * stderr). */
int server_run(const struct httpd_config *config, volatile sig_atomic_t *stop);

#endif
