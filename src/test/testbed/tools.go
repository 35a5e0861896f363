//go:build tools

// Package testbed pins the Kubernetes control plane the end-to-end tests run against: the
// commands below are built from the k8s.io/kubernetes module by build.sh.
package testbed

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
)
