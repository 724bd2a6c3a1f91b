#include <zlib.h>

/* deflateInit/inflateInit are macros; Swift sees these instead. */
static inline int czlib_deflate_init(z_streamp strm, int level) { return deflateInit(strm, level); }
static inline int czlib_inflate_init(z_streamp strm) { return inflateInit(strm); }
