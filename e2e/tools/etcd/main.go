// etcd's entry point, as in etcd's own main.go (go.etcd.io/etcd/v3, main.go): all of etcd is
// etcdmain.Main.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
