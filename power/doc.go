// Package power keeps the kiosk alive for a whole booth session on battery:
// it reads the battery from sysfs, estimates the minutes left, picks a level
// (screen brightness and frame rates) from a ladder in the configuration and
// sets the screen backlight.
//
// Hardware is only ever read through a sysfs root directory, so tests point
// it at fixture trees under testdata. The rules (Pick, Policy) are pure: time
// is passed in, nothing reads the clock.
package power
