//go:build !unix

package main

// nonBlock is 0 where opening a file cannot block on a FIFO the Unix way.
const nonBlock = 0
