// AppNamespace on its own, under Pulumi's mock runtime: the Namespace it registers.

import * as pulumi from "@pulumi/pulumi";
import { AppNamespace } from "../../components";
import { OWNED_OBJECT_ANNOTATIONS } from "../../lib/ownership";
import { RecordingMocks, settle, valueOf } from "../../review/engine/mockRuntime";
import { installProgramMocks } from "../../review/engine/programRun";

const NAMESPACE_TYPE = "kubernetes:core/v1:Namespace";
const POD_SECURITY_MODES = ["enforce", "warn", "audit"];

let mocks: RecordingMocks;
beforeEach(async () => {
  mocks = await installProgramMocks("unit");
});

describe("AppNamespace", () => {
  async function build(args: Partial<ConstructorParameters<typeof AppNamespace>[1]> = {}) {
    const component = new AppNamespace("task-api-staging", {
      namespaceName: "task-api-staging",
      ...args,
    });
    await settle();
    const namespace = mocks.single(NAMESPACE_TYPE);
    return {
      component,
      namespace,
      labels: namespace.inputs.metadata.labels as Record<string, string>,
    };
  }

  test("is a Namespace with the given name, exposed as namespaceName", async () => {
    const { component, namespace } = await build();
    expect(namespace.inputs.metadata.name).toBe("task-api-staging");
    expect(await valueOf(component.namespaceName)).toBe("task-api-staging");
  });

  test("enforces, warns about and audits Pod Security restricted by default, latest version", async () => {
    const { labels } = await build();
    expect(POD_SECURITY_MODES.map((mode) => labels[`pod-security.kubernetes.io/${mode}`])).toEqual([
      "restricted",
      "restricted",
      "restricted",
    ]);
    expect(labels["pod-security.kubernetes.io/enforce-version"]).toBe("latest");
  });

  test("takes another Pod Security level for all three modes", async () => {
    const { labels } = await build({ podSecurity: "baseline" });
    expect(POD_SECURITY_MODES.map((mode) => labels[`pod-security.kubernetes.io/${mode}`])).toEqual([
      "baseline",
      "baseline",
      "baseline",
    ]);
  });

  test("keeps further labels, but never lets them override the Pod Security labels", async () => {
    const { labels } = await build({
      labels: { team: "tasks", "pod-security.kubernetes.io/enforce": "privileged" },
    });
    expect(labels.team).toBe("tasks");
    expect(labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
  });

  test("carries the ownership annotations every owned object has", async () => {
    const { namespace } = await build();
    expect(namespace.inputs.metadata.annotations).toEqual({ ...OWNED_OBJECT_ANNOTATIONS });
  });

  test("is retained when the stack is destroyed or stops managing it", async () => {
    const seen: { type: string; opts: pulumi.CustomResourceOptions }[] = [];
    new AppNamespace(
      "task-api-staging",
      { namespaceName: "task-api-staging" },
      // A transformation sees each child's resource options as the component passes them.
      {
        transformations: [
          ({ type, opts }) => {
            seen.push({ type, opts });
            return undefined;
          },
        ],
      },
    );
    await settle();
    // The component itself first, then its one child.
    expect(seen.map(({ type }) => type)).toEqual(["task-api:k8s:AppNamespace", NAMESPACE_TYPE]);
    expect(seen[1].opts.retainOnDelete).toBe(true);
  });

  test("is a task-api:k8s:AppNamespace component", async () => {
    const { component } = await build();
    expect(await valueOf(component.urn)).toContain("task-api:k8s:AppNamespace::task-api-staging");
  });
});
