// Package booth is the running kiosk, put together from the configuration
// and its parts: the detectors, the camera or clip behind its watchdog and
// the presenter's switch, the budgeter that decides the pipeline's rates,
// health and metrics, the camera's mount check, and the session's setup
// and host.
package booth
