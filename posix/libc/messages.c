/* messages.c - the texts of error numbers, as glibc prints them: strerror, strerror_l,
 * strerror_r in both forms (string.h picks the GNU one under _GNU_SOURCE, else the XSI
 * one, __xpg_strerror_r, as glibc's does), strerrordesc_np and strerrorname_np; newlib's
 * perror and psignal print through _strerror_r and strsignal, so they say the same.
 * Numbers are newlib's; each has Linux's text for the same name. The few names Linux
 * lacks (EFTYPE, ELBIN, EPROCLIM) keep newlib's text; EDEADLOCK and ENOTSUP are EDEADLK
 * and EOPNOTSUPP (posix/include/sys/errno.h), and newlib's own numbers for them are
 * named so too. These definitions
 * replace newlib's (its strerror.o, strerror_r.o and xpg_strerror_r.o are not linked). */
#define _GNU_SOURCE
#include <errno.h>
#include <reent.h>
#include <stdio.h>
#include <string.h>

#include "posix/posix.h"

struct errno_text {
	const char *name;
	const char *text;
};

static const struct errno_text errno_texts[] = {
    [0] = {"0", "Success"},
    [EPERM] = {"EPERM", "Operation not permitted"},
    [ENOENT] = {"ENOENT", "No such file or directory"},
    [ESRCH] = {"ESRCH", "No such process"},
    [EINTR] = {"EINTR", "Interrupted system call"},
    [EIO] = {"EIO", "Input/output error"},
    [ENXIO] = {"ENXIO", "No such device or address"},
    [E2BIG] = {"E2BIG", "Argument list too long"},
    [ENOEXEC] = {"ENOEXEC", "Exec format error"},
    [EBADF] = {"EBADF", "Bad file descriptor"},
    [ECHILD] = {"ECHILD", "No child processes"},
    [EAGAIN] = {"EAGAIN", "Resource temporarily unavailable"},
    [ENOMEM] = {"ENOMEM", "Cannot allocate memory"},
    [EACCES] = {"EACCES", "Permission denied"},
    [EFAULT] = {"EFAULT", "Bad address"},
    [ENOTBLK] = {"ENOTBLK", "Block device required"},
    [EBUSY] = {"EBUSY", "Device or resource busy"},
    [EEXIST] = {"EEXIST", "File exists"},
    [EXDEV] = {"EXDEV", "Invalid cross-device link"},
    [ENODEV] = {"ENODEV", "No such device"},
    [ENOTDIR] = {"ENOTDIR", "Not a directory"},
    [EISDIR] = {"EISDIR", "Is a directory"},
    [EINVAL] = {"EINVAL", "Invalid argument"},
    [ENFILE] = {"ENFILE", "Too many open files in system"},
    [EMFILE] = {"EMFILE", "Too many open files"},
    [ENOTTY] = {"ENOTTY", "Inappropriate ioctl for device"},
    [ETXTBSY] = {"ETXTBSY", "Text file busy"},
    [EFBIG] = {"EFBIG", "File too large"},
    [ENOSPC] = {"ENOSPC", "No space left on device"},
    [ESPIPE] = {"ESPIPE", "Illegal seek"},
    [EROFS] = {"EROFS", "Read-only file system"},
    [EMLINK] = {"EMLINK", "Too many links"},
    [EPIPE] = {"EPIPE", "Broken pipe"},
    [EDOM] = {"EDOM", "Numerical argument out of domain"},
    [ERANGE] = {"ERANGE", "Numerical result out of range"},
    [ENOMSG] = {"ENOMSG", "No message of desired type"},
    [EIDRM] = {"EIDRM", "Identifier removed"},
    [ECHRNG] = {"ECHRNG", "Channel number out of range"},
    [EL2NSYNC] = {"EL2NSYNC", "Level 2 not synchronized"},
    [EL3HLT] = {"EL3HLT", "Level 3 halted"},
    [EL3RST] = {"EL3RST", "Level 3 reset"},
    [ELNRNG] = {"ELNRNG", "Link number out of range"},
    [EUNATCH] = {"EUNATCH", "Protocol driver not attached"},
    [ENOCSI] = {"ENOCSI", "No CSI structure available"},
    [EL2HLT] = {"EL2HLT", "Level 2 halted"},
    [EDEADLK] = {"EDEADLK", "Resource deadlock avoided"},
    [ENOLCK] = {"ENOLCK", "No locks available"},
    [EBADE] = {"EBADE", "Invalid exchange"},
    [EBADR] = {"EBADR", "Invalid request descriptor"},
    [EXFULL] = {"EXFULL", "Exchange full"},
    [ENOANO] = {"ENOANO", "No anode"},
    [EBADRQC] = {"EBADRQC", "Invalid request code"},
    [EBADSLT] = {"EBADSLT", "Invalid slot"},
    /* newlib's own EDEADLOCK, from code built with its headers (ours alias it) */
    [56] = {"EDEADLK", "Resource deadlock avoided"},
    [EBFONT] = {"EBFONT", "Bad font file format"},
    [ENOSTR] = {"ENOSTR", "Device not a stream"},
    [ENODATA] = {"ENODATA", "No data available"},
    [ETIME] = {"ETIME", "Timer expired"},
    [ENOSR] = {"ENOSR", "Out of streams resources"},
    [ENONET] = {"ENONET", "Machine is not on the network"},
    [ENOPKG] = {"ENOPKG", "Package not installed"},
    [EREMOTE] = {"EREMOTE", "Object is remote"},
    [ENOLINK] = {"ENOLINK", "Link has been severed"},
    [EADV] = {"EADV", "Advertise error"},
    [ESRMNT] = {"ESRMNT", "Srmount error"},
    [ECOMM] = {"ECOMM", "Communication error on send"},
    [EPROTO] = {"EPROTO", "Protocol error"},
    [EMULTIHOP] = {"EMULTIHOP", "Multihop attempted"},
    [ELBIN] = {"ELBIN", "Inode is remote (not really error)"},
    [EDOTDOT] = {"EDOTDOT", "RFS specific error"},
    [EBADMSG] = {"EBADMSG", "Bad message"},
    [EFTYPE] = {"EFTYPE", "Inappropriate file type or format"},
    [ENOTUNIQ] = {"ENOTUNIQ", "Name not unique on network"},
    [EBADFD] = {"EBADFD", "File descriptor in bad state"},
    [EREMCHG] = {"EREMCHG", "Remote address changed"},
    [ELIBACC] = {"ELIBACC", "Can not access a needed shared library"},
    [ELIBBAD] = {"ELIBBAD", "Accessing a corrupted shared library"},
    [ELIBSCN] = {"ELIBSCN", ".lib section in a.out corrupted"},
    [ELIBMAX] = {"ELIBMAX", "Attempting to link in too many shared libraries"},
    [ELIBEXEC] = {"ELIBEXEC", "Cannot exec a shared library directly"},
    [ENOSYS] = {"ENOSYS", "Function not implemented"},
    [ENOTEMPTY] = {"ENOTEMPTY", "Directory not empty"},
    [ENAMETOOLONG] = {"ENAMETOOLONG", "File name too long"},
    [ELOOP] = {"ELOOP", "Too many levels of symbolic links"},
    [EOPNOTSUPP] = {"EOPNOTSUPP", "Operation not supported"},
    [EPFNOSUPPORT] = {"EPFNOSUPPORT", "Protocol family not supported"},
    [ECONNRESET] = {"ECONNRESET", "Connection reset by peer"},
    [ENOBUFS] = {"ENOBUFS", "No buffer space available"},
    [EAFNOSUPPORT] = {"EAFNOSUPPORT", "Address family not supported by protocol"},
    [EPROTOTYPE] = {"EPROTOTYPE", "Protocol wrong type for socket"},
    [ENOTSOCK] = {"ENOTSOCK", "Socket operation on non-socket"},
    [ENOPROTOOPT] = {"ENOPROTOOPT", "Protocol not available"},
    [ESHUTDOWN] = {"ESHUTDOWN", "Cannot send after transport endpoint shutdown"},
    [ECONNREFUSED] = {"ECONNREFUSED", "Connection refused"},
    [EADDRINUSE] = {"EADDRINUSE", "Address already in use"},
    [ECONNABORTED] = {"ECONNABORTED", "Software caused connection abort"},
    [ENETUNREACH] = {"ENETUNREACH", "Network is unreachable"},
    [ENETDOWN] = {"ENETDOWN", "Network is down"},
    [ETIMEDOUT] = {"ETIMEDOUT", "Connection timed out"},
    [EHOSTDOWN] = {"EHOSTDOWN", "Host is down"},
    [EHOSTUNREACH] = {"EHOSTUNREACH", "No route to host"},
    [EINPROGRESS] = {"EINPROGRESS", "Operation now in progress"},
    [EALREADY] = {"EALREADY", "Operation already in progress"},
    [EDESTADDRREQ] = {"EDESTADDRREQ", "Destination address required"},
    [EMSGSIZE] = {"EMSGSIZE", "Message too long"},
    [EPROTONOSUPPORT] = {"EPROTONOSUPPORT", "Protocol not supported"},
    [ESOCKTNOSUPPORT] = {"ESOCKTNOSUPPORT", "Socket type not supported"},
    [EADDRNOTAVAIL] = {"EADDRNOTAVAIL", "Cannot assign requested address"},
    [ENETRESET] = {"ENETRESET", "Network dropped connection on reset"},
    [EISCONN] = {"EISCONN", "Transport endpoint is already connected"},
    [ENOTCONN] = {"ENOTCONN", "Transport endpoint is not connected"},
    [ETOOMANYREFS] = {"ETOOMANYREFS", "Too many references: cannot splice"},
    [EPROCLIM] = {"EPROCLIM", "Too many processes"},
    [EUSERS] = {"EUSERS", "Too many users"},
    [EDQUOT] = {"EDQUOT", "Disk quota exceeded"},
    [ESTALE] = {"ESTALE", "Stale file handle"},
    /* newlib's own ENOTSUP, likewise */
    [134] = {"EOPNOTSUPP", "Operation not supported"},
    [ENOMEDIUM] = {"ENOMEDIUM", "No medium found"},
    [EILSEQ] = {"EILSEQ", "Invalid or incomplete multibyte or wide character"},
    [EOVERFLOW] = {"EOVERFLOW", "Value too large for defined data type"},
    [ECANCELED] = {"ECANCELED", "Operation canceled"},
    [ENOTRECOVERABLE] = {"ENOTRECOVERABLE", "State not recoverable"},
    [EOWNERDEAD] = {"EOWNERDEAD", "Owner died"},
    [ESTRPIPE] = {"ESTRPIPE", "Streams pipe error"},
};

