// Package bench measures the kiosk for BENCHMARKS.md: the detection
// pipeline stage by stage, the CPU per power level and per scene, the heap
// allocations per drawn frame in the real window, and the carrier link.
// Each figure comes with the machine it came from.
package bench
