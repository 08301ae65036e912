// The random provider plugin of the end-to-end run: HashiCorp's terraform-provider-random served
// through pulumi-terraform-bridge's Plugin Framework bridge (pkg/pf), as pulumi-random 4.x serves
// it. The proxy serves neither pulumi-random's provider module nor its shim module, so this file
// does, in its own words, the little that those do (pulumi-random: provider/resources.go,
// Provider(); provider/shim/shim.go; provider/cmd/pulumi-resource-random/main.go):
//
//   - The provider is terraform-provider-random's internal/provider.New(). Go allows the import of
//     an `internal` package only under the folder that holds it, by import path: this module's
//     path is under github.com/terraform-providers/terraform-provider-random for that reason
//     alone, like pulumi-random's shim module's.
//   - Tokens: each `random_x` resource is `random:index/randomX:RandomX` (tokens.SingleModule with
//     the "Random" prefix, then MustApplyAutoAliases, as resources.go does): RandomPassword,
//     RandomBytes and the eight others.
//   - random_bytes has no `id` attribute. Its id is its `base64` output, unwrapped when secret,
//     as resources.go's computeRandomBytesID makes it; so a RandomBytes' value is in plaintext in
//     every state file (e2e/lifecycle.e2e.test.ts shows it). RandomPassword's id is "none", set
//     by the provider itself (internal/provider/resource_password.go).
//   - random_string reads a state without a schema version as version 1, as resources.go's
//     PreStateUpgradeHook does (pulumi/pulumi-random#258).
//
// No generated file is committed. pulumi-random embeds the schema.json and bridge-metadata.json
// its `make tfgen` writes. At run time the bridge reads the metadata only for what earlier
// releases recorded (aliases, schema fixups) and for muxing, none of which applies to a plugin
// that has no earlier release, so it starts empty; the bridge then derives what it needs from the
// provider's own schema. The Pulumi schema is used only to answer GetSchema (which `pulumi up` of
// a Node.js program does not call): it is generated from the provider when asked, as the bridge's
// own runtime-bridged provider does (pulumi-terraform-bridge, dynamic/main.go, XGetSchema).
package main

import (
	"context"
	"errors"
	"io"

	pfbridge "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfbridge"
	pftfgen "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfgen"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/diag"
	"github.com/pulumi/pulumi/sdk/v3/go/common/diag/colors"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/terraform-providers/terraform-provider-random/internal/provider"
)

// version is set with -ldflags by e2e/buildTools.ts to the @pulumi/random release of
// package-lock.json, whose SDK sends the requests this plugin answers.
var version = "4.21.2"

func main() {
	info := tfbridge.ProviderInfo{
		P:       pfbridge.ShimProvider(provider.New()),
		Name:    "random",
		Version: version,
		// Empty (see above); the bridge refuses a nil one.
		MetadataInfo: tfbridge.NewProviderMetadata(nil),
		Resources: map[string]*tfbridge.ResourceInfo{
			"random_bytes":  {ComputeID: idFromBase64},
			"random_string": {PreStateUpgradeHook: versionlessStringIsV1},
		},
	}
	info.MustComputeTokens(tokens.SingleModule("random_", "index",
		func(module, name string) (string, error) {
			return tokens.MakeStandard("random")(module, "Random"+name)
		}))
	info.MustApplyAutoAliases()

	pfbridge.Main(context.Background(), "random", info, pfbridge.ProviderMetadata{
		XGetSchema: func(ctx context.Context, _ plugin.GetSchemaRequest) ([]byte, error) {
			quiet := diag.DefaultSink(io.Discard, io.Discard, diag.FormatOptions{Color: colors.Never})
			generated, err := pftfgen.GenerateSchema(ctx, pftfgen.GenerateSchemaOptions{
				ProviderInfo:    info,
				DiagnosticsSink: quiet,
				// Descriptions from the provider's schema, never from a docs checkout.
				XInMemoryDocs: true,
			})
			if err != nil {
				return nil, err
			}
			return generated.ProviderMetadata.PackageSchema, nil
		},
	})
}

// idFromBase64 is a RandomBytes' id: its `base64` output, unwrapped when secret.
func idFromBase64(_ context.Context, state resource.PropertyMap) (resource.ID, error) {
	value := state["base64"]
	if value.IsSecret() {
		value = value.SecretValue().Element
	}
	if !value.IsString() {
		return "", errors.New("random_bytes: no base64 string in the state to make its id of")
	}
	return resource.ID(value.StringValue()), nil
}

// versionlessStringIsV1 reads a RandomString state written without a schema version as version 1.
func versionlessStringIsV1(args tfbridge.PreStateUpgradeHookArgs) (int64, resource.PropertyMap, error) {
	if args.PriorStateSchemaVersion == 0 {
		return 1, args.PriorState, nil
	}
	return args.PriorStateSchemaVersion, args.PriorState, nil
}
