// Package budget decides how much work the kiosk does: the rates of
// drawing and of each detector, the least of [budget], the power level's
// budget and what the scene on screen needs, and a lighter budget while
// nobody is in front of the attract screen. It is plain Go: the pipeline
// and the window are told the rates, they do not decide them.
package budget
