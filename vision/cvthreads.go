package vision

/*
#cgo pkg-config: opencv4
#cgo CXXFLAGS: --std=c++11
#include <stdlib.h>
void kiosk_set_cv_threads(int n);
*/
import "C"

// SetOpenCVThreads sets how many threads OpenCV's own parallel loops (its
// DNN module among them) may use; gocv v0.31 does not expose this.
func SetOpenCVThreads(n int) { C.kiosk_set_cv_threads(C.int(n)) }