static const struct errno_text *errno_entry(int errnum)
{
	if (errnum < 0 || (size_t)errnum >= sizeof(errno_texts) / sizeof(errno_texts[0]) ||
	    !errno_texts[errnum].text)
		return NULL;
	return &errno_texts[errnum];
}

const char *strerrordesc_np(int errnum)
{
	const struct errno_text *e = errno_entry(errnum);

	return e ? e->text : NULL;
}

const char *strerrorname_np(int errnum)
{
	const struct errno_text *e = errno_entry(errnum);

	return e ? e->name : NULL;
}

/* The GNU strerror_r: the constant text when there is one, else "Unknown error N" written
 * into buf (truncated to buflen) and buf. */
char *strerror_r(int errnum, char *buf, size_t buflen)
{
	const char *text = strerrordesc_np(errnum);

	if (text)
		return (char *)text;
	if (buflen)
		snprintf(buf, buflen, "Unknown error %d", errnum);
	return buf;
}

/* The XSI strerror_r: the text copied into buf, truncated to buflen - 1 and terminated;
 * 0, ERANGE when it did not fit, EINVAL for a number without a text (buf then holds
 * "Unknown error N", as far as it fits). */
int __xpg_strerror_r(int errnum, char *buf, size_t buflen)
{
	const char *text = strerrordesc_np(errnum);

	if (!text) {
		if (buflen)
			snprintf(buf, buflen, "Unknown error %d", errnum);
		return EINVAL;
	}
	size_t len = strlen(text);
	if (buflen) {
		size_t n = len < buflen - 1 ? len : buflen - 1;
		memcpy(buf, text, n);
		buf[n] = '\0';
	}
	return buflen <= len ? ERANGE : 0;
}

/* newlib's internal form, which its perror and strerror_r call: @internal and @errptr
 * are newlib's (whether the caller keeps errno; where to report an unknown number). */
char *_strerror_r(struct _reent *ptr, int errnum, int internal, int *errptr)
{
	(void)ptr;
	(void)internal;
	const char *text = strerrordesc_np(errnum);

	if (text)
		return (char *)text;
	if (errptr)
		*errptr = EINVAL;
	return strerror_r(errnum, posix_thread_text(), POSIX_THREAD_TEXT_SIZE);
}

char *strerror(int errnum)
{
	return strerror_r(errnum, posix_thread_text(), POSIX_THREAD_TEXT_SIZE);
}

char *strerror_l(int errnum, locale_t locale)
{
	(void)locale;
	return strerror(errnum);
}
