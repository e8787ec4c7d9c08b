// A bridge to cv::setNumThreads, which gocv v0.31 lacks.
#include <opencv2/core.hpp>

extern "C" void kiosk_set_cv_threads(int n) { cv::setNumThreads(n); }
