{{/*
Names, labels and the one Deployment every component is made from.
*/}}

{{/* The chart's name. */}}
{{- define "eldercare.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The prefix of everything the release makes: "<release>-eldercare", or the release's name
when it already holds the chart's. */}}
{{- define "eldercare.fullname" -}}
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

{{/* A component's name (its Deployment, Service and PodDisruptionBudget): dict root,
component. */}}
{{- define "eldercare.componentName" -}}
{{- printf "%s-%s" (include "eldercare.fullname" .root) .component | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The labels that select a component's pods: dict root, component. */}}
{{- define "eldercare.selectorLabels" -}}
app.kubernetes.io/name: {{ include "eldercare.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* Every label of what the chart makes: dict root, component. */}}
{{- define "eldercare.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "eldercare.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: eldercare
{{- end }}

{{/* The image, by digest when one is given. */}}
{{- define "eldercare.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag | toString) }}
{{- end -}}
{{- end }}

{{/* The base URL of a component's Service inside the namespace: dict root, component. */}}
{{- define "eldercare.url" -}}
{{- printf "http://%s:%d" (include "eldercare.componentName" .) (int (default 8000 .port)) }}
{{- end }}

{{/* The services, in the order they are deployed. */}}
{{- define "eldercare.services" -}}
{{- list "intake" "visits" "allowances" | toJson }}
{{- end }}

{{/* Every component the release runs, as a YAML list of name, replicas, and the port its
Service exposes (8000: HTTP; 9100: a worker's metrics). */}}
{{- define "eldercare.components" -}}
{{- range $service := include "eldercare.services" . | fromJsonArray }}
{{- $values := index $.Values.services $service }}
- name: {{ $service }}-api
  replicas: {{ $values.api.replicas }}
  portName: http
  port: 8000
- name: {{ $service }}-worker
  replicas: {{ $values.worker.replicas }}
  portName: metrics
  port: 9100
{{- end }}
{{- if .Values.portal.enabled }}
- name: portal
  replicas: {{ .Values.portal.replicas }}
  portName: http
  port: 8000
{{- end }}
{{- if .Values.ops.enabled }}
- name: ops
  replicas: {{ .Values.ops.replicas }}
  portName: http
  port: 8000
{{- end }}
{{- end }}

{{/* The path inside the containers where the Secrets' keys are mounted. */}}
{{- define "eldercare.secretsDir" -}}
/run/secrets/eldercare
{{- end }}

{{/*
A Deployment. dict:
  root       the chart's context
  component  e.g. intake-api
  replicas
  command    the container's command (a list)
  kind       http (probes on /readyz and /healthz, port 8000) or worker (the same, on 9100)
  env        list of name/value: the component's own non-secret settings
  files      list of dict variable, ref (existingSecret, key), file, required: each a Secret's key
             mounted as <secretsDir>/<file>; variable (optional) is then set to NAME_FILE naming
             it. A ref with no existingSecret is left out, or fails the release when required.
  resources, extraEnv
  strategy   (optional) the Deployment's strategy
  volumes, volumeMounts  (optional) more of them
*/}}
{{- define "eldercare.deployment" -}}
{{- $root := .root }}
{{- $values := $root.Values }}
{{- $ctx := dict "root" $root "component" .component }}
{{- $dir := include "eldercare.secretsDir" $root }}
{{- $component := .component }}
{{- $files := list }}
{{- range .files }}
{{- $what := .what }}
{{- range $field, $_ := .ref }}
{{- if not (has $field (list "existingSecret" "key")) }}
{{- fail (printf "%s.%s: the chart takes no secret's value, only where it is: put the value in a Secret and name it in %s.existingSecret and %s.key" $what $field $what $what) }}
{{- end }}
{{- end }}
{{- if .ref.existingSecret }}
{{- if not .ref.key }}
{{- fail (printf "%s: %s names the Secret %s but no key" $component .what .ref.existingSecret) }}
{{- end }}
{{- $files = append $files . }}
{{- else if .required }}
{{- fail (printf "%s needs %s.existingSecret: the name of an existing Secret (and its key)" $component .what) }}
{{- end }}
{{- end }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "eldercare.componentName" $ctx }}
  labels:
    {{- include "eldercare.labels" $ctx | nindent 4 }}
spec:
  replicas: {{ .replicas }}
  revisionHistoryLimit: 5
  {{- with .strategy }}
  strategy:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "eldercare.selectorLabels" $ctx | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "eldercare.selectorLabels" $ctx | nindent 8 }}
        {{- with $values.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      annotations:
        # a change of the configuration restarts the pods
        checksum/config: {{ include (print $root.Template.BasePath "/configmap.yaml") $root | sha256sum }}
        {{- with $values.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      # the processes never call the Kubernetes API
      automountServiceAccountToken: false
      enableServiceLinks: false
      terminationGracePeriodSeconds: {{ $values.terminationGracePeriodSeconds }}
      securityContext:
        {{- toYaml $values.podSecurityContext | nindent 8 }}
      {{- with $values.imagePullSecrets }}
      imagePullSecrets:
        {{- range . }}
        - name: {{ . }}
        {{- end }}
      {{- end }}
      {{- if $values.spreadAcrossNodes }}
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: kubernetes.io/hostname
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              {{- include "eldercare.selectorLabels" $ctx | nindent 14 }}
      {{- end }}
      {{- with $values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $values.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ .component }}
          image: {{ include "eldercare.image" $root | quote }}
          imagePullPolicy: {{ $values.image.pullPolicy }}
          command:
            {{- range .command }}
            - {{ . | quote }}
            {{- end }}
          ports:
            {{- if eq .kind "worker" }}
            - name: metrics
              containerPort: 9100
              protocol: TCP
            {{- else }}
            - name: http
              containerPort: 8000
              protocol: TCP
            {{- end }}
          envFrom:
            - configMapRef:
                name: {{ include "eldercare.fullname" $root }}-config
          env:
            {{- range .env }}
            - name: {{ .name }}
              value: {{ .value | toString | quote }}
            {{- end }}
            {{- range $files }}
            {{- if .variable }}
            - name: {{ .variable }}_FILE
              value: {{ printf "%s/%s" $dir .file | quote }}
            {{- end }}
            {{- end }}
            {{- with $values.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
            {{- with .extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          {{- $path := "/healthz" }}
          {{- $ready := "/readyz" }}
          {{- $port := ternary "metrics" "http" (eq .kind "worker") }}
          startupProbe:
            httpGet:
              path: {{ $path }}
              port: {{ $port }}
            periodSeconds: 5
            timeoutSeconds: 5
            failureThreshold: {{ $values.probes.startupFailureThreshold }}
          readinessProbe:
            httpGet:
              path: {{ $ready }}
              port: {{ $port }}
            periodSeconds: {{ $values.probes.periodSeconds }}
            timeoutSeconds: {{ $values.probes.timeoutSeconds }}
            failureThreshold: {{ $values.probes.readinessFailureThreshold }}
          livenessProbe:
            httpGet:
              path: {{ $path }}
              port: {{ $port }}
            periodSeconds: {{ $values.probes.periodSeconds }}
            timeoutSeconds: {{ $values.probes.timeoutSeconds }}
            failureThreshold: {{ $values.probes.livenessFailureThreshold }}
          {{- with .resources }}
          resources:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          securityContext:
            {{- toYaml $values.securityContext | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            {{- if $files }}
            - name: secrets
              mountPath: {{ $dir }}
              readOnly: true
            {{- end }}
            {{- with .volumeMounts }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
      volumes:
        - name: tmp
          emptyDir: {}
        {{- if $files }}
        # the Secrets' keys as files, read through the NAME_FILE variables
        - name: secrets
          projected:
            defaultMode: 0440
            sources:
              {{- range $files }}
              - secret:
                  name: {{ .ref.existingSecret }}
                  items:
                    - key: {{ .ref.key | quote }}
                      path: {{ .file }}
              {{- end }}
        {{- end }}
        {{- with .volumes }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
{{- end }}

{{/* The files every service process and the console mount: the district's tokens and keys,
and the broker's CA. */}}
{{- define "eldercare.sharedFiles" -}}
{{- $v := .Values }}
- {variable: ELDERCARE_TOKENS, what: secrets.tokens, file: eldercare-tokens, required: true, ref: {{ toJson $v.secrets.tokens }}}
- {variable: ELDERCARE_SECRET_KEY, what: secrets.secretKey, file: eldercare-secret-key, required: true, ref: {{ toJson $v.secrets.secretKey }}}
- {variable: ELDERCARE_PREVIOUS_SECRET_KEYS, what: secrets.previousSecretKeys, file: eldercare-previous-secret-keys, required: false, ref: {{ toJson $v.secrets.previousSecretKeys }}}
- {variable: "", what: kafka.ca, file: kafka-ca.crt, required: false, ref: {{ toJson $v.kafka.ca }}}
{{- end }}

{{/* The files of one service's API and worker: its broker password, its store's URI,
password and CA. dict root, service. */}}
{{- define "eldercare.serviceFiles" -}}
{{- $v := index .root.Values.services .service }}
{{- $what := printf "services.%s" .service }}
{{- $sasl := hasPrefix "SASL" (upper .root.Values.kafka.securityProtocol) }}
- {variable: KAFKA_SASL_PASSWORD, what: {{ $what }}.kafka.password, file: kafka-password, required: {{ $sasl }}, ref: {{ toJson $v.kafka.password }}}
- {variable: MONGO_URL, what: {{ $what }}.mongo.url, file: mongo-url, required: true, ref: {{ toJson $v.mongo.url }}}
{{- if $v.mongo.username }}
- {variable: MONGO_PASSWORD, what: {{ $what }}.mongo.password, file: mongo-password, required: true, ref: {{ toJson $v.mongo.password }}}
{{- end }}
- {variable: "", what: {{ $what }}.mongo.ca, file: mongo-ca.crt, required: false, ref: {{ toJson $v.mongo.ca }}}
{{- end }}
