//go:build tools

// Package tools pins the Helm CLI the e2e tier runs beside kubedog.
package tools

import _ "helm.sh/helm/v3/cmd/helm"
