// A random provider plugin for the end-to-end run: the proxy serves no version of pulumi-random's
// provider module (github.com/pulumi/pulumi-random/provider/v4, 403 for every version) nor of the
// terraform-provider-random v3 it bridges, so it cannot be built here. This plugin implements two
// resources with the contract of pulumi-random 4.x, including what lands in state:
//
//   - random:index/randomPassword:RandomPassword (sdk/nodejs/randomPassword.ts): `length`, the
//     character classes `upper`, `lower`, `numeric` and `special` (each true unless set), their
//     `min*` counts, `overrideSpecial`; outputs `result` and `bcryptHash`, which the SDK marks
//     secret. Its id is the constant "none", as terraform-provider-random sets it
//     (internal/provider/resource_password.go, Create).
//   - random:index/randomBytes:RandomBytes (sdk/nodejs/randomBytes.ts): `length` bytes, outputs
//     `base64` and `hex`. Its id is the base64 value itself, in plaintext: pulumi-random computes
//     it so (provider/resources.go, computeRandomBytesID), and a resource id can never be secret.
//     Kept faithful so that the leak scan finds the value of any RandomBytes in state.
//
// Every input replaces the resource when it changes (RequiresReplace upstream), and `keepers` is
// how a program asks for a new value. Values come from crypto/rand, each character drawn
// uniformly from its set. Its version, set with -ldflags by e2e/buildTools.ts (e2e/toolchain.ts),
// is the @pulumi/random release of package-lock.json.
package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/big"
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"golang.org/x/crypto/bcrypt"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
)

// version is set with -ldflags to the @pulumi/random release whose contract this implements.
var version = "4.21.2"

const (
	randomBytesType    = "random:index/randomBytes:RandomBytes"
	randomPasswordType = "random:index/randomPassword:RandomPassword"
)

// The character classes of RandomPassword (terraform-provider-random, internal/random/string.go).
var passwordClasses = []struct{ enabled, min, chars string }{
	{"upper", "minUpper", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"},
	{"lower", "minLower", "abcdefghijklmnopqrstuvwxyz"},
	{"numeric", "minNumeric", "0123456789"},
	{"special", "minSpecial", "!@#$%&*()-_=+[]{}<>:?"},
}

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

// Check validates `length` and, for a password, fills in the defaults the state then holds.
func (*randomProvider) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	news := req.GetNews().GetFields()
	failure := func(property, reason string) (*pulumirpc.CheckResponse, error) {
		return &pulumirpc.CheckResponse{Failures: []*pulumirpc.CheckFailure{{Property: property, Reason: reason}}}, nil
	}
	length, ok := wholeNumber(news["length"])
	if !ok || length < 1 {
		return failure("length", "length must be a whole number of at least 1")
	}
	switch req.GetType() {
	case randomBytesType:
		return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
	case randomPasswordType:
		inputs := map[string]*structpb.Value{}
		for key, value := range news {
			inputs[key] = value
		}
		minimums := int64(0)
		anyClass := false
		for _, class := range passwordClasses {
			if _, set := inputs[class.enabled]; !set {
				inputs[class.enabled] = structpb.NewBoolValue(true)
			}
			if _, set := inputs[class.min]; !set {
				inputs[class.min] = structpb.NewNumberValue(0)
			}
			minimum, ok := wholeNumber(inputs[class.min])
			if !ok || minimum < 0 {
				return failure(class.min, class.min+" must be a whole number of at least 0")
			}
			minimums += minimum
			anyClass = anyClass || inputs[class.enabled].GetBoolValue()
		}
		if !anyClass {
			return failure("special", "at least one of upper, lower, numeric and special must be true")
		}
		if length < minimums {
			return failure("length", "length must be at least the sum of the min* counts")
		}
		return &pulumirpc.CheckResponse{Inputs: &structpb.Struct{Fields: inputs}}, nil
	default:
		return nil, fmt.Errorf("unknown resource type %q: this plugin implements %s and %s",
			req.GetType(), randomBytesType, randomPasswordType)
	}
}

