// OpenBLAS's CBLAS (dense products) and LAPACKE (dense factorisations), Debian's libopenblas-dev
// and liblapacke-dev. A missing header stops the build here with the packages to install, not
// with a bare "file not found" deep inside RecCore.
#if !__has_include(<cblas.h>)
#error "cblas.h not found: Rec needs OpenBLAS; install the Debian packages libopenblas-dev and liblapacke-dev (scripts/install-deps does)"
#endif
#if !__has_include(<lapacke.h>)
#error "lapacke.h not found: Rec needs LAPACKE; install the Debian packages libopenblas-dev and liblapacke-dev (scripts/install-deps does)"
#endif
#include <cblas.h>
#include <lapacke.h>
