// The system's zlib (Debian: zlib1g-dev, which a Swift toolchain needs too), for reading the
// deflated entries of office documents.
#include <zlib.h>
