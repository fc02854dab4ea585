# RLDistributed: build, test and run. Every target works on a fresh Debian machine with the .NET SDK.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

DOTNET ?= dotnet
CONFIG ?= Release
PUBLISH_DIR := .build/rld
RESULTS_DIR := .test-results
PRESET ?= toy2d
OUT ?= runs/$(PRESET)
WORKERS ?= 2
TRANSPORT ?= tcp
DIST_OUT ?= runs/$(PRESET)-distributed
# RESUME=1: continue the run in OUT (train) or DIST_OUT (train-distributed) from its newest valid checkpoint.
RESUME ?= 0
# Test filter: GPU tests only run where a GPU exists (make test-gpu).
TEST_FILTER ?= Category!=Gpu

.PHONY: help setup build test test-gpu train train-distributed clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

setup: ## Install what the tests need (apt packages when root) and restore NuGet packages
	@bash scripts/setup.sh
	$(DOTNET) restore RLDistributed.sln

build: setup ## Publish the CLI so that ./bin/rld runs it
	$(DOTNET) publish cli/RLDistributed.Cli -c $(CONFIG) -o $(PUBLISH_DIR) --no-restore -nologo
	@mkdir -p bin && ln -sfn ../$(PUBLISH_DIR)/rld bin/rld
	@echo "built ./bin/rld"

# Test projects run one after another (-m:1): the integration tests start real worker processes whose
# heartbeats must not starve behind another project's training test on a 2-core machine.
test: setup ## Run every test (CPU); prints 'N passed, N failed'
	@rm -rf $(RESULTS_DIR)
	$(DOTNET) build RLDistributed.sln -c $(CONFIG) --no-restore -nologo
	$(DOTNET) test RLDistributed.sln -c $(CONFIG) --no-build --filter "$(TEST_FILTER)" -m:1 \
	  --logger trx --results-directory $(RESULTS_DIR) --logger "console;verbosity=normal" \
	  || { bash scripts/test-summary.sh $(RESULTS_DIR); exit 1; }
	@bash scripts/test-summary.sh $(RESULTS_DIR)

test-gpu: setup ## Run the GPU tests only (needs CUDA and TorchBackend=cuda)
	$(DOTNET) test RLDistributed.sln -c $(CONFIG) --filter "Category=Gpu"

train: build ## Train the embedded default (toy2d) in one process; outputs under OUT (runs/toy2d); RESUME=1 continues it
ifeq ($(RESUME),1)
	./bin/rld train --resume $(OUT)/checkpoints
else
	./bin/rld train --preset $(PRESET) --out $(OUT)
endif

train-distributed: build ## Train PRESET (toy2d) on a local cluster (a coordinator and WORKERS=2 worker processes); outputs under DIST_OUT; RESUME=1 continues it
ifeq ($(RESUME),1)
	./bin/rld train --workers $(WORKERS) --transport $(TRANSPORT) --resume $(DIST_OUT)/checkpoints
else
	./bin/rld train --preset $(PRESET) --workers $(WORKERS) --transport $(TRANSPORT) --out $(DIST_OUT)
endif

clean: ## Remove build outputs
	rm -rf bin .build $(RESULTS_DIR)
	find . -name bin -o -name obj -type d -prune -exec rm -rf {} +
