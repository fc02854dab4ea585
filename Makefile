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
# Test filter for dotnet test (no test needs a GPU; the GPU check is make test-gpu, bench/gpu-check.sh).
TEST_FILTER ?= Category!=Gpu
# Where make test-gpu writes its log, the benchmarks' JSON and sample pictures.
GPU_CHECK_OUT ?= .build/gpu-check
# Deployment: the image (docker/Dockerfile), the chart (charts/rld) and the kustomize overlays (k8s/).
TORCH_BACKEND ?= cpu
IMAGE ?= rldistributed/rld:0.1.0$(if $(filter cuda,$(TORCH_BACKEND)),-cuda)
RELEASE ?= rld
NAMESPACE ?= rld
VALUES ?=
HELM := tools/helm/helm
KUBECTL := tools/kubectl/kubectl
K8S_OUT := .build/k8s
# make certs: a development CA and a server/client certificate (tls.crt, tls.key, ca.crt, ca.key).
CERTS_DIR ?= .build/certs

# The local trace viewer (make dashboard): UI and its API, and the OTLP/gRPC receiver, on loopback only.
DASHBOARD_URL ?= http://127.0.0.1:18888
DASHBOARD_OTLP ?= http://127.0.0.1:4317
# make train-distributed exports traces and metrics to the dashboard when it answers (unless OTEL_EXPORTER_OTLP_ENDPOINT is set).
OTLP_IF_DASHBOARD = $(if $(OTEL_EXPORTER_OTLP_ENDPOINT),,$(shell curl -s -o /dev/null -m 1 $(DASHBOARD_URL)/api/telemetry/traces && echo OTEL_EXPORTER_OTLP_ENDPOINT=$(DASHBOARD_OTLP)))

.PHONY: help setup build test test-gpu train train-distributed bench dashboard clean k8s-tools image deploy helm-lint k8s-render certs

help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

setup: ## Install what the tests need (apt packages when root, helm and kubectl and the Aspire Dashboard under tools/) and restore NuGet packages
	@bash scripts/setup.sh
	@bash scripts/fetch-k8s-tools.sh
	$(DOTNET) restore RLDistributed.sln
	@bash scripts/fetch-dashboard.sh --optional

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

test-gpu: build ## GPU check on a CUDA machine (bench/gpu-check.sh): CUDA training, one process and two workers, timed against PyTorch; log in GPU_CHECK_OUT
	RLD=./bin/rld OUT=$(GPU_CHECK_OUT) bash bench/gpu-check.sh

train: build ## Train the embedded default (toy2d) in one process; outputs under OUT (runs/toy2d); RESUME=1 continues it
ifeq ($(RESUME),1)
	./bin/rld train --resume $(OUT)/checkpoints
else
	./bin/rld train --preset $(PRESET) --out $(OUT)
endif

train-distributed: build ## Train PRESET (toy2d) on a local cluster (a coordinator and WORKERS=2 worker processes); outputs under DIST_OUT; RESUME=1 continues it
	@$(if $(OTLP_IF_DASHBOARD),echo "exporting traces and metrics to the dashboard: $(DASHBOARD_URL)",true)
ifeq ($(RESUME),1)
	$(OTLP_IF_DASHBOARD) ./bin/rld train --workers $(WORKERS) --transport $(TRANSPORT) --resume $(DIST_OUT)/checkpoints
else
	$(OTLP_IF_DASHBOARD) ./bin/rld train --preset $(PRESET) --workers $(WORKERS) --transport $(TRANSPORT) --out $(DIST_OUT)
endif

dashboard: ## Start the Aspire Dashboard on loopback (UI DASHBOARD_URL, OTLP DASHBOARD_OTLP); make train-distributed then exports to it
	@bash scripts/fetch-dashboard.sh
	@echo "Aspire Dashboard: $(DASHBOARD_URL) (OTLP/gRPC $(DASHBOARD_OTLP)); Ctrl-C stops it"
	ASPNETCORE_URLS=$(DASHBOARD_URL) ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=$(DASHBOARD_OTLP) ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true \
	  tools/aspire-dashboard/Aspire.Dashboard

certs: ## Make a development CA and a server/client certificate (PEM) in CERTS_DIR (.build/certs), for TLS and mutual TLS
	$(DOTNET) run --project cli/RLDistributed.Cli -c $(CONFIG) -- certs --out $(CERTS_DIR)

k8s-tools: ## Fetch helm and kubectl into tools/ (idempotent)
	@bash scripts/fetch-k8s-tools.sh

image: ## Build the image with docker: TORCH_BACKEND=cpu|cuda, IMAGE=name:tag
	docker build -f docker/Dockerfile --build-arg TORCH_BACKEND=$(TORCH_BACKEND) -t $(IMAGE) .

deploy: k8s-tools ## Install or upgrade the chart: VALUES=file (optional), RELEASE (rld), NAMESPACE (rld)
	$(HELM) upgrade --install $(RELEASE) charts/rld --namespace $(NAMESPACE) --create-namespace $(if $(VALUES),--values $(VALUES))

helm-lint: k8s-tools ## Lint the chart strictly and render it with the default and the example values
	$(HELM) lint --strict charts/rld
	$(HELM) template $(RELEASE) charts/rld >/dev/null
	@for f in charts/rld/examples/*.yaml; do echo "helm template --values $$f"; $(HELM) template $(RELEASE) charts/rld --values $$f >/dev/null; done

k8s-render: k8s-tools ## Render the kustomize overlays (cpu-dev, gpu) into .build/k8s/
	@mkdir -p $(K8S_OUT)
	@for overlay in cpu-dev gpu; do $(KUBECTL) kustomize k8s/overlays/$$overlay > $(K8S_OUT)/$$overlay.yaml; echo "$(K8S_OUT)/$$overlay.yaml"; done

bench: build ## Run every benchmark (several minutes); writes bench/results/<date>-<machine>.json and updates bench/RESULTS.md
	@bash scripts/setup-bench.sh
	./bin/rld bench suite

clean: ## Remove build outputs
	rm -rf bin .build $(RESULTS_DIR)
	find . -name bin -o -name obj -type d -prune -exec rm -rf {} +
