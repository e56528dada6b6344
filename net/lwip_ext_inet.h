/* lwip_ext_inet.h - what lwIP's inet.h takes from the system with
 * LWIP_SOCKET_EXTERNAL_HEADERS: the POSIX layer's <netinet/in.h> and <arpa/inet.h>, and
 * the conversions between struct in_addr and lwIP's ip4_addr_t (both one u32 in network
 * order). */
#ifndef VMOS_LWIP_EXT_INET_H
#define VMOS_LWIP_EXT_INET_H

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/ioctl.h>

#define inet_addr_from_ip4addr(target_inaddr, source_ipaddr)                                       \
	((target_inaddr)->s_addr = ip4_addr_get_u32(source_ipaddr))
#define inet_addr_to_ip4addr(target_ipaddr, source_inaddr)                                         \
	(ip4_addr_set_u32(target_ipaddr, (source_inaddr)->s_addr))

#endif
