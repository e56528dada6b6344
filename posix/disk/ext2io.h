/* ext2io.h - libext2fs's I/O manager over a VM disk (virtio/virtio_blk.h): the channel
 * libext2fs reads and writes the file system through, by block, flushed on request. A
 * channel's name is the disk's device node, "/dev/vda"... */
#ifndef POSIX_DISK_EXT2IO_H
#define POSIX_DISK_EXT2IO_H

#include <ext2fs/ext2fs.h>

/* ext2io_manager - give it to ext2fs_open2. */
extern io_manager ext2io_manager;

/* ext2io_errno - a libext2fs error code as the errno Linux gives for the same case (a
 * code that is an errno already stays one; anything unknown is -EIO). Returns -errno. */
int ext2io_errno(errcode_t err);

#endif
