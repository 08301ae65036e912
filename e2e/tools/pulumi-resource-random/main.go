// A random provider plugin for the end-to-end run: the proxy serves no version of pulumi-random's
// provider module (github.com/pulumi/pulumi-random/provider/v4, 403 for every version) nor of the
// terraform-provider-random v3 it bridges, so it cannot be built here. This plugin implements the
// one resource the program uses, random:index/randomBytes:RandomBytes, with the contract of
// pulumi-random 4.x (sdk/nodejs/randomBytes.ts): inputs `length` and `keepers`, both replacing the
// resource when they change; outputs `base64` and `hex` of `length` bytes from crypto/rand, which
// the SDK marks secret (additionalSecretOutputs). Nothing regenerates the bytes but a replacement.
// Its version, set with -ldflags by e2e/buildTools.ts (e2e/toolchain.ts), is the @pulumi/random
// release of package-lock.json.
package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
)

// version is set with -ldflags to the @pulumi/random release whose contract this implements.
var version = "4.21.2"

const randomBytesType = "random:index/randomBytes:RandomBytes"

type randomProvider struct {
	pulumirpc.UnimplementedResourceProviderServer
}

func main() {
	err := provider.Main("random", func(*provider.HostClient) (pulumirpc.ResourceProviderServer, error) {
		return &randomProvider{}, nil
	})
	if err != nil {
		panic(err)
	}
}

func (*randomProvider) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

func (*randomProvider) CheckConfig(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

func (*randomProvider) DiffConfig(context.Context, *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	return &pulumirpc.DiffResponse{}, nil
}

func (*randomProvider) Configure(context.Context, *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	return &pulumirpc.ConfigureResponse{}, nil
}

func (*randomProvider) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	if req.GetType() != randomBytesType {
		return nil, fmt.Errorf("unknown resource type %q: this plugin implements only %s", req.GetType(), randomBytesType)
	}
	news := req.GetNews().GetFields()
	length, ok := news["length"]
	if !ok || length.GetNumberValue() < 1 || length.GetNumberValue() != float64(int(length.GetNumberValue())) {
		return &pulumirpc.CheckResponse{Failures: []*pulumirpc.CheckFailure{
			{Property: "length", Reason: "length must be a whole number of at least 1"},
		}}, nil
	}
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

// Diff replaces on any change of an input, as terraform-provider-random's RequiresReplace does.
func (*randomProvider) Diff(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	var replaces []string
	for _, key := range []string{"length", "keepers"} {
		if !reflect.DeepEqual(req.GetOldInputs().GetFields()[key].AsInterface(), req.GetNews().GetFields()[key].AsInterface()) {
			replaces = append(replaces, key)
		}
	}
	if len(replaces) == 0 {
		return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE}, nil
	}
	return &pulumirpc.DiffResponse{
		Changes:             pulumirpc.DiffResponse_DIFF_SOME,
		Replaces:            replaces,
		Diffs:               replaces,
		DeleteBeforeReplace: false,
	}, nil
}

func (*randomProvider) Create(_ context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	inputs := req.GetProperties().GetFields()
	outputs := map[string]*structpb.Value{"length": inputs["length"]}
	if keepers, ok := inputs["keepers"]; ok {
		outputs["keepers"] = keepers
	}
	if req.GetPreview() {
		return &pulumirpc.CreateResponse{Properties: &structpb.Struct{Fields: outputs}}, nil
	}
	bytes := make([]byte, int(inputs["length"].GetNumberValue()))
	if _, err := rand.Read(bytes); err != nil {
		return nil, err
	}
	outputs["base64"] = structpb.NewStringValue(base64.StdEncoding.EncodeToString(bytes))
	outputs["hex"] = structpb.NewStringValue(hex.EncodeToString(bytes))
	return &pulumirpc.CreateResponse{Id: "none", Properties: &structpb.Struct{Fields: outputs}}, nil
}

// Read returns the state as it is: random bytes exist nowhere but in state.
func (*randomProvider) Read(_ context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	return &pulumirpc.ReadResponse{Id: req.GetId(), Properties: req.GetProperties(), Inputs: req.GetInputs()}, nil
}

func (*randomProvider) Delete(context.Context, *pulumirpc.DeleteRequest) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}