// Diff replaces on any change of an input, as terraform-provider-random's RequiresReplace does.
func (*randomProvider) Diff(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	olds := req.GetOldInputs().GetFields()
	news := req.GetNews().GetFields()
	keys := map[string]bool{}
	for key := range olds {
		keys[key] = true
	}
	for key := range news {
		keys[key] = true
	}
	var replaces []string
	for key := range keys {
		if !reflect.DeepEqual(olds[key].AsInterface(), news[key].AsInterface()) {
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
	outputs := map[string]*structpb.Value{}
	for key, value := range inputs {
		outputs[key] = value
	}
	if req.GetPreview() {
		return &pulumirpc.CreateResponse{Properties: &structpb.Struct{Fields: outputs}}, nil
	}
	length, _ := wholeNumber(inputs["length"])
	switch req.GetType() {
	case randomBytesType:
		bytes := make([]byte, length)
		if _, err := rand.Read(bytes); err != nil {
			return nil, err
		}
		encoded := base64.StdEncoding.EncodeToString(bytes)
		outputs["base64"] = structpb.NewStringValue(encoded)
		outputs["hex"] = structpb.NewStringValue(hex.EncodeToString(bytes))
		return &pulumirpc.CreateResponse{Id: encoded, Properties: &structpb.Struct{Fields: outputs}}, nil
	case randomPasswordType:
		result, err := password(inputs, length)
		if err != nil {
			return nil, err
		}
		// bcrypt reads at most 72 bytes; upstream hashes the first 72 (resource_password.go, generateHash).
		hashed := []byte(result)
		if len(hashed) > 72 {
			hashed = hashed[:72]
		}
		hash, err := bcrypt.GenerateFromPassword(hashed, bcrypt.DefaultCost)
		if err != nil {
			return nil, err
		}
		outputs["result"] = structpb.NewStringValue(result)
		outputs["bcryptHash"] = structpb.NewStringValue(string(hash))
		return &pulumirpc.CreateResponse{Id: "none", Properties: &structpb.Struct{Fields: outputs}}, nil
	default:
		return nil, fmt.Errorf("unknown resource type %q", req.GetType())
	}
}

// password draws each class's minimum from that class, the rest from every enabled class, then
// shuffles, so that the minimums do not sit at the front.
func password(inputs map[string]*structpb.Value, length int64) (string, error) {
	var all, chosen []rune
	for _, class := range passwordClasses {
		chars := class.chars
		if class.enabled == "special" && inputs["overrideSpecial"].GetStringValue() != "" {
			chars = inputs["overrideSpecial"].GetStringValue()
		}
		if inputs[class.enabled].GetBoolValue() {
			all = append(all, []rune(chars)...)
		}
		minimum, _ := wholeNumber(inputs[class.min])
		drawn, err := draw([]rune(chars), minimum)
		if err != nil {
			return "", err
		}
		chosen = append(chosen, drawn...)
	}
	rest, err := draw(all, length-int64(len(chosen)))
	if err != nil {
		return "", err
	}
	chosen = append(chosen, rest...)
	for i := len(chosen) - 1; i > 0; i-- {
		j, err := rand.Int(rand.Reader, big.NewInt(int64(i+1)))
		if err != nil {
			return "", err
		}
		chosen[i], chosen[j.Int64()] = chosen[j.Int64()], chosen[i]
	}
	return string(chosen), nil
}

// draw picks count characters of set, each uniformly with crypto/rand.
func draw(set []rune, count int64) ([]rune, error) {
	drawn := make([]rune, 0, count)
	for range count {
		index, err := rand.Int(rand.Reader, big.NewInt(int64(len(set))))
		if err != nil {
			return nil, err
		}
		drawn = append(drawn, set[index.Int64()])
	}
	return drawn, nil
}

func wholeNumber(value *structpb.Value) (int64, bool) {
	number := value.GetNumberValue()
	if _, isNumber := value.GetKind().(*structpb.Value_NumberValue); !isNumber || number != float64(int64(number)) {
		return 0, false
	}
	return int64(number), true
}

// Read returns the state as it is: random values exist nowhere but in state.
func (*randomProvider) Read(_ context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	return &pulumirpc.ReadResponse{Id: req.GetId(), Properties: req.GetProperties(), Inputs: req.GetInputs()}, nil
}

func (*randomProvider) Delete(context.Context, *pulumirpc.DeleteRequest) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}
