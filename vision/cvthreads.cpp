// Bridges to cv::setNumThreads and OpenCV's log level, which gocv v0.31 lacks.
#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>

extern "C" void kiosk_set_cv_threads(int n) { cv::setNumThreads(n); }

extern "C" void kiosk_quiet_cv_log() {
  cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_FATAL);
}
