{{/* Names, labels and the settings both roles share. */}}

{{- define "rld.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Base name of every resource: release-chart, or the release alone when it already holds the chart name. */}}
{{- define "rld.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "rld.coordinatorName" -}}
{{- printf "%s-coordinator" (include "rld.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "rld.workerName" -}}
{{- printf "%s-worker" (include "rld.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The headless Service that gives worker-i its stable DNS name worker-i.<this>.<namespace>.svc. */}}
{{- define "rld.workersServiceName" -}}
{{- printf "%s-workers" (include "rld.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "rld.runId" -}}
{{- default .Release.Name .Values.run.id }}
{{- end }}

{{- define "rld.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{- define "rld.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "rld.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "rld.tokenSecretName" -}}
{{- default (printf "%s-token" (include "rld.fullname" .)) .Values.token.existingSecret }}
{{- end }}

{{- define "rld.checkpointClaimName" -}}
{{- default (printf "%s-checkpoints" (include "rld.fullname" .)) .Values.persistence.existingClaim }}
{{- end }}

{{/* The coordinator's address as the workers and the smoke test dial it. */}}
{{- define "rld.coordinatorUrl" -}}
{{- printf "%s://%s.%s.svc:%d" (ternary "https" "http" .Values.tls.enabled) (include "rld.coordinatorName" .) .Release.Namespace (int .Values.coordinator.port) }}
{{- end }}

{{- define "rld.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "rld.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: rldistributed
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "rld.selectorLabels" -}}
app.kubernetes.io/name: {{ include "rld.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Labels of one component; call with (dict "root" $ "component" "worker"). */}}
{{- define "rld.componentLabels" -}}
{{ include "rld.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "rld.componentSelectorLabels" -}}
{{ include "rld.selectorLabels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* Scrape annotations; call with the root context. */}}
{{- define "rld.metricsAnnotations" -}}
{{- if .Values.metrics.enabled -}}
prometheus.io/scrape: "true"
prometheus.io/port: {{ .Values.metrics.port | quote }}
prometheus.io/path: {{ .Values.metrics.path | quote }}
{{- end }}
{{- end }}

{{/* A worker pod's annotations: scrape, gang membership, the user's. Empty when there are none. */}}
{{- define "rld.workerPodAnnotations" -}}
{{- $lines := list (include "rld.metricsAnnotations" .) }}
{{- if .Values.gangScheduling.enabled }}
{{- $lines = append $lines (printf "scheduling.k8s.io/group-name: %s" (include "rld.workerName" .)) }}
{{- end }}
{{- with .Values.worker.podAnnotations }}
{{- $lines = append $lines (toYaml .) }}
{{- end }}
{{- without $lines "" | join "\n" }}
{{- end }}

{{/*
Environment both roles share: pod identity, logs, telemetry, and the token, TLS and checkpoint files under
the role's section. Call with (dict "root" $ "role" "Worker" "component" "worker").
*/}}
{{- define "rld.commonEnv" -}}
{{- $v := .root.Values -}}
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: POD_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
- name: HOME
  value: /tmp
- name: RLD_LOG_JSON
  value: {{ ternary "1" "0" $v.telemetry.jsonLogs | quote }}
- name: RLD_LOG_LEVEL
  value: {{ $v.telemetry.logLevel | quote }}
{{- with $v.telemetry.otlpEndpoint }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ . | quote }}
{{- end }}
- name: OTEL_SERVICE_NAME
  value: {{ printf "rld-%s" .component | quote }}
- name: OTEL_RESOURCE_ATTRIBUTES
  value: {{ include "rld.resourceAttributes" .root | quote }}
- name: Rld__{{ .role }}__RunId
  value: {{ include "rld.runId" .root | quote }}
- name: Rld__{{ .role }}__TokenFile
  value: {{ printf "%s/%s" $v.token.mountPath $v.token.secretKey | quote }}
- name: Rld__{{ .role }}__CheckpointDir
  value: {{ $v.checkpoints.mountPath | quote }}
{{- if $v.metrics.enabled }}
- name: Rld__{{ .role }}__MetricsPort
  value: {{ $v.metrics.port | quote }}
{{- end }}
{{- if $v.tls.enabled }}
- name: Rld__{{ .role }}__TlsCert
  value: {{ printf "%s/tls.crt" $v.tls.mountPath | quote }}
- name: Rld__{{ .role }}__TlsKey
  value: {{ printf "%s/tls.key" $v.tls.mountPath | quote }}
- name: Rld__{{ .role }}__TlsCa
  value: {{ printf "%s/ca.crt" $v.tls.mountPath | quote }}
{{- end }}
{{- end }}

{{/* OpenTelemetry resource attributes: the run and the pod (expanded by Kubernetes from POD_*), then the user's. */}}
{{- define "rld.resourceAttributes" -}}
{{- $attributes := printf "service.namespace=rldistributed,rld.run_id=%s,k8s.namespace.name=$(POD_NAMESPACE),k8s.pod.name=$(POD_NAME)" (include "rld.runId" .) }}
{{- with .Values.telemetry.resourceAttributes }}
{{- $attributes = printf "%s,%s" $attributes . }}
{{- end }}
{{- $attributes }}
{{- end }}

{{/* Volumes both roles mount: scratch, token, TLS, checkpoints and output. */}}
{{- define "rld.commonVolumes" -}}
- name: tmp
  emptyDir: {}
- name: token
  secret:
    secretName: {{ include "rld.tokenSecretName" . }}
    defaultMode: 0440
{{- if .Values.tls.enabled }}
- name: tls
  secret:
    secretName: {{ .Values.tls.existingSecret }}
    defaultMode: 0440
{{- end }}
{{- if .Values.persistence.enabled }}
- name: state
  persistentVolumeClaim:
    claimName: {{ include "rld.checkpointClaimName" . }}
{{- else }}
- name: state
  emptyDir: {}
{{- end }}
{{- end }}

{{/*
Creates the subdirectories the containers mount (subPath) as the pod's non-root user before they start:
a subPath directory the kubelet creates belongs to root, and the training user could not write to it.
*/}}
{{- define "rld.stateInitContainer" -}}
- name: state-dirs
  image: {{ include "rld.image" . }}
  imagePullPolicy: {{ .Values.image.pullPolicy }}
  command: ["mkdir", "-p", "/var/lib/rld/state/checkpoints", "/var/lib/rld/state/output"]
  resources:
    requests:
      cpu: 10m
      memory: 16Mi
    limits:
      memory: 64Mi
  securityContext:
    {{- toYaml .Values.containerSecurityContext | nindent 4 }}
  volumeMounts:
    - name: state
      mountPath: /var/lib/rld/state
{{- end }}

{{/* One claim holds both checkpoints and output, each in its own subdirectory. */}}
{{- define "rld.commonVolumeMounts" -}}
- name: tmp
  mountPath: /tmp
- name: token
  mountPath: {{ .Values.token.mountPath }}
  readOnly: true
{{- if .Values.tls.enabled }}
- name: tls
  mountPath: {{ .Values.tls.mountPath }}
  readOnly: true
{{- end }}
- name: state
  mountPath: {{ .Values.checkpoints.mountPath }}
  subPath: checkpoints
- name: state
  mountPath: {{ .Values.output.mountPath }}
  subPath: output
{{- end }}

{{/* tcpSocket probes on a named port; call with (dict "root" $ "port" "grpc"). */}}
{{- define "rld.probes" -}}
{{- $p := .root.Values.probes -}}
startupProbe:
  tcpSocket:
    port: {{ .port }}
  periodSeconds: {{ $p.startup.periodSeconds }}
  failureThreshold: {{ $p.startup.failureThreshold }}
livenessProbe:
  tcpSocket:
    port: {{ .port }}
  periodSeconds: {{ $p.liveness.periodSeconds }}
  failureThreshold: {{ $p.liveness.failureThreshold }}
readinessProbe:
  tcpSocket:
    port: {{ .port }}
  periodSeconds: {{ $p.readiness.periodSeconds }}
  failureThreshold: {{ $p.readiness.failureThreshold }}
{{- end }}

{{/* Fails the render with a message naming the value when a combination cannot work. */}}
{{- define "rld.validate" -}}
{{- if and .Values.tls.enabled (not .Values.tls.existingSecret) }}
{{- fail "tls.existingSecret is required when tls.enabled is true (a Secret with tls.crt, tls.key and ca.crt)" }}
{{- end }}
{{- if gt (int .Values.run.minWorkers) (int .Values.workers) }}
{{- fail (printf "run.minWorkers (%d) cannot exceed workers (%d)" (int .Values.run.minWorkers) (int .Values.workers)) }}
{{- end }}
{{- if and .Values.data.enabled (not .Values.data.existingClaim) }}
{{- fail "data.existingClaim is required when data.enabled is true" }}
{{- end }}
{{- end }}
