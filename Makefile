# Carrier Arcade. Two commands do everything on a fresh Debian 12 machine:
#   make run    set up, build and start the kiosk
#   make test   set up, build and run every test
# MODELS_FROM=DIR takes model files from DIR instead of downloading them.

GO          ?= go
MODELS_FROM ?=
CONFIG      ?= config.toml
ARGS        ?=
BIN         := bin/kiosk
XVFB        := xvfb-run -a -s "-screen 0 1280x800x24 -noreset"
# The tests that run the programs use the ones 'make build' just made.
TESTBIN     := KIOSK_BIN=$(CURDIR)/bin

.PHONY: all deps models build run test fuzz test-kill faults soak bench bench-power bench-scenes bench-draw bench-link install-service image image-packages clean

all: build

deps:
	@assets/setup/deps.sh

# The MediaPipe models are converted by the kiosk itself, so models needs
# the build.
models: build
	@assets/setup/models.sh "$(MODELS_FROM)"

# Two programs: kiosk (every command) and kiosk-window (the screen, which
# kiosk starts for run and screenshot; see internal/kiosk/kiosk.go for why).
build: deps
	$(GO) build -o bin/ ./cmd/kiosk ./cmd/kiosk-window

# The demo reel (what the kiosk plays with no camera) is built once from
# the Debian-package media, with the object model to list what it shows,
# and again when the code that makes it (and its item list) changes.
REEL := .cache/media/demo-reel.avi
$(REEL): internal/reel/reel.go | deps models build
	$(BIN) reel --config $(CONFIG) --out $(REEL)

run: deps models build $(REEL)
	$(BIN) run --config $(CONFIG) $(ARGS)

# Every test, under a virtual display so the window tests run too. The rules,
# the budget and the booth run again without cgo, as they must build (no
# OpenCV, no ONNX Runtime); the
# vision package runs again with gocv's Mat counter to catch leaked Mats.
# The config decoder's committed fuzz seeds (internal/config/testdata/fuzz) run
# in every plain 'go test'; new inputs are searched for by 'make fuzz', not
# here: a random search can find a new failure on any run, and CI must give
# the same answer for the same commit. What it finds is committed as seeds.
FUZZTIME ?= 60s
test: deps models build $(REEL)
	$(TESTBIN) $(XVFB) $(GO) test -count=1 ./...
	cd deploy && $(GO) test -count=1 ./...
	CGO_ENABLED=0 $(GO) test -count=1 ./game/... ./sight/... ./budget/... ./booth/...
	$(XVFB) $(GO) test -count=1 -tags matprofile ./vision/...

# Search for config inputs that break the decoder's promises (no panic,
# bounded output, every rejection naming a key or a line, no Go words).
fuzz: deps
	$(GO) test -run '^$$' -fuzz '^FuzzLoadConfig$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 5s ./internal/config/

# The leaderboard's writer killed (kill -9) mid-write many times; 'make
# test' does 20 kills, this does KILLS.
KILLS ?= 500
test-kill:
	BOARD_KILL_CYCLES=$(KILLS) $(GO) test -count=1 -run '^TestLeaderboardKilledWhileWriting$$' -v ./game/

# The fault classes of issue 13 counted: refusals to start, wrong models
# taken, configs check-config passes that fail at start, messages in Go's
# words, time and memory per config (a table in the output).
faults: build
	$(TESTBIN) $(GO) test -count=1 -run '^TestFaultCounts$$' -v ./internal/kiosk/

# The soak (not in 'make test'): the kiosk window under Xvfb on the demo
# reel with the carrier link on, against a 'kiosk hub' on 127.0.0.1 killed
# (kill -9) every 100 s and started again 20 s later; every 30 s the
# window's RSS, goroutines and open files (/metrics) and the link's events
# sent and acked ('kiosk link status --json'), then a summary. SOAK is how
# long (BENCHMARKS.md has a 15-minute run).
SOAK ?= 15m
soak: deps models build $(REEL)
	$(XVFB) $(GO) run ./cmd/soak --kiosk $(BIN) --config $(CONFIG) --reel $(REEL) --for $(SOAK) $(ARGS)

bench: deps models build $(REEL)
	$(BIN) bench --config $(CONFIG) --source file:.cache/media/vtest.avi --frames 2000 --compare-opencv $(ARGS)

# CPU of the whole kiosk at each power level (BENCHMARKS.md), in a small
# window under Xvfb so that the software renderer keeps up.
bench-power: deps models build $(REEL)
	$(XVFB) $(BIN) bench --power --config $(CONFIG) --source file:$(REEL) --seconds 40 \
		--set display.width=640 --set display.height=400 $(ARGS)

# CPU of each scene (attract with people and idle, each game) at the mains
# and the lowest battery level, headless and in the window under Xvfb, now
# and as before scenes said what they need (BENCHMARKS.md).
bench-scenes: deps models build
	$(XVFB) $(BIN) bench --scenes --config $(CONFIG) --source file:.cache/media/vtest.avi \
		--set display.width=640 --set display.height=400 $(ARGS)

# Heap allocations per drawn frame, scene by scene, in the real window under
# Xvfb (BENCHMARKS.md): kiosk-window is steered through every scene and the
# allocations are counted around drawing only, after a warm-up.
bench-draw: deps models build
	$(XVFB) $(BIN) bench --draw --config $(CONFIG) --source file:.cache/media/vtest.avi --frames 300 $(ARGS)

# The carrier link (BENCHMARKS.md): a hub and three carriers in one process on
# 127.0.0.1; bytes on the wire idle and in constant play, latency, memory.
bench-link: build
	$(BIN) bench --link --seconds 120 $(ARGS)

# Start the kiosk at login and restart it when it exits (a systemd user unit).
install-service: build $(REEL)
	mkdir -p $(HOME)/.config/systemd/user
	sed "s|@REPO@|$(CURDIR)|g" assets/systemd/carrier-arcade.service > $(HOME)/.config/systemd/user/carrier-arcade.service
	systemctl --user daemon-reload
	systemctl --user enable carrier-arcade.service
	@echo "installed: it starts at the next login; now: systemctl --user start carrier-arcade"

# The kiosk's OCI image, offline from Debian packages (mmdebstrap, podman
# import), smoke-tested in a chroot; README "On Kubernetes (Talos)".
IMAGE      ?= registry.carrier.lan/carrier-arcade/kiosk:0.1.0
XORG_IMAGE ?= registry.carrier.lan/carrier-arcade/xorg:0.1.0
image: deps models $(REEL)
	IMAGE=$(IMAGE) XORG_IMAGE=$(XORG_IMAGE) deploy/image/image.sh

# Derive the image's Debian package list again from what the programs load.
image-packages: deps
	deploy/image/build-bins.sh bin/image
	$(GO) -C deploy build -o ../bin/runtimepkgs ./image/runtimepkgs
	bin/runtimepkgs -dlopen deploy/image/dlopen.txt -out deploy/image/runtime-packages.txt \
		bin/image/kiosk bin/image/kiosk-window $$(readlink -f .cache/lib/libonnxruntime.so)

clean:
	rm -rf bin build
