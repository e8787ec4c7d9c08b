package meter

import (
	"os"
	"strconv"
	"strings"
)

// RSS is the process's resident memory in bytes, and its peak (from
// /proc/self/status), or zeros where that file is not available.
func RSS() (current, peak uint64) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		fields := strings.Fields(v)
		if len(fields) == 0 {
			continue
		}
		n, err := strconv.ParseUint(fields[0], 10, 64)
		if err != nil {
			continue
		}
		switch k {
		case "VmRSS":
			current = n * 1024
		case "VmHWM":
			peak = n * 1024
		}
	}
	return current, peak
}
