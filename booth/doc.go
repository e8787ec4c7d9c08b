// Package booth is the running kiosk: the session and everything around it
// that is not drawing. New wires it from its parts, in one place: the
// session with its host, the budgeter and the power policy, the carrier
// link, health and metrics, the event log. Its one driver (the window,
// kiosk sim, a benchmark, the link's tests) calls Tick once per frame,
// on the wall clock or on a clip's time, and reads the Snapshot it hands
// back: the scene and its state, demo or camera, the link's view, the draw
// rate, the overlay's figures. Nothing else advances the session
// (driver_test.go checks that).
//
// The booth itself is plain Go and builds without cgo, so that it runs
// with fakes for the camera and the pipeline (boothtest). The files with
// the cgo build tag open the real parts for the programs: the detectors,
// the camera or clip behind its watchdog and the presenter's switch, the
// camera's mount check.
package booth
