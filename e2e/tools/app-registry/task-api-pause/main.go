// The sandbox ("pause") container of the end-to-end run's pods: ours, in place of
// registry.k8s.io/pause, which the run cannot pull. Like upstream's pause.c
// (kubernetes/build/pause/linux/pause.c) it holds the pod's namespaces open by staying alive,
// exits 0 on SIGTERM or SIGINT, and, being PID 1 of the pod's PID namespace, reaps the zombies
// of a pod that shares it (shareProcessNamespace).
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	signals := make(chan os.Signal, 8)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT, syscall.SIGCHLD)
	for sig := range signals {
		if sig != syscall.SIGCHLD {
			os.Exit(0)
		}
		for {
			pid, err := syscall.Wait4(-1, nil, syscall.WNOHANG, nil)
			if pid <= 0 || err != nil {
				break
			}
		}
	}
}
