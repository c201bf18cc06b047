//go:build tools

// Package tools pins the etcd server built for the e2e tier.
package tools

import _ "go.etcd.io/etcd/server/v3"
