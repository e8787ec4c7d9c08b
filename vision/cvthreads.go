package vision

/*
#cgo pkg-config: opencv4
#cgo CXXFLAGS: --std=c++11
#include <stdlib.h>
void kiosk_set_cv_threads(int n);
void kiosk_quiet_cv_log();
*/
import "C"

// SetOpenCVThreads sets how many threads OpenCV's own parallel loops (its
// DNN module among them) may use; gocv v0.31 does not expose this.
func SetOpenCVThreads(n int) { C.kiosk_set_cv_threads(C.int(n)) }

// QuietOpenCVLog keeps OpenCV's own warnings and errors (GStreamer, the
// picture-series reader) off stderr: the kiosk's messages name the file
// and the fix. OPENCV_LOG_LEVEL, read when OpenCV loads, is too late to set
// from inside the program.
func QuietOpenCVLog() { C.kiosk_quiet_cv_log() }
